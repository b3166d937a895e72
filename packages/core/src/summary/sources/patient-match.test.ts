import type { Bundle, MedicationStatement, Patient } from '@medplum/fhirtypes';
import { IDENTIFIER_SYSTEM } from '../../terminology/oids.js';
import {
  answerIsAbout, identifiesPerson, kjernejournalIsAbout, m1PatientIdentifiers, pllIsAbout, registerIsAbout, reseptformidlerenIsAbout,
} from './patient-match.js';
import { loadPatientFolders } from './patient-folders.js';
import { SOURCE_NAMES, type KjernejournalData, type PatientKey, type PatientSourceData } from './source-data.js';

const patients = loadPatientFolders();
const bySlug = (slug: string): PatientSourceData => patients.find((p) => p.slug === slug)!;
const RICH = bySlug('multimorbid-elderly-rich-history');
const HAEMOPHILIA = bySlug('bleeding-disorder-haemophilia');
const D_NUMBER = bySlug('d-number-seasonal-worker');
const WITH_M1 = patients.find((p) => p.data.reseptformidleren.prescriptions.length > 0 && p.key.system === IDENTIFIER_SYSTEM.fnr)!;

const clone = <T>(value: T): T => structuredClone(value);

describe('identifiesPerson', () => {
  const key: PatientKey = { system: IDENTIFIER_SYSTEM.fnr, value: '17844111940' };

  it('needs the key itself: same system and value', () => {
    expect(identifiesPerson([key], key)).toBe(true);
    expect(identifiesPerson([{ system: IDENTIFIER_SYSTEM.dnr, value: key.value }], key)).toBe(false);
    expect(identifiesPerson([{ system: key.system, value: '19830263538' }], key)).toBe(false);
    expect(identifiesPerson([], key)).toBe(false);
    expect(identifiesPerson(undefined, key)).toBe(false);
  });

  it('refuses two current fødselsnumre, but not a number the person had before', () => {
    const other = { system: key.system, value: '19830263538' };
    expect(identifiesPerson([key, other], key)).toBe(false);
    expect(identifiesPerson([other, key], key)).toBe(false);
    expect(identifiesPerson([key, { ...other, use: 'old' }], key)).toBe(true);
    expect(identifiesPerson([key, { ...other, period: { end: '2020-01-01' } }], key)).toBe(true);
    // A D-nummer beside the fødselsnummer is the same person's earlier number in another system.
    expect(identifiesPerson([key, { system: IDENTIFIER_SYSTEM.dnr, value: '47829013904' }], key)).toBe(true);
  });
});

describe('every test patient: each source answers about them', () => {
  it.each(patients.map((p) => [p.slug, p] as const))('%s', (_slug, p) => {
    for (const source of SOURCE_NAMES) expect([source, answerIsAbout(source, p.data[source], p.key)]).toEqual([source, true]);
  });
});

