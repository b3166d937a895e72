/**
 * Flow 2, a Norwegian prescription abroad: pick an M1 → `$convert-m1-to-eu` → the EU ePrescription side
 * by side with the M1 (the compared fields highlighted on both), the conversion report, then "dispense
 * in another country": an EU eDispensation built here → `$convert-eu-dispense-to-m10` → the M10 and
 * what Reseptformidleren stores.
 */
import { ApiError, call, parameter, textOfBase64 } from './api.js';
import { busy, dataTable, fillSelect, fixtureUrl, h, outcomeTable, show, sourceView } from './dom.js';
import { buildEuDispensation, FOREIGN_PHARMACIES, randomUuid } from './edispensation.js';
import { compareFields } from './field-pairs.js';
import { formatTime, language, onLanguageChange, t } from './i18n.js';
import { issueLines } from './source-lines.js';

/** The M1 chosen first: the one valid against today's date. */
const DEFAULT_M1 = 'm1-demo-gyldig.xml';
const COUNTRY_NAME = { SE: { nb: 'Sverige', en: 'Sweden' }, DK: { nb: 'Danmark', en: 'Denmark' }, FI: { nb: 'Finland', en: 'Finland' } };

/** Sets up the flow; resolves when the M1 list is loaded. */
export function setUpAbroadFlow() {
  const select = document.getElementById('m1-select');
  const status = document.getElementById('abroad-status');
  const result = document.getElementById('abroad-result');
  const convertButton = document.getElementById('abroad-convert');
  const dispenseBlock = document.getElementById('abroad-dispense');
  const countrySelect = document.getElementById('country-select');
  const packages = document.getElementById('abroad-packages');
  const dispenseButton = document.getElementById('abroad-dispense-button');
  const dispenseStatus = document.getElementById('abroad-dispense-status');
  const dispenseResult = document.getElementById('abroad-dispense-result');
  let converted;
  let dispensed;

  function fillCountries() {
    const chosen = countrySelect.value || 'SE';
    show(countrySelect, Object.entries(FOREIGN_PHARMACIES).map(([code, p]) => h('option', { value: code, text: `${COUNTRY_NAME[code][language()]} – ${p.name}` })));
    countrySelect.value = chosen;
  }

  async function convert() {
    const file = select.value;
    const m1Xml = await (await fetch(fixtureUrl('m1', file))).text();
    dispensed = undefined;
    try {
      const answer = (await call('/fhir/$convert-m1-to-eu', { xml: m1Xml })).body;
      const bundle = parameter(answer, 'return');
      const euJson = JSON.stringify(bundle, null, 2);
      converted = { file, m1Xml, bundle, euJson, report: parameter(answer, 'report'), fields: compareFields(m1Xml, euJson) };
    } catch (error) {
      if (!(error instanceof ApiError) || !error.outcome) throw error;
      converted = { file, m1Xml, refused: { status: error.status, outcome: error.outcome } };
    }
    render();
  }

  async function dispense() {
    const country = countrySelect.value;
    const eDispensation = buildEuDispensation(converted.bundle, {
      country, packages: Number(packages.value), handedOver: new Date().toISOString(), dispenseId: `${country}-DEMO-${randomUuid().slice(0, 8).toUpperCase()}`,
    });
    const reseptId = eDispensation.entry[0].resource.authorizingPrescription[0].identifier.value;
    try {
      const answer = (await call('/fhir/$convert-eu-dispense-to-m10', { json: eDispensation })).body;
      const stored = (await call(`/reseptformidler/utleveringer/${encodeURIComponent(reseptId)}`, { accept: 'application/json' })).body;
      dispensed = { eDispensation, m10: textOfBase64(parameter(answer, 'return').data), report: parameter(answer, 'report'), stored };
    } catch (error) {
      if (!(error instanceof ApiError) || !error.outcome) throw error;
      dispensed = { eDispensation, refused: { status: error.status, outcome: error.outcome } };
    }
    renderDispensed();
  }

  function comparison() {
    const lang = language();
    const marks = (side) => new Map(converted.fields.filter((f) => f[side].line).map((f, i) => [f[side].line, { kind: f.match, tag: `#${i + 1}` }]).reverse());
    return [
      h('h3', { text: t('compareHeading') }),
      dataTable(
        [t('fieldColumn'), t('m1Column'), t('euColumn'), t('matchColumn')],
        converted.fields.map((f, i) => [
          `#${i + 1} ${f.label[lang]}`,
          h('span', { title: f.m1.path, text: String(f.m1.value) }),
          h('span', { title: f.eu.path, text: f.eu.value === undefined ? '–' : String(f.eu.value) }),
          h('span', { class: `match match-${f.match}`, text: t({ same: 'matchSame', mapped: 'matchMapped', missing: 'matchMissing' }[f.match]) }),
        ]),
        { rowClass: (i) => `row-${converted.fields[i].match}` }),
      h('div', { class: 'side-by-side' },
        sourceView(converted.m1Xml, marks('m1'), { id: 'm1-source', label: `${t('m1Source')} (${converted.file})` }),
        sourceView(converted.euJson, marks('eu'), { id: 'eu-source', label: t('euSource') })),
    ];
  }

  function render() {
    if (!converted) return;
    dispenseBlock.hidden = !converted.bundle;
    if (converted.refused) {
      show(result,
        h('p', { class: 'error', id: 'abroad-refused', text: t('refused', { status: converted.refused.status }) }),
        outcomeTable(converted.refused.outcome, { lines: issueLines(converted.m1Xml, converted.refused.outcome), viewId: 'm1-source' }),
        sourceView(converted.m1Xml, new Map(), { id: 'm1-source', label: converted.file }));
    } else {
      show(result, comparison(),
        h('h3', { text: t('reportHeading') }),
        h('p', { class: 'hint', text: t('reportIntro') }),
        h('div', { id: 'abroad-report' }, outcomeTable(converted.report, { lines: issueLines(converted.m1Xml, converted.report), viewId: 'm1-source' })));
    }
    renderDispensed();
  }

  function renderDispensed() {
    if (!dispensed) {
      show(dispenseResult);
      return;
    }
    const sent = h('details', {}, h('summary', { text: t('eDispensationSent') }),
      sourceView(JSON.stringify(dispensed.eDispensation, null, 2), new Map(), { id: 'ed-source', label: t('eDispensationSent') }));
    if (dispensed.refused) {
      show(dispenseResult, h('p', { class: 'error', text: t('refused', { status: dispensed.refused.status }) }), outcomeTable(dispensed.refused.outcome), sent);
      return;
    }
    const yesNo = (v) => t(v ? 'yes' : 'no');
    show(dispenseResult, sent,
      h('h4', { text: t('storedHeading') }),
      h('p', { class: 'hint' }, h('code', { text: t('storedIntro', { id: dispensed.stored.reseptId }) })),
      h('div', { id: 'abroad-stored' }, dataTable([t('msgIdColumn'), t('packagesColumn'), t('annulmentColumn'), t('storedColumn')],
        dispensed.stored.utleveringer.map((u) => [h('code', { text: u.msgId }), String(u.antall), yesNo(u.annullering), formatTime(u.lagret)]))),
      sourceView(dispensed.m10, new Map(), { id: 'm10-source', label: t('m10Stored') }),
      h('h4', { text: t('reportHeading') }),
      outcomeTable(dispensed.report, { lines: issueLines(JSON.stringify(dispensed.eDispensation, null, 2), dispensed.report), viewId: 'ed-source' }));
  }

  document.getElementById('abroad-form').addEventListener('submit', (event) => {
    event.preventDefault();
    void busy(convertButton, status, convert);
  });
  document.getElementById('abroad-dispense-form').addEventListener('submit', (event) => {
    event.preventDefault();
    void busy(dispenseButton, dispenseStatus, dispense);
  });
  onLanguageChange(() => {
    fillCountries();
    render();
  });
  fillCountries();

  return (async () => {
    const fixtures = (await call('/demo/api/fixtures', { auth: false, accept: 'application/json' })).body;
    fillSelect(select, fixtures.m1, DEFAULT_M1);
  })();
}
