/**
 * Flow 4, validate a payload: paste or upload FHIR JSON or e-resept XML → `POST /fhir/$validate`
 * (200 with an OperationOutcome: the issues are results, not failures) → each issue with the line its
 * FHIRPath `expression` or XPath `location` points at, and the payload with those lines marked.
 */
import { ApiError, call } from './api.js';
import { busy, fixtureUrl, h, outcomeTable, show, sourceView } from './dom.js';
import { onLanguageChange, t } from './i18n.js';
import { issueLines } from './source-lines.js';

/** A FHIR example with one known defect: the EU prescription without its prescriber (MPD requires `requester`). */
async function fhirExample() {
  const bundle = await (await fetch(fixtureUrl('eu-prescription', 'ep-se-demo-gyldig.json'))).json();
  delete bundle.entry.find((e) => e.resource.resourceType === 'MedicationRequest').resource.requester;
  return `${JSON.stringify(bundle, null, 2)}\n`;
}

/** An XML example with one known defect: an M1 whose Forskrivningsdato is not a date. */
async function xmlExample() {
  const xml = await (await fetch(fixtureUrl('m1', 'm1-demo-gyldig.xml'))).text();
  return xml.replace(/(<[\w:]*Forskrivningsdato>)[^<]*/, '$12026-13-45');
}

const isXml = (text) => text.trimStart().startsWith('<');

/** Sets up the flow. */
export function setUpValidateFlow() {
  const input = document.getElementById('validate-input');
  const file = document.getElementById('validate-file');
  const status = document.getElementById('validate-status');
  const result = document.getElementById('validate-result');
  const button = document.getElementById('validate-button');
  let checked;

  async function validate() {
    const text = input.value;
    if (!text.trim()) {
      checked = { text, message: t('validateEmpty') };
      render();
      return;
    }
    try {
      // Sent as the user wrote it: a JSON syntax error is the service's to report.
      const answer = await call('/fhir/$validate', isXml(text) ? { xml: text } : { jsonText: text });
      checked = { text, outcome: answer.body };
    } catch (error) {
      if (error instanceof ApiError && error.status === 404 && !error.outcome?.issue?.some((i) => i.code !== 'not-found')) {
        checked = { text, missing: true };
      } else if (error instanceof ApiError && error.outcome) {
        checked = { text, outcome: error.outcome, status: error.status };
      } else throw error;
    }
    render();
  }

  function render() {
    if (!checked) return;
    if (checked.message || checked.missing) {
      show(result, h('p', { class: checked.missing ? 'notice' : 'error', id: 'validate-message', text: checked.message ?? t('validateMissing') }));
      return;
    }
    const issues = checked.outcome.issue ?? [];
    const count = (...severities) => issues.filter((i) => severities.includes(i.severity)).length;
    const errors = count('fatal', 'error');
    // "No issues found" comes as one informational issue: only errors and warnings are findings.
    const clean = errors === 0 && count('warning') === 0;
    const lines = issueLines(checked.text, checked.outcome);
    const marks = new Map();
    issues.forEach((issue, i) => {
      const line = lines[i]?.line;
      if (line && !marks.has(line)) marks.set(line, { kind: issue.severity, tag: t(`severity_${issue.severity}`) });
    });
    show(result,
      h('p', { id: 'validate-summary', class: errors ? 'error' : 'ok', text: clean ? t('validateNoIssues') : t('validateCounts', { errors, warnings: count('warning'), info: count('information') }) }),
      clean && issues.every((i) => i.code === 'informational') ? undefined : h('div', { id: 'validate-issues' }, outcomeTable(checked.outcome, { lines, viewId: 'validate-source' })),
      sourceView(checked.text, marks, { id: 'validate-source', label: t('sourceWithIssues') }));
  }

  document.getElementById('validate-form').addEventListener('submit', (event) => {
    event.preventDefault();
    void busy(button, status, validate);
  });
  file.addEventListener('change', async () => {
    const chosen = file.files?.[0];
    if (chosen) input.value = await chosen.text();
  });
  const example = (id, make) => document.getElementById(id).addEventListener('click', async () => {
    input.value = await make();
    // The start of the payload in view, not its end where the caret would go.
    input.setSelectionRange(0, 0);
    input.scrollTop = 0;
    input.focus();
  });
  example('example-fhir', fhirExample);
  example('example-xml', xmlExample);
  onLanguageChange(render);
}
