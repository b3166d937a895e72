/**
 * Flow 1, the national patient summary: pick a test patient → the six sections as a clinician reads
 * them (the service's narrative per entry, relevance marks first, a badge per source record with its
 * fetch time), a button per entry to mark or unmark it, the version timeline with a diff between two
 * versions, and switches that take a national source down in the simulator or make it answer about
 * another patient.
 */
import { call, FHIR_JSON } from './api.js';
import { busy, dataTable, describeError, h, show, textLink } from './dom.js';
import { formatTime, language, onLanguageChange, t } from './i18n.js';
import { diffSummaries, readSummary } from './summary-model.js';

/** The short names clinicians use for the sources (the badges). */
const SOURCE_LABEL = { kjernejournal: 'Kjernejournal', pll: 'PLL', reseptformidleren: 'Reseptformidleren', npr: 'NPR', kpr: 'KPR' };
/** The fault a source switch injects: the source answers 503, as an overloaded national service would. */
const OUTAGE = { kind: 'error', status: 503 };
/** The fault of the "wrong patient" switch: the source answers with another test patient's data (the service refuses it). */
const WRONG_PATIENT = { kind: 'wrong-patient' };
/** The patient shown first: the richest history. */
const DEFAULT_PATIENT = 'multimorbid-elderly-rich-history';
const MS_PER_MINUTE = 60_000;

const sourceLabel = (name) => SOURCE_LABEL[name] ?? name;
const stateText = (status) => t({ fresh: 'stateFresh', stale: 'stateStale', unavailable: 'stateUnavailable' }[status] ?? 'stateFresh');

/** The badges of one entry: one per source, with the latest fetch time and how many records. */
function badges(records) {
  const bySource = new Map();
  for (const r of records) bySource.set(r.source, [...(bySource.get(r.source) ?? []), r]);
  return h('ul', { class: 'badges' }, [...bySource].map(([source, rs]) => {
    const latest = rs.map((r) => r.fetchedAt ?? '').sort().at(-1);
    const count = rs.length > 1 ? ` · ${t('records', { count: rs.length })}` : '';
    return h('li', { class: `badge src-${source}`, title: rs.map((r) => r.id).join(', '), 'data-source': source },
      h('strong', { text: sourceLabel(source) }), ` · ${t('fetched', { time: formatTime(latest) })}${count}`);
  }));
}

function sourceStates(section) {
  return h('p', { class: 'states' }, h('span', { text: t('sourcesOf') }), ' ',
    section.states.map((s) => h('span', { class: `state state-${s.status}`, 'data-source': s.source },
      `${sourceLabel(s.source)}: ${stateText(s.status)}${s.dataTime ? ` (${formatTime(s.dataTime)})` : ''}`)));
}

function emptyState(section) {
  const key = section.emptyReason === 'unavailable' ? 'emptyUnavailable' : section.emptyReason === 'nilknown' ? 'emptyNilknown' : 'emptySection';
  return h('div', { class: `empty empty-${section.emptyReason ?? 'none'}` },
    h('p', {}, h('strong', { text: t(key) })),
    section.paragraphs.map((p) => h('p', { text: p })));
}

