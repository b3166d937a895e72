#!/usr/bin/env node
/**
 * Writes the validation corpus in test-data/validation/ (see its README): valid documents the service
 * produces (patient summaries of test patients, conversion outputs) and invalid ones, each made from a
 * valid one with exactly one known defect, and manifest.json with the issue location each defect must be
 * reported at. Deterministic: the same sources give the same bytes.
 *
 *   node scripts/validation/make-corpus.mjs           # write
 *   node scripts/validation/make-corpus.mjs --check   # compare only; exit 1 when a file is missing, differs or is extra
 *
 * Runs the TypeScript sources through scripts/patients/ts-loader.mjs (no build needed).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { register } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

register('../patients/ts-loader.mjs', import.meta.url);
const core = await import('../../packages/core/src/index.ts');
const { stableUuid } = await import('../../packages/core/src/conversion/stable-id.ts');

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const OUT = join(ROOT, 'test-data/validation');
const CHECK_ONLY = process.argv.includes('--check');
/** The build time of every summary in the corpus. */
const NOW = new Date('2026-11-20T10:00:00Z');
const FETCHED_AT = '2026-11-20T09:59:00.000Z';

const json = (value) => `${JSON.stringify(value, null, 2)}\n`;
const readJson = (path) => JSON.parse(readFileSync(join(ROOT, path), 'utf8'));
const clone = (value) => structuredClone(value);

// ---------------------------------------------------------------- valid documents

const patients = core.loadPatientFolders();

/** A test patient's summary as the service renders it. */
function summary(slug, language) {
  const p = patients.find((x) => x.slug === slug);
  if (!p) throw new Error(`no test patient ${slug}`);
  const outcomes = Object.fromEntries(core.SOURCE_NAMES.map((s) => [s, { status: 'fresh', snapshot: { source: s, fetchedAt: FETCHED_AT, data: p.data[s] } }]));
  const { bundle } = core.assembleSummary({ patient: { id: stableUuid('test-patient', p.slug), key: p.key }, outcomes, now: NOW, allowSyntheticIdentities: true });
  return core.renderSummary(bundle, language);
}

/** Files written by this script: path below test-data/validation → content. */
const files = new Map();
/** Manifest entries. */
const valid = [];
const invalid = [];

function addValid(file, doc, what) {
  files.set(file, json(doc));
  valid.push({ file, what });
  return doc;
}

const S = {
  devices: addValid('valid/summary-explanted-device-completed-en.json', summary('explanted-device-completed', 'en'), 'patient summary (en): devices, medicines, problems, procedures'),
  alerts: addValid('valid/summary-bleeding-disorder-haemophilia-nb.json', summary('bleeding-disorder-haemophilia', 'nb'), 'patient summary (nb): an alert Flag about a critical condition'),
  allergy: addValid('valid/summary-child-under-ten-en.json', summary('child-under-ten', 'en'), 'patient summary (en): an allergy'),
  dnr: addValid('valid/summary-d-number-seasonal-worker-nb.json', summary('d-number-seasonal-worker', 'nb'), 'patient summary (nb): a D-nummer patient'),
  empty: addValid('valid/summary-nobody-knows-anything-en.json', summary('nobody-knows-anything', 'en'), 'patient summary (en): six empty sections (nilknown)'),
};

// Conversion outputs (the committed goldens) as standalone Bundles.
const goldenBundles = {};
for (const dir of ['m1-to-eu', 'dispense-to-eu']) {
  for (const name of readdirSync(join(ROOT, 'test-data/golden', dir)).filter((f) => f.endsWith('.json')).sort()) {
    const file = `valid/${dir}-${name}`;
    goldenBundles[`${dir}/${name}`] = addValid(file, readJson(`test-data/golden/${dir}/${name}`).bundle, `conversion output (${dir}, golden ${name})`);
  }
}

// The EU fixtures and the e-resept fixtures are valid as they are: listed, not copied.
for (const name of readdirSync(join(ROOT, 'test-data/eu')).filter((f) => f.endsWith('.json')).sort()) valid.push({ file: `../eu/${name}`, what: 'EU ePrescription / eDispensation fixture' });
for (const name of ['m1-pakning-dosering.xml', 'm1-magistrell.xml', 'm10-normal.xml']) valid.push({ file: `../eresept/${name}`, what: 'Norwegian e-resept message (M1 / M10)' });

// ---------------------------------------------------------------- helpers for defects