describe('kjernejournalIsAbout', () => {
  const kj = (): KjernejournalData => clone(RICH.data.kjernejournal);

  it('refuses the other person\'s Kjernejournal (the issue: the haemophilia patient under the multimorbid one)', () => {
    expect(kjernejournalIsAbout(HAEMOPHILIA.data.kjernejournal, RICH.key)).toBe(false);
    expect(kjernejournalIsAbout(RICH.data.kjernejournal, HAEMOPHILIA.key)).toBe(false);
  });

  it('refuses a Patient with two fødselsnumre', () => {
    const data = kj();
    (data.patient.identifier as unknown[]).push(HAEMOPHILIA.data.kjernejournal.patient.identifier![0]);
    expect(kjernejournalIsAbout(data, RICH.key)).toBe(false);
  });

  it('refuses the right Patient with another person\'s resources', () => {
    const data = { ...kj(), resources: [...kj().resources, ...HAEMOPHILIA.data.kjernejournal.resources] };
    expect(kjernejournalIsAbout(data, RICH.key)).toBe(false);
  });

  it('refuses a resource that names no patient, or by display only: it cannot be checked', () => {
    const missing = kj();
    delete (missing.resources[0] as { subject?: unknown; patient?: unknown }).subject;
    delete (missing.resources[0] as { subject?: unknown; patient?: unknown }).patient;
    expect(kjernejournalIsAbout(missing, RICH.key)).toBe(false);
    const display = kj();
    const first = display.resources[0] as { subject?: unknown; patient?: unknown };
    first[first.patient ? 'patient' : 'subject'] = { display: 'Arne Bakken' };
    expect(kjernejournalIsAbout(display, RICH.key)).toBe(false);
  });

  it('accepts a reference by the key as identifier, and refuses one by another number', () => {
    const make = (value: string): KjernejournalData => {
      const data = kj();
      return { ...data, resources: [...data.resources, { resourceType: 'Flag', status: 'active', code: { text: 'x' }, subject: { identifier: { system: IDENTIFIER_SYSTEM.fnr, value } } }] };
    };
    expect(kjernejournalIsAbout(make(RICH.key.value), RICH.key)).toBe(true);
    expect(kjernejournalIsAbout(make(HAEMOPHILIA.key.value), RICH.key)).toBe(false);
  });

  it('checks contained resources where they name a patient', () => {
    const data = kj();
    const withDevice = (patient: string): KjernejournalData => ({
      ...data,
      resources: [...data.resources, {
        resourceType: 'DeviceUseStatement', status: 'active', subject: { reference: `Patient/${data.patient.id}` }, device: { reference: '#d' },
        contained: [{ resourceType: 'Device', id: 'd', patient: { reference: patient } }],
      }],
    });
    expect(kjernejournalIsAbout(withDevice(`Patient/${data.patient.id}`), RICH.key)).toBe(true);
    expect(kjernejournalIsAbout(withDevice('Patient/someone-else'), RICH.key)).toBe(false);
  });

  it('checks a D-nummer key in its own system', () => {
    expect(kjernejournalIsAbout(D_NUMBER.data.kjernejournal, D_NUMBER.key)).toBe(true);
    expect(kjernejournalIsAbout(D_NUMBER.data.kjernejournal, { system: IDENTIFIER_SYSTEM.fnr, value: D_NUMBER.key.value })).toBe(false);
  });
});

describe('pllIsAbout', () => {
  const bundle = (): Bundle => clone(RICH.data.pll.bundle!);
  const statementOf = (b: Bundle) => b.entry!.find((e) => e.resource?.resourceType === 'MedicationStatement')!.resource as MedicationStatement;

  it('accepts no PLL, and refuses another person\'s', () => {
    expect(pllIsAbout({}, RICH.key)).toBe(true);
    expect(pllIsAbout(HAEMOPHILIA.data.pll, RICH.key)).toBe(false);
  });

  it('refuses a document without a Patient, or with a second Patient of another person', () => {
    const none = bundle();
    none.entry = none.entry!.filter((e) => e.resource?.resourceType !== 'Patient');
    expect(pllIsAbout({ bundle: none }, RICH.key)).toBe(false);
    const two = bundle();
    const theirs = HAEMOPHILIA.data.pll.bundle!.entry!.find((e) => e.resource?.resourceType === 'Patient')!;
    two.entry!.push(theirs);
    expect(pllIsAbout({ bundle: two }, RICH.key)).toBe(false);
  });

  it('refuses a MedicationStatement about someone else, or about no one', () => {
    const other = bundle();
    statementOf(other).subject = { reference: 'urn:uuid:00000000-0000-4000-8000-000000000000' };
    expect(pllIsAbout({ bundle: other }, RICH.key)).toBe(false);
    const missing = bundle();
    delete (statementOf(missing) as { subject?: unknown }).subject;
    expect(pllIsAbout({ bundle: missing }, RICH.key)).toBe(false);
  });

  it('refuses a Composition whose subject is not the document\'s Patient', () => {
    const b = bundle();
    (b.entry![0]!.resource as { subject?: unknown }).subject = { reference: 'Patient/someone-else' };
    expect(pllIsAbout({ bundle: b }, RICH.key)).toBe(false);
  });

  it('accepts Patient/<id> for the Patient entry', () => {
    const b = bundle();
    const patient = b.entry!.find((e) => e.resource?.resourceType === 'Patient')!.resource as Patient;
    statementOf(b).subject = { reference: `Patient/${patient.id}` };
    expect(pllIsAbout({ bundle: b }, RICH.key)).toBe(true);
  });
});

