import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { MedicationStatement } from '@medplum/fhirtypes';
import { committedPatients, differences, expectedFiles, GENERATED_COUNT } from '../../../../../scripts/patients/test-patients.js';
import { SCENARIOS } from '../../../../../scripts/patients/scenarios.js';
import { readM1 } from '../../eresept/messages.js';
import { parsePersonNumber } from '../../identity/person-number.js';
import { validateRegisterData } from './register-data-validation.js';
import type { PatientSourceData } from './source-data.js';
import { IDENTIFIER_SYSTEM, KODEVERK, kodeverkOid } from '../../terminology/oids.js';
import { baseFhirErrors } from '../../test-support/fhir-validation.js';
import { ageAt, REFERENCE_DATE } from '../../test-support/patient-generator.js';
import { loadPatientFolder, loadPatientFolders, PATIENT_FILES, PatientFolderError, patientFolderFiles } from './patient-folders.js';

const PATIENTS = loadPatientFolders();
const BY_SLUG = new Map(PATIENTS.map((p) => [p.slug, p]));
const SLUGS = PATIENTS.map((p) => p.slug);

function patient(slug: string): PatientSourceData {
  const p = BY_SLUG.get(slug);
  if (!p) throw new Error(`no committed patient ${slug}`);
  return p;
}

function writeFolder(root: string, p: PatientSourceData, change?: (files: Map<string, string>) => void): string {
  const dir = join(root, p.slug);
  const files = patientFolderFiles(p);
  change?.(files);
  for (const [name, content] of files) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  return dir;
}

describe('the committed test patients (test-data/patients)', () => {
  it('are at least 30, with every named scenario and the generated ones', () => {
    expect(PATIENTS.length).toBeGreaterThanOrEqual(30);
    for (const s of SCENARIOS) expect(SLUGS).toContain(s.slug);
    expect(SLUGS.filter((s) => s.startsWith('generated-'))).toHaveLength(GENERATED_COUNT);
  });

  it('equal what the scenarios and the generator write (node scripts/patients/write-test-patients.mjs --check)', () => {
    expect(differences()).toEqual([]);
  });

  it('have unique identities', () => {
    expect(new Set(PATIENTS.map((p) => p.key.value)).size).toBe(PATIENTS.length);
  });

  describe.each(SLUGS)('%s', (slug) => {
    const p = patient(slug);

    it('has a synthetic FNR or D-nummer with valid check digits that matches the Patient', () => {
      const parsed = parsePersonNumber(p.key.value, { allowSynthetic: true });
      expect(parsed.ok && parsed.number.synthetic).toBe(true);
      if (!parsed.ok) return;
      expect(p.key.system).toBe(parsed.number.kind === 'dnr' ? IDENTIFIER_SYSTEM.dnr : IDENTIFIER_SYSTEM.fnr);
      expect(p.data.kjernejournal.patient.birthDate).toBe(parsed.number.birthDate);
      expect(p.data.kjernejournal.patient.gender).toBe(parsed.number.sex);
    });

    it('has Kjernejournal resources and a PLL bundle that pass base FHIR R4 validation', () => {
      for (const r of [p.data.kjernejournal.patient, ...p.data.kjernejournal.resources]) {
        expect([`${r.resourceType}/${r.id}`, baseFhirErrors(r)]).toEqual([`${r.resourceType}/${r.id}`, []]);
      }
      if (p.data.pll.bundle) expect(baseFhirErrors(p.data.pll.bundle)).toEqual([]);
    });

    it('has M1s that read with no error, for this patient, named by their ReseptId', () => {
      for (const rx of p.data.reseptformidleren.prescriptions) {
        const r = readM1(rx.m1Xml, { allowSyntheticIdentities: true });
        expect(r.issues.filter((i) => i.severity === 'error')).toEqual([]);
        expect(r.ok && r.message.reseptId).toBe(rx.reseptId);
        // Compared as a boolean so that a failure never prints the number.
        expect(r.ok && r.message.msgHead.msgInfo.patient?.ident?.[0]?.id === p.key.value).toBe(true);
      }
    });

    it('has register data that validates', () => {
      expect(validateRegisterData(p.data.npr).ok).toBe(true);
      expect(validateRegisterData(p.data.kpr).ok).toBe(true);
      expect(p.data.npr.records.every((r) => r.register === 'NPR')).toBe(true);
      expect(p.data.kpr.records.every((r) => r.register === 'KPR')).toBe(true);
    });
  });
});