const entryOf = (doc, type, nth = 0) => {
  const found = doc.entry.map((e, i) => [e, i]).filter(([e]) => e.resource?.resourceType === type);
  const hit = found[nth];
  if (!hit) throw new Error(`no ${type} #${nth}`);
  return { entry: hit[0], index: hit[1], resource: hit[0].resource, at: `Bundle.entry[${hit[1]}].resource` };
};
const composition = (doc) => doc.entry[0].resource;
const sectionIndex = (doc, loinc) => composition(doc).section.findIndex((s) => s.code.coding[0].code === loinc);
const sectionAt = (doc, loinc) => `Bundle.entry[0].resource.section[${sectionIndex(doc, loinc)}]`;
const LOINC = { devices: '46264-8', alerts: '104605-1', allergies: '48765-2', medications: '10160-0', problems: '11450-4', procedures: '47519-4' };
const SECTIONS = 'Bundle.entry[0].resource.section';

/**
 * One invalid document: a copy of `base` changed by `mutate`, which returns the expected issue location
 * (a FHIRPath) or `{ location }` for XML.
 */
function defect(id, baseFile, base, defectText, mutate) {
  const doc = clone(base);
  const where = mutate(doc);
  const file = `invalid/${id}.json`;
  files.set(file, json(doc));
  invalid.push({ file, base: baseFile, defect: defectText, expect: { severity: 'error', ...(typeof where === 'string' ? { expression: where } : where) } });
}

const F = {
  devices: 'valid/summary-explanted-device-completed-en.json',
  alerts: 'valid/summary-bleeding-disorder-haemophilia-nb.json',
  allergy: 'valid/summary-child-under-ten-en.json',
  dnr: 'valid/summary-d-number-seasonal-worker-nb.json',
};

// ---------------------------------------------------------------- summary: document structure

for (const [name, code] of Object.entries(LOINC)) {
  defect(`summary-missing-section-${name}`, F.devices, S.devices, `the ${name} section (LOINC ${code}) is missing`, (d) => {
    composition(d).section.splice(sectionIndex(d, code), 1);
    return SECTIONS;
  });
}
defect('summary-section-no-entry-no-emptyreason-empty', F.devices, S.devices, 'the Alerts section has neither entry nor emptyReason (ips-comp-1)', (d) => {
  const at = sectionAt(d, LOINC.alerts);
  delete composition(d).section[sectionIndex(d, LOINC.alerts)].emptyReason;
  return at;
});
defect('summary-section-no-entry-no-emptyreason-full', F.devices, S.devices, 'the Problems section lost its entries and has no emptyReason (ips-comp-1)', (d) => {
  const at = sectionAt(d, LOINC.problems);
  delete composition(d).section[sectionIndex(d, LOINC.problems)].entry;
  return at;
});
defect('summary-wrong-loinc-allergies', F.devices, S.devices, 'the Allergies section has LOINC 48765-3 instead of 48765-2', (d) => {
  composition(d).section[sectionIndex(d, LOINC.allergies)].code.coding[0].code = '48765-3';
  return SECTIONS;
});
defect('summary-wrong-system-problems', F.devices, S.devices, 'the Problems section code is in SNOMED CT instead of LOINC', (d) => {
  composition(d).section[sectionIndex(d, LOINC.problems)].code.coding[0].system = 'http://snomed.info/sct';
  return SECTIONS;
});
defect('summary-section-no-title', F.devices, S.devices, 'the Medication summary section has no title', (d) => {
  const at = sectionAt(d, LOINC.medications);
  delete composition(d).section[sectionIndex(d, LOINC.medications)].title;
  return `${at}.title`;
});
defect('summary-section-no-text', F.devices, S.devices, 'the Procedures section has no narrative', (d) => {
  const at = sectionAt(d, LOINC.procedures);
  delete composition(d).section[sectionIndex(d, LOINC.procedures)].text;
  return `${at}.text`;
});
defect('summary-section-bad-emptyreason', F.devices, S.devices, 'the Alerts section emptyReason is a code outside list-empty-reason (required binding)', (d) => {
  const at = sectionAt(d, LOINC.alerts);
  composition(d).section[sectionIndex(d, LOINC.alerts)].emptyReason.coding[0].code = 'none';
  return `${at}.emptyReason`;
});
defect('summary-section-entry-wrong-type', F.devices, S.devices, 'the Devices section refers to a Condition instead of a DeviceUseStatement', (d) => {
  const at = sectionAt(d, LOINC.devices);
  composition(d).section[sectionIndex(d, LOINC.devices)].entry[0].reference = entryOf(d, 'Condition').entry.fullUrl;
  return `${at}.entry[0]`;
});
defect('summary-section-entry-dangling', F.devices, S.devices, 'a Problems section entry refers to no entry of the Bundle', (d) => {
  const at = sectionAt(d, LOINC.problems);
  composition(d).section[sectionIndex(d, LOINC.problems)].entry[0].reference = 'urn:uuid:00000000-0000-4000-8000-000000000001';
  return `${at}.entry[0].reference`;
});
defect('summary-composition-not-first', F.devices, S.devices, 'the Composition is the last entry instead of the first', (d) => {
  d.entry.push(d.entry.shift());
  return 'Bundle.entry[0]';
});
defect('summary-two-compositions', F.devices, S.devices, 'a second Composition in the document', (d) => {
  d.entry.push({ fullUrl: 'urn:uuid:00000000-0000-4000-8000-000000000002', resource: { ...clone(composition(d)), id: '00000000-0000-4000-8000-000000000002' } });
  return `Bundle.entry[${d.entry.length - 1}]`;
});
defect('summary-composition-wrong-type', F.devices, S.devices, 'Composition.type is LOINC 11503-0 instead of 60591-5 (Patient summary)', (d) => {
  composition(d).type.coding[0].code = '11503-0';
  return 'Bundle.entry[0].resource.type';
});
defect('summary-composition-no-subject', F.devices, S.devices, 'the Composition has no subject', (d) => {
  delete composition(d).subject;
  return 'Bundle.entry[0].resource.subject';
});
defect('summary-composition-subject-display-only', F.devices, S.devices, 'Composition.subject has a display but no reference', (d) => {
  composition(d).subject = { display: 'the patient' };
  return 'Bundle.entry[0].resource.subject.reference';
});
defect('summary-composition-bad-status', F.devices, S.devices, 'Composition.status is "done" (not in composition-status)', (d) => {
  composition(d).status = 'done';
  return 'Bundle.entry[0].resource.status';
});
defect('summary-composition-bad-date', F.devices, S.devices, 'Composition.date is not a FHIR dateTime', (d) => {
  composition(d).date = '20.11.2026 10:00';
  return 'Bundle.entry[0].resource.date';
});
defect('summary-composition-subject-wrong-type', F.devices, S.devices, 'Composition.subject refers to the Organization', (d) => {
  composition(d).subject.reference = entryOf(d, 'Organization').entry.fullUrl;
  return 'Bundle.entry[0].resource.subject';
});