/** Sets up the flow; `config` is `GET /demo/api/config`. */
export function setUpSummaryFlow(config) {
  const form = document.getElementById('summary-form');
  const select = document.getElementById('patient-select');
  const status = document.getElementById('summary-status');
  const result = document.getElementById('summary-result');
  const button = document.getElementById('summary-fetch');
  let patients = [];
  /** What is shown: the patient, the summary read, its raw JSON, the versions, the faults, the diff. */
  let shown;

  const patientOf = () => patients.find((p) => p.slug === select.value);

  async function fetchAll(slug, path) {
    const lang = language();
    const summary = (await call(`${path}${path.includes('?') ? '&' : '?'}language=${lang}`)).body;
    const history = (await call(`/fhir/Bundle/${summary.id}/_history?language=${lang}`)).body;
    const faults = config.simulator ? (await call('/demo/api/sim/faults', { auth: false, accept: 'application/json' })).body : {};
    const versions = (history.entry ?? []).map((e) => ({ read: readSummary(e.resource, config), time: e.response?.lastModified }));
    const previous = shown?.slug === slug ? shown : undefined;
    shown = {
      slug, summary, read: readSummary(summary, config), versions, faults,
      compare: { from: versions[1]?.read.versionId ?? versions[0]?.read.versionId, to: versions[0]?.read.versionId },
      message: previous?.pendingMessage,
    };
    render();
  }

  const load = () => busy(button, status, async () => {
    const patient = patientOf();
    if (patient) await fetchAll(patient.slug, `/fhir/Patient/$summary?identifier=${encodeURIComponent(patient.identifier)}`);
  });
  const reload = () => fetchAll(shown.slug, `/fhir/Patient/${shown.summary.id}/$summary`);

  async function setMark(entry, marked) {
    const operation = marked ? '$unmark-relevant' : '$mark-relevant';
    const parameters = { resourceType: 'Parameters', parameter: [{ name: 'entry', valueReference: { reference: entry.reference } }] };
    await call(`/fhir/Patient/${shown.summary.id}/${operation}?language=${language()}`, { json: parameters });
    await reload();
  }

  /** Sets `fault` on the source, or removes it when it is the one in force (a source has one fault at a time). */
  async function toggleSource(source, fault) {
    const on = shown.faults[source]?.kind === fault.kind;
    if (on) await call(`/demo/api/sim/faults/${source}`, { method: 'DELETE', auth: false, accept: 'application/json' });
    else await call(`/demo/api/sim/faults/${source}`, { method: 'PUT', json: fault, auth: false, accept: 'application/json' });
    const rebuilt = (await call(`/demo/api/patients/${shown.slug}/rebuild`, { method: 'POST', auth: false, accept: 'application/json' })).body;
    shown.pendingMessage = t('rebuilt', { version: rebuilt.versionId });
    await reload();
  }

  /** Runs an action from a button inside the result, keeping the focus on a button of the same name. */
  const act = (control, work) => async () => {
    const id = control.id;
    await busy(control, status, work);
    if (id) document.getElementById(id)?.focus();
  };

  function header() {
    const { read, summary } = shown;
    const request = `GET /fhir/Patient/${summary.id}/$summary?language=${language()}`;
    return h('div', { class: 'summary-header' },
      h('h3', { id: 'summary-patient', text: `${read.patient.name}${read.patient.birthDate ? `, ${t('born', { date: read.patient.birthDate })}` : ''}` }),
      h('p', { id: 'summary-version', text: t('version', { version: read.versionId, time: formatTime(read.lastUpdated) }) }),
      h('p', {}, textLink(JSON.stringify(summary, null, 2), FHIR_JSON, t('rawDocument')), ` – ${t('rawHint')} `, h('code', { text: request })),
      shown.message ? h('p', { class: 'notice', text: shown.message }) : undefined);
  }

  function outage() {
    if (!config.rebuild) return undefined;
    const minutes = Math.round((config.summaryMaxAgeMs ?? 5 * MS_PER_MINUTE) / MS_PER_MINUTE);
    return h('fieldset', { class: 'outage' },
      h('legend', { text: t('outageHeading') }),
      h('p', { class: 'hint', text: t('outageIntro', { minutes, slug: shown.slug }) }),
      h('div', { class: 'switches' }, config.sources.map(({ name }) => {
        const down = shown.faults[name]?.kind === OUTAGE.kind;
        const outageControl = h('button', {
          type: 'button', id: `outage-${name}`, class: `switch${down ? ' down' : ''}`, 'aria-pressed': String(down),
          'aria-label': t('outageLabel', { source: sourceLabel(name), state: t(down ? 'stateDown' : 'stateUp') }),
          text: t(down ? 'outageDown' : 'outageUp', { source: sourceLabel(name) }),
        });
        outageControl.addEventListener('click', act(outageControl, () => toggleSource(name, OUTAGE)));
        const wrong = shown.faults[name]?.kind === WRONG_PATIENT.kind;
        const wrongControl = h('button', {
          type: 'button', id: `wrong-patient-${name}`, class: `switch${wrong ? ' down' : ''}`, 'aria-pressed': String(wrong),
          'aria-label': t('wrongPatientLabel', { source: sourceLabel(name), state: t(wrong ? 'stateWrongPatient' : 'stateRightPatient') }),
          text: t(wrong ? 'wrongPatientOn' : 'wrongPatientOff', { source: sourceLabel(name) }),
        });
        wrongControl.addEventListener('click', act(wrongControl, () => toggleSource(name, WRONG_PATIENT)));
        return h('span', { class: 'switch-pair' }, outageControl, wrongControl);
      })));
  }

  function sectionView(section) {
    const headingId = `section-${section.code}`;
    const body = section.entries.length === 0 ? emptyState(section) : dataTable(
      [...section.columns, t('sourceColumn'), t('relevanceColumn')],
      section.entries.map((entry) => {
        const marked = Boolean(entry.mark);
        const control = h('button', {
          type: 'button', class: marked ? 'mark marked' : 'mark', id: `mark-${entry.reference.replace('/', '-')}`,
          'aria-label': t(marked ? 'unmarkLabel' : 'markLabel', { entry: entry.label }), text: t(marked ? 'unmark' : 'mark'),
        });
        control.addEventListener('click', act(control, () => setMark(entry, marked)));
        const cells = entry.cells.length === section.columns.length ? entry.cells : [entry.label, ...section.columns.slice(1).map(() => '')];
        return [...cells, badges(entry.records), control];
      }),
      { rowClass: (i) => (section.entries[i].mark ? 'marked' : undefined) });
    return h('section', { class: 'ps-section', 'aria-labelledby': headingId, 'data-code': section.code },
      h('h4', { id: headingId, text: section.title }),
      sourceStates(section),
      section.notes.map((n) => h('p', { class: 'note', role: 'note', text: n })),
      body);
  }

  function diffView() {
    const from = shown.versions.find((v) => v.read.versionId === shown.compare.from);
    const to = shown.versions.find((v) => v.read.versionId === shown.compare.to);
    if (!from || !to || from === to) return undefined;
    const items = diffSummaries(from.read, to.read).flatMap((d) => {
      const lines = [
        ...d.added.map((e) => ['added', t('diffAdded', { entry: e })]),
        ...d.removed.map((e) => ['removed', t('diffRemoved', { entry: e })]),
        ...d.changed.map((c) => ['changed', t({ marked: 'diffMarked', unmarked: 'diffUnmarked' }[c.how] ?? 'diffChanged', { entry: c.label })]),
        ...d.states.map((s) => ['state', t('diffState', { source: sourceLabel(s.source), from: s.from ? stateText(s.from) : '–', to: stateText(s.to) })]),
      ];
      return lines.length ? [h('li', {}, h('strong', { text: d.title }), h('ul', {}, lines.map(([kind, text]) => h('li', { class: `diff-${kind}`, text }))))] : [];
    });
    return h('div', { id: 'summary-diff', class: 'diff' },
      h('h5', { text: t('diffHeading', { from: from.read.versionId, to: to.read.versionId }) }),
      items.length ? h('ul', {}, items) : h('p', { text: t('diffNone') }));
  }

  function historyView() {
    const option = (v) => h('option', { value: v.read.versionId, text: t('versionOption', { version: v.read.versionId, time: formatTime(v.time) }) });
    const fromSelect = h('select', { id: 'compare-from' }, shown.versions.map(option));
    const toSelect = h('select', { id: 'compare-to' }, shown.versions.map(option));
    fromSelect.value = shown.compare.from;
    toSelect.value = shown.compare.to;
    const compare = (event) => {
      event.preventDefault();
      shown.compare = { from: fromSelect.value, to: toSelect.value };
      show(diffHolder, diffView());
    };
    const diffHolder = h('div', { 'aria-live': 'polite' }, diffView());
    return h('section', { class: 'history', 'aria-labelledby': 'history-heading' },
      h('h4', { id: 'history-heading', text: t('historyHeading') }),
      h('p', { class: 'hint', text: t('historyIntro', { id: shown.summary.id }) }),
      h('ol', { class: 'timeline', reversed: true }, shown.versions.map((v) => h('li', { text: t('versionOption', { version: v.read.versionId, time: formatTime(v.time) }) }))),
      shown.versions.length > 1 ? h('form', { class: 'controls', onsubmit: compare },
        h('label', { for: 'compare-from', text: t('compareFrom') }), fromSelect,
        h('label', { for: 'compare-to', text: t('compareTo') }), toSelect,
        h('button', { type: 'submit', id: 'compare-button', text: t('compare') })) : undefined,
      diffHolder);
  }

  function render() {
    if (!shown) return;
    show(result, header(), outage(), h('div', { class: 'sections' }, shown.read.sections.map(sectionView)), historyView());
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void load();
  });
  onLanguageChange(() => {
    if (shown) void busy(button, status, reload);
  });

  return (async () => {
    if (!config.simulator) {
      status.textContent = t('noSimulator');
      return;
    }
    try {
      patients = (await call('/demo/api/patients', { auth: false, accept: 'application/json' })).body;
      show(select, patients.map((p) => h('option', { value: p.slug, text: `${p.name} – ${p.slug}` })));
      if (patients.some((p) => p.slug === DEFAULT_PATIENT)) select.value = DEFAULT_PATIENT;
    } catch (error) {
      status.textContent = describeError(error);
    }
  })();
}