describe('the named scenarios cover what their slugs say', () => {
  const ICD10 = kodeverkOid(KODEVERK.icd10);
  const ICPC2 = kodeverkOid(KODEVERK.icpc2);
  const kj = (slug: string) => patient(slug).data.kjernejournal.resources;
  const count = (p: PatientSourceData, register: 'npr' | 'kpr', system: string, code: string) =>
    p.data[register].records.filter((r) => r.diagnoses.some((d) => d.system === system && d.code === code)).length;
  const statements = (p: PatientSourceData) =>
    (p.data.pll.bundle?.entry ?? []).map((e) => e.resource).filter((r): r is MedicationStatement => r?.resourceType === 'MedicationStatement');

  it('multimorbid-elderly-rich-history: many diagnoses in both registers over years, procedures, implants, allergies, a long PLL', () => {
    const p = patient('multimorbid-elderly-rich-history');
    expect(p.data.npr.records.length).toBeGreaterThanOrEqual(8);
    expect(p.data.kpr.records.length).toBeGreaterThanOrEqual(10);
    expect(p.data.npr.records.flatMap((r) => r.procedures).length).toBeGreaterThanOrEqual(3);
    expect(kj(p.slug).filter((r) => r.resourceType === 'DeviceUseStatement')).toHaveLength(2);
    expect(kj(p.slug).filter((r) => r.resourceType === 'AllergyIntolerance').length).toBeGreaterThanOrEqual(2);
    expect(statements(p).length).toBeGreaterThanOrEqual(15);
  });

  it('nobody-knows-anything: known to Kjernejournal, every source empty', () => {
    const p = patient('nobody-knows-anything');
    expect(p.data.kjernejournal.resources).toEqual([]);
    expect(p.data.pll).toEqual({});
    expect(p.data.reseptformidleren.prescriptions).toEqual([]);
    expect(p.data.npr.records).toEqual([]);
    expect(p.data.kpr.records).toEqual([]);
  });

  it('primary-care-only: KPR records and no NPR records', () => {
    const p = patient('primary-care-only');
    expect(p.data.npr.records).toEqual([]);
    expect(p.data.kpr.records.length).toBeGreaterThan(0);
  });

  it('same-diagnosis-npr-kpr-repeated: diabetes E11.9 in NPR ×5 and T90 in KPR ×8', () => {
    const p = patient('same-diagnosis-npr-kpr-repeated');
    expect(count(p, 'npr', ICD10, 'E11.9')).toBe(5);
    expect(count(p, 'kpr', ICPC2, 'T90')).toBe(8);
  });

  it('pacemaker-and-kidney-transplant: an active pacemaker and a transplant condition', () => {
    const resources = kj('pacemaker-and-kidney-transplant');
    expect(resources.some((r) => r.resourceType === 'DeviceUseStatement' && r.status === 'active' && r.device.display === 'Pacemaker')).toBe(true);
    expect(resources.some((r) => r.resourceType === 'Condition' && r.category?.[0]?.coding?.[0]?.code === '7' && r.code?.text === 'Transplantert nyre')).toBe(true);
  });

  it('bleeding-disorder-haemophilia: a confirmed critical medical condition', () => {
    const alert = kj('bleeding-disorder-haemophilia').find((r) => r.resourceType === 'Condition');
    expect(alert?.resourceType === 'Condition' && [alert.category?.[0]?.coding?.[0]?.code, alert.code?.coding?.[0]?.code, alert.verificationStatus?.coding?.[0]?.code]).toEqual(['5', 'D66', 'confirmed']);
  });

  it('refuted-and-confirmed-allergy and entered-in-error-allergy: the verification statuses the inclusion rules test', () => {
    const codes = (slug: string) => kj(slug).map((r) => (r.resourceType === 'AllergyIntolerance' ? r.verificationStatus?.coding?.[0]?.code : undefined));
    expect(codes('refuted-and-confirmed-allergy')).toEqual(['refuted', 'confirmed', 'confirmed']);
    expect(codes('entered-in-error-allergy')).toEqual(['entered-in-error', 'confirmed']);
  });

  it('pll-renewal-chain: completed earlier prescriptions point at the active head', () => {
    const p = patient('pll-renewal-chain');
    const chain = statements(p).filter((s) => s.partOf);
    expect(chain.length).toBeGreaterThanOrEqual(4);
    const heads = new Set(chain.map((s) => s.partOf?.[0]?.reference));
    const headEntries = p.data.pll.bundle?.entry?.filter((e) => heads.has(e.fullUrl)) ?? [];
    expect(headEntries.map((e) => (e.resource as MedicationStatement).status)).toEqual(['active', 'active']);
    expect(chain.every((s) => s.status === 'completed')).toBe(true);
  });

  it('d-number-seasonal-worker: a D-nummer, with the birth date in the M1', () => {
    const p = patient('d-number-seasonal-worker');
    expect(p.key.system).toBe(IDENTIFIER_SYSTEM.dnr);
    const m1 = readM1(p.data.reseptformidleren.prescriptions[0]!.m1Xml, { allowSyntheticIdentities: true });
    expect(m1.ok && m1.message.msgHead.msgInfo.patient?.dateOfBirth).toBe(p.data.kjernejournal.patient.birthDate);
  });

  it('child-under-ten: younger than 10', () => {
    expect(ageAt(patient('child-under-ten').data.kjernejournal.patient.birthDate!, REFERENCE_DATE)).toBeLessThan(10);
  });

  it('no-pll-reseptformidleren-only: no PLL, medicines from M1s', () => {
    const p = patient('no-pll-reseptformidleren-only');
    expect(p.data.pll.bundle).toBeUndefined();
    expect(p.data.reseptformidleren.prescriptions.length).toBeGreaterThanOrEqual(2);
  });

  it('explanted-device-completed: a completed (avkreftet) device next to an active one', () => {
    const statuses = kj('explanted-device-completed').map((r) => (r.resourceType === 'DeviceUseStatement' ? r.status : undefined));
    expect(statuses).toEqual(['completed', 'active', 'entered-in-error']);
  });
});