// ---------------------------------------------------------------- summary: Bundle

defect('summary-bundle-type-collection', F.devices, S.devices, 'Bundle.type is collection, not document', (d) => {
  d.type = 'collection';
  return 'Bundle.type';
});
defect('summary-bundle-type-unknown-code', F.devices, S.devices, 'Bundle.type is "dokument" (not a bundle-type code)', (d) => {
  d.type = 'dokument';
  return 'Bundle.type';
});
defect('summary-bundle-no-identifier', F.devices, S.devices, 'the document has no identifier', (d) => {
  delete d.identifier;
  return 'Bundle.identifier';
});
defect('summary-bundle-no-timestamp', F.devices, S.devices, 'the document has no timestamp', (d) => {
  delete d.timestamp;
  return 'Bundle.timestamp';
});
defect('summary-bundle-timestamp-number', F.devices, S.devices, 'Bundle.timestamp is a number (wrong datatype)', (d) => {
  d.timestamp = 20261120;
  return 'Bundle.timestamp';
});
defect('summary-entry-no-fullurl', F.devices, S.devices, 'an entry without fullUrl', (d) => {
  const c = entryOf(d, 'Organization');
  delete c.entry.fullUrl;
  return `Bundle.entry[${c.index}].fullUrl`;
});
defect('summary-entry-duplicate-fullurl', F.devices, S.devices, 'two entries share one fullUrl', (d) => {
  const p = entryOf(d, 'Provenance');
  p.entry.fullUrl = entryOf(d, 'Provenance', 1).entry.fullUrl;
  return `Bundle.entry[${entryOf(d, 'Provenance', 1).index}].fullUrl`;
});
defect('summary-entry-with-request', F.devices, S.devices, 'an entry carries request (not allowed in a document)', (d) => {
  const c = entryOf(d, 'Condition');
  c.entry.request = { method: 'POST', url: 'Condition' };
  return `Bundle.entry[${c.index}].request`;
});
defect('summary-entry-without-resource', F.devices, S.devices, 'an entry without resource', (d) => {
  const c = entryOf(d, 'Provenance');
  delete c.entry.resource;
  return `Bundle.entry[${c.index}].resource`;
});
defect('summary-two-patients', F.devices, S.devices, 'a second Patient in the document', (d) => {
  const p = entryOf(d, 'Patient');
  d.entry.push({ fullUrl: 'urn:uuid:00000000-0000-4000-8000-000000000003', resource: { ...clone(p.resource), id: '00000000-0000-4000-8000-000000000003' } });
  return 'Bundle.entry';
});
defect('summary-unknown-resource-type', F.devices, S.devices, 'an entry whose resourceType is not a FHIR type ("Conditon")', (d) => {
  const c = entryOf(d, 'Condition');
  c.resource.resourceType = 'Conditon';
  return `${c.at}.resourceType`;
});

// ---------------------------------------------------------------- summary: Patient

