/**
 * Flow 3, an EU prescription in a Norwegian pharmacy: pick an EU ePrescription → the pharmacy view
 * (`$render-eu-prescription`, JSON) → dispense: the pharmacy system's Utlevering (M10), built here →
 * `$convert-dispense-to-eu` → the EU eDispensation that goes back to the prescribing country.
 */
import { ApiError, base64OfText, call, parameter } from './api.js';
import { busy, fillSelect, fixtureUrl, h, keyValueTable, outcomeTable, show, sourceView, today } from './dom.js';
import { randomUuid } from './edispensation.js';
import { onLanguageChange, t } from './i18n.js';
import { buildM10ForEuPrescription } from './m10.js';
import { issueLines } from './source-lines.js';

/** The EU prescription chosen first: the one valid against today's date. */
const DEFAULT_PRESCRIPTION = 'ep-se-demo-gyldig.json';
/**
 * The demo pharmacy's stock: a Norwegian package per ATC code of the EU fixtures (invented article
 * numbers, as in test-data/eresept). A pharmacist picks the package; the page prefills it.
 */
const DEMO_STOCK = {
  J01CA04: { varenr: '563210', name: 'Amoxicillin Testfarma Kaps 500 mg', packSize: 21 },
  H03AA01: { varenr: '563227', name: 'Levotyroksin Testfarma Tab 50 mikrog', packSize: 100 },
  R03AC02: { varenr: '563234', name: 'Salbutamol Testfarma Inhalasjonsaerosol 100 mikrog/dose', packSize: 200 },
  M01AE01: { varenr: '563241', name: 'Ibuprofen Testfarma Tab 400 mg', packSize: 30 },
};

const ofType = (bundle, type) => (bundle.entry ?? []).find((e) => e.resource?.resourceType === type)?.resource;
const term = (x) => (x ? `${x.norwegian ?? x.original}${x.code ? ` (${x.code})` : ''}` : undefined);