describe('loadPatientFolder', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'patients-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('reads back exactly what patientFolderFiles writes', () => {
    for (const p of committedPatients().slice(0, 15)) expect(loadPatientFolder(writeFolder(root, p))).toEqual(p);
  });

  it('writes pll.json and reseptformidleren/ only when there is something', () => {
    const files = expectedFiles();
    expect(files.has(`nobody-knows-anything/${PATIENT_FILES.pll}`)).toBe(false);
    expect([...files.keys()].some((f) => f.startsWith(`nobody-knows-anything/${PATIENT_FILES.reseptformidleren}/`))).toBe(false);
    expect(files.get(`nobody-knows-anything/${PATIENT_FILES.npr}`)).toBe('{\n  "records": []\n}\n');
  });

  it('names the file when JSON is malformed', () => {
    const dir = writeFolder(root, patient('primary-care-only'), (f) => f.set(PATIENT_FILES.pll, '{ "resourceType": '));
    expect(() => loadPatientFolder(dir)).toThrow(PatientFolderError);
    expect(() => loadPatientFolder(dir)).toThrow(`${join(dir, PATIENT_FILES.pll)}: is not valid JSON`);
  });

  it('names the file and the path when register data fails validation', () => {
    const bad = JSON.stringify({ records: [{ register: 'NPR', patient: patient('primary-care-only').key, episodeId: 'x', institution: {}, start: '2020-13-01', diagnoses: [], procedures: [] }] });
    const dir = writeFolder(root, patient('primary-care-only'), (f) => f.set(PATIENT_FILES.npr, bad));
    expect(() => loadPatientFolder(dir)).toThrow(`${join(dir, PATIENT_FILES.npr)}: is not valid register data: /records/0/start must be a date`);
  });

  it('names the missing file, and refuses files outside the layout', () => {
    const dir = writeFolder(root, patient('primary-care-only'), (f) => f.delete(PATIENT_FILES.kpr));
    expect(() => loadPatientFolder(dir)).toThrow(join(dir, PATIENT_FILES.kpr));
    writeFileSync(join(dir, PATIENT_FILES.kpr), '{"records":[]}');
    writeFileSync(join(dir, 'notes.txt'), 'x');
    expect(() => loadPatientFolder(dir)).toThrow(`${join(dir, 'notes.txt')}: is not part of the patient-folder layout`);
  });

  it('refuses a Kjernejournal file without a person-number identifier or with a foreign resource', () => {
    const p = patient('nobody-knows-anything');
    const noId = { ...p.data.kjernejournal, patient: { ...p.data.kjernejournal.patient, identifier: [] } };
    const dir = writeFolder(root, p, (f) => f.set(PATIENT_FILES.kjernejournal, JSON.stringify(noId)));
    expect(() => loadPatientFolder(dir)).toThrow('has no fødselsnummer or D-nummer identifier');
    writeFileSync(join(dir, PATIENT_FILES.kjernejournal), JSON.stringify({ ...p.data.kjernejournal, resources: [{ resourceType: 'Observation' }] }));
    expect(() => loadPatientFolder(dir)).toThrow('resources[0] must be an AllergyIntolerance');
  });
});