defect('summary-patient-fnr-check-digit', F.devices, S.devices, 'the fødselsnummer has a wrong check digit', (d) => {
  const p = entryOf(d, 'Patient');
  const v = p.resource.identifier[0].value;
  p.resource.identifier[0].value = v.slice(0, 10) + String((Number(v[10]) + 1) % 10);
  return `${p.at}.identifier[0].value`;
});
defect('summary-patient-fnr-no-value', F.devices, S.devices, 'the FNR identifier has a system but no value (1..1 inside the slice)', (d) => {
  const p = entryOf(d, 'Patient');
  delete p.resource.identifier[0].value;
  return `${p.at}.identifier[0].value`;
});
defect('summary-patient-fnr-10-digits', F.devices, S.devices, 'the fødselsnummer has 10 digits (no-pat-fnr)', (d) => {
  const p = entryOf(d, 'Patient');
  p.resource.identifier[0].value = p.resource.identifier[0].value.slice(0, 10);
  return `${p.at}.identifier[0]`;
});
defect('summary-patient-dnr-as-fnr', F.dnr, S.dnr, 'a D-nummer sent with the fødselsnummer system', (d) => {
  const p = entryOf(d, 'Patient');
  p.resource.identifier[0].system = 'urn:oid:2.16.578.1.12.4.1.4.1';
  return `${p.at}.identifier[0].value`;
});
defect('summary-patient-dnr-bad-first-digit', F.dnr, S.dnr, 'the D-nummer does not start with 4–7 (no-pat-dnr)', (d) => {
  const p = entryOf(d, 'Patient');
  p.resource.identifier[0].value = `0${p.resource.identifier[0].value.slice(1)}`;
  return `${p.at}.identifier[0]`;
});
defect('summary-patient-no-norwegian-id', F.devices, S.devices, 'the Patient has no fødselsnummer, D-nummer or felles hjelpenummer (no-pat-1)', (d) => {
  const p = entryOf(d, 'Patient');
  p.resource.identifier[0].system = 'urn:oid:1.2.208.176.1.2';
  return p.at;
});
defect('summary-patient-no-birthdate', F.devices, S.devices, 'the Patient has no birthDate', (d) => {
  const p = entryOf(d, 'Patient');
  delete p.resource.birthDate;
  return `${p.at}.birthDate`;
});
defect('summary-patient-no-name', F.devices, S.devices, 'the Patient has no name', (d) => {
  const p = entryOf(d, 'Patient');
  delete p.resource.name;
  return `${p.at}.name`;
});
defect('summary-patient-empty-name', F.devices, S.devices, 'the Patient name has neither family, given nor text (ips-pat-1)', (d) => {
  const p = entryOf(d, 'Patient');
  p.resource.name = [{ use: 'official' }];
  return `${p.at}.name[0]`;
});
defect('summary-patient-gender-norwegian', F.devices, S.devices, 'Patient.gender is "mann" (outside administrative-gender, required binding)', (d) => {
  const p = entryOf(d, 'Patient');
  p.resource.gender = 'mann';
  return `${p.at}.gender`;
});
defect('summary-patient-birthdate-format', F.devices, S.devices, 'Patient.birthDate is written dd.mm.yyyy', (d) => {
  const p = entryOf(d, 'Patient');
  const [y, m, dd] = p.resource.birthDate.split('-');
  p.resource.birthDate = `${dd}.${m}.${y}`;
  return `${p.at}.birthDate`;
});
defect('summary-patient-active-string', F.devices, S.devices, 'Patient.active is the string "yes" (wrong datatype)', (d) => {
  const p = entryOf(d, 'Patient');
  p.resource.active = 'yes';
  return `${p.at}.active`;
});
defect('summary-patient-extra-element', F.devices, S.devices, 'Patient has an element FHIR does not define ("fodselsnummer")', (d) => {
  const p = entryOf(d, 'Patient');
  p.resource.fodselsnummer = p.resource.identifier[0].value;
  return `${p.at}.fodselsnummer`;
});
defect('summary-patient-address-use', F.devices, S.devices, 'Patient.address.use is "hjem" (outside address-use, required binding in the Address data type)', (d) => {
  const p = entryOf(d, 'Patient');
  p.resource.address[0].use = 'hjem';
  return `${p.at}.address[0].use`;
});

// ---------------------------------------------------------------- summary: clinical entries