describe('reseptformidlerenIsAbout', () => {
  it('reads the patient of an M1 from its MsgHead', () => {
    expect(m1PatientIdentifiers(WITH_M1.data.reseptformidleren.prescriptions[0]!.m1Xml)).toContainEqual(WITH_M1.key);
    expect(m1PatientIdentifiers(D_NUMBER.data.reseptformidleren.prescriptions[0]!.m1Xml)).toContainEqual(D_NUMBER.key);
  });

  it('refuses another person\'s prescriptions, also one among the patient\'s own', () => {
    expect(reseptformidlerenIsAbout(D_NUMBER.data.reseptformidleren, WITH_M1.key)).toBe(false);
    const mixed = { prescriptions: [...WITH_M1.data.reseptformidleren.prescriptions, ...D_NUMBER.data.reseptformidleren.prescriptions] };
    expect(reseptformidlerenIsAbout(mixed, WITH_M1.key)).toBe(false);
    expect(reseptformidlerenIsAbout({ prescriptions: [] }, WITH_M1.key)).toBe(true);
  });

  it('refuses an M1 whose patient cannot be read', () => {
    const xml = WITH_M1.data.reseptformidleren.prescriptions[0]!.m1Xml;
    const withoutPatient = xml.replace(/<Patient>[\s\S]*<\/Patient>/, '');
    expect(withoutPatient).not.toBe(xml);
    expect(m1PatientIdentifiers(withoutPatient)).toBeUndefined();
    expect(reseptformidlerenIsAbout({ prescriptions: [{ reseptId: 'x', m1Xml: withoutPatient }] }, WITH_M1.key)).toBe(false);
    expect(reseptformidlerenIsAbout({ prescriptions: [{ reseptId: 'x', m1Xml: 'not xml' }] }, WITH_M1.key)).toBe(false);
  });
});

describe('registerIsAbout', () => {
  it('needs every record to name the patient', () => {
    expect(registerIsAbout(RICH.data.npr, RICH.key)).toBe(true);
    expect(registerIsAbout(RICH.data.npr, HAEMOPHILIA.key)).toBe(false);
    expect(HAEMOPHILIA.data.kpr.records.length).toBeGreaterThan(0);
    expect(registerIsAbout({ records: [...RICH.data.kpr.records, ...HAEMOPHILIA.data.kpr.records] }, RICH.key)).toBe(false);
    expect(registerIsAbout({ records: [] }, RICH.key)).toBe(true);
  });

  it('refuses a record that names no patient (as a snapshot stored before records did)', () => {
    const anonymous: Record<string, unknown> = { ...RICH.data.npr.records[0]! };
    delete anonymous.patient;
    expect(registerIsAbout({ records: [anonymous as never] }, RICH.key)).toBe(false);
  });

  it('checks a D-nummer key in its own system', () => {
    const record = { ...RICH.data.npr.records[0]!, patient: D_NUMBER.key };
    expect(registerIsAbout({ records: [record] }, D_NUMBER.key)).toBe(true);
    expect(registerIsAbout({ records: [record] }, { system: IDENTIFIER_SYSTEM.fnr, value: D_NUMBER.key.value })).toBe(false);
  });
});