/** Sets up the flow; resolves when the prescription list is loaded. */
export function setUpPharmacyFlow() {
  const select = document.getElementById('ep-select');
  const status = document.getElementById('pharmacy-status');
  const result = document.getElementById('pharmacy-result');
  const viewButton = document.getElementById('pharmacy-view');
  const dispenseBlock = document.getElementById('pharmacy-dispense');
  const dispenseButton = document.getElementById('pharmacy-dispense-button');
  const dispenseStatus = document.getElementById('pharmacy-dispense-status');
  const dispenseResult = document.getElementById('pharmacy-dispense-result');
  const field = (name) => document.getElementById(`dispense-${name}`);
  let shown;
  let dispensed;

  async function view() {
    const file = select.value;
    const bundle = await (await fetch(fixtureUrl('eu-prescription', file))).json();
    const answer = (await call('/fhir/$render-eu-prescription', { json: bundle, accept: 'application/json' })).body;
    shown = { file, bundle, view: answer };
    dispensed = undefined;
    const stock = DEMO_STOCK[answer.product.atc?.code] ?? { varenr: '', name: answer.product.name, packSize: Number.parseInt(answer.product.packageSize ?? '', 10) || 1 };
    field('varenr').value = stock.varenr;
    field('product').value = stock.name;
    field('packsize').value = String(stock.packSize);
    field('packages').value = '1';
    field('date').value = today();
    render();
  }

  async function dispense() {
    const { bundle, view: v } = shown;
    const patient = ofType(bundle, 'Patient');
    const m10 = buildM10ForEuPrescription({
      prescriptionId: v.prescriptionId,
      patient: { family: patient?.name?.[0]?.family ?? '', given: patient?.name?.[0]?.given?.join(' ') ?? '', birthDate: patient?.birthDate ?? '' },
      product: { varenr: field('varenr').value, name: field('product').value, atc: v.product.atc?.code ?? '', atcName: v.product.atc?.original ?? '', packSize: Number(field('packsize').value) },
      dosageText: v.dosage.lines.join('; ') || v.dosage.originalText.join('; '),
      packages: Number(field('packages').value),
      dispensedOn: field('date').value,
      genDate: new Date().toISOString(),
      msgId: randomUuid(),
    });
    const parameters = { resourceType: 'Parameters', parameter: [
      { name: 'prescription', resource: bundle },
      { name: 'dispense', resource: { resourceType: 'Binary', contentType: 'application/xml', data: base64OfText(m10) } },
    ] };
    try {
      const answer = (await call('/fhir/$convert-dispense-to-eu', { json: parameters })).body;
      dispensed = { m10, eBundle: parameter(answer, 'return'), report: parameter(answer, 'report') };
    } catch (error) {
      if (!(error instanceof ApiError) || !error.outcome) throw error;
      dispensed = { m10, refused: { status: error.status, outcome: error.outcome } };
    }
    renderDispensed();
  }

  function render() {
    if (!shown) return;
    const v = shown.view;
    dispenseBlock.hidden = false;
    show(result,
      h('h3', { text: `${t('viewHeading')} – ${shown.file}` }),
      v.warnings.length ? h('div', { class: 'warnings', id: 'pharmacy-warnings' }, h('h4', { text: t('viewWarnings') }), h('ul', {}, v.warnings.map((w) => h('li', { 'data-code': w.code, text: w.message })))) : undefined,
      h('div', { id: 'pharmacy-view-table' }, keyValueTable([
        [t('viewPrescription'), v.prescriptionId],
        [t('viewCountry'), v.country],
        [t('viewStatus'), v.status],
        [t('viewAuthored'), v.authoredOn],
        [t('viewPatient'), [v.patient.name, v.patient.birthDate, v.patient.gender].filter(Boolean).join(', ') + (v.patient.identifier ? ` (${v.patient.identifier})` : '')],
        [t('viewPrescriber'), [v.prescriber.name, v.prescriber.organisation].filter(Boolean).join(', ') + (v.prescriber.country ? ` (${v.prescriber.country})` : '')],
        [t('viewProduct'), `${v.product.name}${v.product.code?.code ? ` (${v.product.code.code})` : ''}`],
        [t('viewAtc'), v.product.atc ? `${v.product.atc.code ?? ''} ${v.product.atc.original}`.trim() : undefined],
        [t('viewForm'), term(v.product.form)],
        [t('viewStrength'), v.product.strength],
        [t('viewPackage'), v.product.packageSize],
        [t('viewDosage'), h('ul', { class: 'plain' }, v.dosage.lines.map((l) => h('li', { text: l })), v.dosage.originalText.map((o) => h('li', { class: 'original', text: t('viewOriginal', { text: o }) })))],
        [t('viewRoute'), term(v.dosage.route)],
        [t('viewQuantity'), v.quantity],
        [t('viewRepeats'), String(v.repeats)],
        [t('viewValidity'), [v.validity.from, v.validity.to].filter(Boolean).join(' – ')],
        [t('viewSubstitution'), v.substitution.text],
        [t('viewNotes'), v.notes.length ? v.notes.join(' ') : undefined],
      ])));
    renderDispensed();
  }

  function renderDispensed() {
    if (!dispensed) {
      show(dispenseResult);
      return;
    }
    const m10View = sourceView(dispensed.m10, new Map(), { id: 'pharmacy-m10', label: t('m10Sent') });
    if (dispensed.refused) {
      show(dispenseResult,
        h('p', { class: 'error', id: 'pharmacy-refused', text: t('refused', { status: dispensed.refused.status }) }),
        outcomeTable(dispensed.refused.outcome, { lines: issueLines(dispensed.m10, dispensed.refused.outcome), viewId: 'pharmacy-m10' }),
        m10View);
      return;
    }
    const md = ofType(dispensed.eBundle, 'MedicationDispense');
    const medication = ofType(dispensed.eBundle, 'Medication');
    const pharmacy = ofType(dispensed.eBundle, 'Organization');
    const coding = medication?.code?.coding?.[0];
    show(dispenseResult,
      h('h4', { text: t('eDispensationBack') }),
      h('div', { id: 'pharmacy-edispensation' }, keyValueTable([
        [t('dispenseStatus'), md?.status],
        [t('dispenseWhen'), md?.whenHandedOver],
        [t('dispenseQuantity'), md?.quantity ? `${md.quantity.value} ${md.quantity.unit ?? ''}`.trim() : undefined],
        [t('dispenseMedication'), medication?.code?.text ?? (coding ? `${coding.display ?? ''} (${coding.code})` : undefined)],
        [t('dispensePrescription'), md?.authorizingPrescription?.[0]?.identifier?.value],
        [t('dispensePharmacy'), pharmacy?.name],
      ])),
      sourceView(JSON.stringify(dispensed.eBundle, null, 2), new Map(), { id: 'pharmacy-ed', label: t('eDispensationBack') }),
      h('h4', { text: t('reportHeading') }),
      outcomeTable(dispensed.report, { lines: issueLines(dispensed.m10, dispensed.report), viewId: 'pharmacy-m10' }),
      h('details', {}, h('summary', { text: t('m10Sent') }), m10View));
  }

  document.getElementById('pharmacy-form').addEventListener('submit', (event) => {
    event.preventDefault();
    void busy(viewButton, status, view);
  });
  document.getElementById('pharmacy-dispense-form').addEventListener('submit', (event) => {
    event.preventDefault();
    void busy(dispenseButton, dispenseStatus, dispense);
  });
  onLanguageChange(render);

  return (async () => {
    const fixtures = (await call('/demo/api/fixtures', { auth: false, accept: 'application/json' })).body;
    fillSelect(select, fixtures['eu-prescription'], DEFAULT_PRESCRIPTION);
  })();
}