defect('summary-allergy-no-code', F.allergy, S.allergy, 'an AllergyIntolerance without code', (d) => {
  const a = entryOf(d, 'AllergyIntolerance');
  delete a.resource.code;
  return `${a.at}.code`;
});
defect('summary-allergy-patient-display-only', F.allergy, S.allergy, 'AllergyIntolerance.patient has no reference (eps-bundle-patient-ref)', (d) => {
  const a = entryOf(d, 'AllergyIntolerance');
  a.resource.patient = { display: 'the patient' };
  return `${a.at}.patient.reference`;
});
defect('summary-allergy-criticality-norwegian', F.allergy, S.allergy, 'AllergyIntolerance.criticality is "lav" (required binding)', (d) => {
  const a = entryOf(d, 'AllergyIntolerance');
  a.resource.criticality = 'lav';
  return `${a.at}.criticality`;
});
defect('summary-allergy-category-unknown', F.allergy, S.allergy, 'AllergyIntolerance.category is "mat" (required binding)', (d) => {
  const a = entryOf(d, 'AllergyIntolerance');
  a.resource.category = ['mat'];
  return `${a.at}.category[0]`;
});
defect('summary-condition-no-code', F.devices, S.devices, 'a Condition without code', (d) => {
  const c = entryOf(d, 'Condition');
  delete c.resource.code;
  return `${c.at}.code`;
});
defect('summary-condition-no-subject', F.devices, S.devices, 'a Condition without subject', (d) => {
  const c = entryOf(d, 'Condition');
  delete c.resource.subject;
  return `${c.at}.subject`;
});
defect('summary-condition-subject-dangling', F.devices, S.devices, 'Condition.subject refers to no entry of the Bundle', (d) => {
  const c = entryOf(d, 'Condition');
  c.resource.subject.reference = 'urn:uuid:00000000-0000-4000-8000-000000000004';
  return `${c.at}.subject.reference`;
});
defect('summary-condition-subject-wrong-type', F.devices, S.devices, 'Condition.subject refers to a Medication', (d) => {
  const c = entryOf(d, 'Condition');
  c.resource.subject.reference = entryOf(d, 'Medication').entry.fullUrl;
  return `${c.at}.subject`;
});
defect('summary-condition-onset-number', F.devices, S.devices, 'Condition.onsetDateTime is a number (wrong datatype)', (d) => {
  const c = entryOf(d, 'Condition');
  c.resource.onsetDateTime = 20200115;
  return `${c.at}.onsetDateTime`;
});
defect('summary-condition-extra-element', F.devices, S.devices, 'Condition has "diagnosis", which FHIR does not define', (d) => {
  const c = entryOf(d, 'Condition');
  c.resource.diagnosis = c.resource.code;
  return `${c.at}.diagnosis`;
});
defect('summary-procedure-no-performed', F.devices, S.devices, 'a Procedure without performed[x]', (d) => {
  const p = entryOf(d, 'Procedure');
  delete p.resource.performedDateTime;
  return `${p.at}.performed`;
});
defect('summary-procedure-bad-status', F.devices, S.devices, 'Procedure.status is "utført" (outside event-status, required binding)', (d) => {
  const p = entryOf(d, 'Procedure');
  p.resource.status = 'utført';
  return `${p.at}.status`;
});
defect('summary-medicationstatement-no-effective', F.devices, S.devices, 'a MedicationStatement without effective[x]', (d) => {
  const m = entryOf(d, 'MedicationStatement');
  delete m.resource.effectivePeriod;
  delete m.resource.effectiveDateTime;
  delete m.resource._effectiveDateTime;
  return `${m.at}.effective`;
});
defect('summary-medicationstatement-no-medication', F.devices, S.devices, 'a MedicationStatement without medication[x]', (d) => {
  const m = entryOf(d, 'MedicationStatement');
  delete m.resource.medicationReference;
  return `${m.at}.medication`;
});
defect('summary-medicationstatement-bad-status', F.devices, S.devices, 'MedicationStatement.status is "aktiv" (required binding)', (d) => {
  const m = entryOf(d, 'MedicationStatement');
  m.resource.status = 'aktiv';
  return `${m.at}.status`;
});
defect('summary-medicationstatement-medication-dangling', F.devices, S.devices, 'MedicationStatement.medicationReference refers to no entry', (d) => {
  const m = entryOf(d, 'MedicationStatement');
  m.resource.medicationReference.reference = 'urn:uuid:00000000-0000-4000-8000-000000000005';
  return `${m.at}.medicationReference.reference`;
});
defect('summary-medication-no-code', F.devices, S.devices, 'a Medication without code (eps-bundle-resource-code)', (d) => {
  const m = entryOf(d, 'Medication');
  delete m.resource.code;
  return `${m.at}.code`;
});
defect('summary-deviceusestatement-no-timing', F.devices, S.devices, 'a DeviceUseStatement without timing[x]', (d) => {
  const u = entryOf(d, 'DeviceUseStatement');
  delete u.resource.timingDateTime;
  delete u.resource._timingDateTime;
  delete u.resource.timingPeriod;
  return `${u.at}.timing`;
});
defect('summary-deviceusestatement-device-display-only', F.devices, S.devices, 'DeviceUseStatement.device has no reference', (d) => {
  const u = entryOf(d, 'DeviceUseStatement');
  u.resource.device = { display: 'pacemaker' };
  return `${u.at}.device.reference`;
});
defect('summary-deviceusestatement-device-dangling', F.devices, S.devices, 'DeviceUseStatement.device refers to no entry', (d) => {
  const u = entryOf(d, 'DeviceUseStatement');
  u.resource.device.reference = 'urn:uuid:00000000-0000-4000-8000-000000000006';
  return `${u.at}.device.reference`;
});
defect('summary-flag-inactive', F.alerts, S.alerts, 'the alert Flag has status inactive (fixed active)', (d) => {
  const f = entryOf(d, 'Flag');
  f.resource.status = 'inactive';
  return `${f.at}.status`;
});
defect('summary-flag-no-subject', F.alerts, S.alerts, 'the alert Flag has no subject', (d) => {
  const f = entryOf(d, 'Flag');
  delete f.resource.subject;
  return `${f.at}.subject`;
});
defect('summary-flag-detail-wrong-type', F.alerts, S.alerts, 'the flag-detail extension has a valueString instead of a valueReference', (d) => {
  const f = entryOf(d, 'Flag');
  const ext = f.resource.extension[0];
  delete ext.valueReference;
  ext.valueString = 'Hemofili A';
  return `${f.at}.extension[0].valueString`;
});
defect('summary-source-status-wrong-type', F.devices, S.devices, 'a section-source-status extension gives its status as valueString', (d) => {
  const at = sectionAt(d, LOINC.devices);
  const status = composition(d).section[sectionIndex(d, LOINC.devices)].extension[0].extension[1];
  status.valueString = status.valueCode;
  delete status.valueCode;
  return `${at}.extension[0].extension[1].valueString`;
});
// ---------------------------------------------------------------- EU ePrescription (MPD)

const EP_FILE = 'valid/m1-to-eu-m1-pakning-dosering.json';
const EP = goldenBundles['m1-to-eu/m1-pakning-dosering.json'];
const ED_FILE = '../eu/ed-se-eliquis-same-package.json';
const ED = readJson('test-data/eu/ed-se-eliquis-same-package.json');

defect('ep-medicationrequest-no-requester', EP_FILE, EP, 'MedicationRequest without requester (MPD)', (d) => {
  const m = entryOf(d, 'MedicationRequest');
  delete m.resource.requester;
  return `${m.at}.requester`;
});
defect('ep-medicationrequest-no-authoredon', EP_FILE, EP, 'MedicationRequest without authoredOn (MPD)', (d) => {
  const m = entryOf(d, 'MedicationRequest');
  delete m.resource.authoredOn;
  return `${m.at}.authoredOn`;
});
defect('ep-medicationrequest-no-identifier', EP_FILE, EP, 'MedicationRequest without the prescription identifier', (d) => {
  const m = entryOf(d, 'MedicationRequest');
  delete m.resource.identifier;
  return `${m.at}.identifier`;
});
defect('ep-medicationrequest-no-subject', EP_FILE, EP, 'MedicationRequest without subject', (d) => {
  const m = entryOf(d, 'MedicationRequest');
  delete m.resource.subject;
  return `${m.at}.subject`;
});
defect('ep-medicationrequest-bad-status', EP_FILE, EP, 'MedicationRequest.status is "aktiv" (required binding)', (d) => {
  const m = entryOf(d, 'MedicationRequest');
  m.resource.status = 'aktiv';
  return `${m.at}.status`;
});
defect('ep-medicationrequest-bad-intent', EP_FILE, EP, 'MedicationRequest.intent is "bestilling" (required binding)', (d) => {
  const m = entryOf(d, 'MedicationRequest');
  m.resource.intent = 'bestilling';
  return `${m.at}.intent`;
});
defect('ep-medicationrequest-medication-dangling', EP_FILE, EP, 'MedicationRequest.medicationReference refers to no entry', (d) => {
  const m = entryOf(d, 'MedicationRequest');
  m.resource.medicationReference.reference = 'urn:uuid:00000000-0000-4000-8000-000000000007';
  return `${m.at}.medicationReference.reference`;
});
defect('ep-medicationrequest-requester-wrong-type', EP_FILE, EP, 'MedicationRequest.requester refers to the Medication', (d) => {
  const m = entryOf(d, 'MedicationRequest');
  m.resource.requester.reference = entryOf(d, 'Medication').entry.fullUrl;
  return `${m.at}.requester`;
});
defect('ep-prescribedquantity-wrong-type', EP_FILE, EP, 'the prescribedQuantity extension has a valueString instead of a valueQuantity', (d) => {
  const m = entryOf(d, 'MedicationRequest');
  const ext = m.resource.dispenseRequest.extension[0];
  ext.valueString = String(ext.valueQuantity.value);
  delete ext.valueQuantity;
  return `${m.at}.dispenseRequest.extension[0].valueString`;
});
defect('ep-medicationrequest-authoredon-format', EP_FILE, EP, 'MedicationRequest.authoredOn is written dd.mm.yyyy', (d) => {
  const m = entryOf(d, 'MedicationRequest');
  const [y, mm, dd] = m.resource.authoredOn.split('-');
  m.resource.authoredOn = `${dd}.${mm}.${y}`;
  return `${m.at}.authoredOn`;
});
defect('ep-medicationrequest-extra-element', EP_FILE, EP, 'MedicationRequest has "dosage" (the element is dosageInstruction)', (d) => {
  const m = entryOf(d, 'MedicationRequest');
  m.resource.dosage = m.resource.dosageInstruction;
  return `${m.at}.dosage`;
});
defect('ep-substitution-allowed-string', EP_FILE, EP, 'substitution.allowedBoolean is the string "true" (wrong datatype)', (d) => {
  const m = entryOf(d, 'MedicationRequest');
  m.resource.substitution.allowedBoolean = 'true';
  return `${m.at}.substitution.allowedBoolean`;
});
defect('ep-medication-no-code', EP_FILE, EP, 'the Medication has no code (MPD)', (d) => {
  const m = entryOf(d, 'Medication');
  delete m.resource.code;
  return `${m.at}.code`;
});
defect('ep-medication-productname-wrong-type', EP_FILE, EP, 'the productName extension has a valueCode instead of a valueString', (d) => {
  const m = entryOf(d, 'Medication');
  const ext = m.resource.extension.find((e) => e.url.endsWith('ihe-ext-medication-productname'));
  const i = m.resource.extension.indexOf(ext);
  ext.valueCode = 'Eliquis';
  delete ext.valueString;
  return `${m.at}.extension[${i}].valueCode`;
});
defect('ep-patient-gender-code', EP_FILE, EP, 'Patient.gender is the Volven 3101 code "2" (required binding administrative-gender)', (d) => {
  const p = entryOf(d, 'Patient');
  p.resource.gender = '2';
  return `${p.at}.gender`;
});
defect('ep-timing-periodunit', EP_FILE, EP, 'a dosage period unit is "døgn" (outside units-of-time, required binding in Timing)', (d) => {
  const m = entryOf(d, 'MedicationRequest');
  const i = m.resource.dosageInstruction.findIndex((x) => x.timing?.repeat?.periodUnit);
  m.resource.dosageInstruction[i].timing.repeat.periodUnit = 'døgn';
  return `${m.at}.dosageInstruction[${i}].timing.repeat.periodUnit`;
});

// ---------------------------------------------------------------- EU eDispensation (MPD)

defect('ed-medicationdispense-no-recorded', ED_FILE, ED, 'MedicationDispense without the recorded extension (MPD)', (d) => {
  const m = entryOf(d, 'MedicationDispense');
  m.resource.extension = m.resource.extension.filter((e) => !e.url.endsWith('extension-MedicationDispense.recorded'));
  if (m.resource.extension.length === 0) delete m.resource.extension;
  return `${m.at}.extension`;
});
defect('ed-medicationdispense-recorded-string', ED_FILE, ED, 'the recorded extension has a valueString instead of a valueDateTime', (d) => {
  const m = entryOf(d, 'MedicationDispense');
  const i = m.resource.extension.findIndex((e) => e.url.endsWith('extension-MedicationDispense.recorded'));
  const ext = m.resource.extension[i];
  ext.valueString = ext.valueDateTime;
  delete ext.valueDateTime;
  return `${m.at}.extension[${i}].valueString`;
});
defect('ed-medicationdispense-no-performer', ED_FILE, ED, 'MedicationDispense without performer (MPD: the dispenser)', (d) => {
  const m = entryOf(d, 'MedicationDispense');
  delete m.resource.performer;
  return `${m.at}.performer`;
});
defect('ed-medicationdispense-performer-no-actor', ED_FILE, ED, 'MedicationDispense.performer without actor', (d) => {
  const m = entryOf(d, 'MedicationDispense');
  m.resource.performer = [{ function: { text: 'dispenser' } }];
  return `${m.at}.performer[0].actor`;
});
defect('ed-medicationdispense-no-quantity', ED_FILE, ED, 'MedicationDispense without quantity (MPD)', (d) => {
  const m = entryOf(d, 'MedicationDispense');
  delete m.resource.quantity;
  return `${m.at}.quantity`;
});
defect('ed-medicationdispense-bad-status', ED_FILE, ED, 'MedicationDispense.status is "utlevert" (required binding)', (d) => {
  const m = entryOf(d, 'MedicationDispense');
  m.resource.status = 'utlevert';
  return `${m.at}.status`;
});
defect('ed-medicationdispense-quantity-string', ED_FILE, ED, 'MedicationDispense.quantity.value is a string (wrong datatype)', (d) => {
  const m = entryOf(d, 'MedicationDispense');
  m.resource.quantity.value = String(m.resource.quantity.value);
  return `${m.at}.quantity.value`;
});
defect('ed-medicationdispense-handedover-format', ED_FILE, ED, 'MedicationDispense.whenHandedOver is not a FHIR dateTime', (d) => {
  const m = entryOf(d, 'MedicationDispense');
  m.resource.whenHandedOver = '12/06/2024';
  return `${m.at}.whenHandedOver`;
});
defect('ed-medicationdispense-medication-wrong-type', ED_FILE, ED, 'MedicationDispense.medicationReference refers to the Patient', (d) => {
  const m = entryOf(d, 'MedicationDispense');
  m.resource.medicationReference.reference = entryOf(d, 'Patient').entry.fullUrl;
  return `${m.at}.medicationReference`;
});
defect('ed-medicationdispense-performer-dangling', ED_FILE, ED, 'MedicationDispense.performer.actor refers to no entry', (d) => {
  const m = entryOf(d, 'MedicationDispense');
  m.resource.performer[0].actor.reference = 'urn:uuid:00000000-0000-4000-8000-000000000008';
  return `${m.at}.performer[0].actor.reference`;
});

// ---------------------------------------------------------------- e-resept XML

function xmlDefect(id, baseName, defectText, mutate, location) {
  const xml = readFileSync(join(ROOT, 'test-data/eresept', baseName), 'utf8');
  const changed = mutate(xml);
  if (changed === xml) throw new Error(`${id}: the mutation changed nothing`);
  const file = `invalid/${id}.xml`;
  files.set(file, changed);
  invalid.push({ file, base: `../eresept/${baseName}`, defect: defectText, expect: { severity: 'error', location } });
}
xmlDefect('m1-no-forskrivningsdato', 'm1-pakning-dosering.xml', 'the M1 has no Forskrivningsdato',
  (x) => x.replace(/<(\w+:)?Forskrivningsdato>[^<]*<\/(\w+:)?Forskrivningsdato>\s*/, ''), '/mh:MsgHead/mh:Document[1]/mh:RefDoc/mh:Content/m1:Resept/m1:Forskrivningsdato');
xmlDefect('m1-bad-date', 'm1-pakning-dosering.xml', 'Forskrivningsdato is not a date',
  (x) => x.replace(/(<(\w+:)?Forskrivningsdato>)[^<]*/, '$104.03.2024'), '/mh:MsgHead/mh:Document[1]/mh:RefDoc/mh:Content/m1:Resept/m1:Forskrivningsdato');
xmlDefect('m10-unknown-element', 'm10-normal.xml', 'an element the M10 schema does not define',
  (x) => x.replace(/(<(\w+:)?MsgInfo>)/, '$1<Ukjent>x</Ukjent>'), '/mh:MsgHead/mh:MsgInfo/mh:Ukjent');

// ---------------------------------------------------------------- write or check

const manifest = {
  description: 'Validation corpus: documents the service produces (valid) and copies with exactly one known defect (invalid), with where the validator must report it. Generated by scripts/validation/make-corpus.mjs; see README.md.',
  options: { allowSyntheticIdentities: true },
  valid,
  invalid,
};
files.set('manifest.json', json(manifest));

function existing(dir, base = dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? existing(join(dir, e.name), base) : e.name === 'README.md' ? [] : [relative(base, join(dir, e.name))]));
}

const differences = [];
for (const [file, text] of files) {
  const path = join(OUT, file);
  if (!existsSync(path)) differences.push(`missing: ${file}`);
  else if (readFileSync(path, 'utf8') !== text) differences.push(`differs: ${file}`);
}
for (const file of existing(OUT)) if (!files.has(file)) differences.push(`extra: ${file}`);

if (CHECK_ONLY) {
  if (differences.length > 0) {
    console.error(`test-data/validation differs from what make-corpus writes (${differences.length}):\n  ${differences.join('\n  ')}`);
    console.error('run: node scripts/validation/make-corpus.mjs');
    process.exit(1);
  }
  console.log(`test-data/validation is up to date (${valid.length} valid, ${invalid.length} invalid)`);
} else {
  for (const file of existing(OUT)) if (!files.has(file)) rmSync(join(OUT, file));
  for (const [file, text] of files) {
    mkdirSync(dirname(join(OUT, file)), { recursive: true });
    writeFileSync(join(OUT, file), text);
  }
  console.log(`wrote test-data/validation: ${valid.length} valid, ${invalid.length} invalid (${differences.length} changed)`);
}
