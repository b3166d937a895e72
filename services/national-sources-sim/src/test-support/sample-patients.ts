/**
 * Test helper: two small patients for the simulator and adapter tests (until the seeded test patients of
 * test-data/patients are used there). Synthetic numbers (month + 80), never real people.
 */
import { IDENTIFIER_SYSTEM, type PatientSourceData } from '@ehds-no/core';
import { fixture } from '../../../../packages/core/src/test-support/eresept-fixtures.js';

/** The M1 fixture served by Reseptformidleren, and its ReseptId. */
export const SAMPLE_M1 = { reseptId: '240a3213-df60-4662-9180-5b2088c69077', file: 'm1-pakning-dosering.xml' } as const;

/** A patient every source knows something about. */
export function fullPatient(): PatientSourceData {
  return {
    slug: 'everything-once',
    key: { system: IDENTIFIER_SYSTEM.fnr, value: '13828012345' },
    data: {
      kjernejournal: {
        patient: { resourceType: 'Patient', id: 'kj-p1', birthDate: '1980-02-13' },
        resources: [
          { resourceType: 'AllergyIntolerance', id: 'kj-a1', patient: { reference: 'Patient/kj-p1' }, code: { text: 'Penicillin' } },
          { resourceType: 'Condition', id: 'kj-c1', subject: { reference: 'Patient/kj-p1' }, code: { text: 'Transplantert nyre' } },
          { resourceType: 'DeviceUseStatement', id: 'kj-d1', status: 'active', subject: { reference: 'Patient/kj-p1' }, device: { display: 'Pacemaker' } },
          { resourceType: 'Flag', id: 'kj-f1', status: 'active', subject: { reference: 'Patient/kj-p1' }, code: { text: 'Annen opplysning' } },
        ],
      },
      pll: { bundle: { resourceType: 'Bundle', id: 'pll-1', type: 'document', entry: [{ resource: { resourceType: 'Composition', status: 'final', type: { text: 'Medicinal records' }, date: '2025-01-01', author: [{ display: 'SFM' }], title: 'PLL' } }] } },
      reseptformidleren: { prescriptions: [{ reseptId: SAMPLE_M1.reseptId, m1Xml: fixture(SAMPLE_M1.file) }] },
      npr: { records: [{ register: 'NPR', episodeId: 'npr-1', institution: { resh: '4001', name: 'Sykehuset' }, start: '2024-03-01', end: '2024-03-05', diagnoses: [{ system: '2.16.578.1.12.4.1.1.7110', code: 'I21', primary: true }], procedures: [] }] },
      kpr: { records: [{ register: 'KPR', episodeId: 'kpr-1', institution: { enh: '974000000' }, start: '2024-05-02', diagnoses: [{ system: '2.16.578.1.12.4.1.1.7170', code: 'K86' }], procedures: [] }] },
    },
  };
}

/** A patient known to Kjernejournal only: no PLL, no prescriptions, no register records. */
export function sparsePatient(): PatientSourceData {
  return {
    slug: 'kjernejournal-only',
    key: { system: IDENTIFIER_SYSTEM.dnr, value: '53828012345' },
    data: {
      kjernejournal: { patient: { resourceType: 'Patient', id: 'kj-p2' }, resources: [] },
      pll: {},
      reseptformidleren: { prescriptions: [] },
      npr: { records: [] },
      kpr: { records: [] },
    },
  };
}

/** A person number no source knows. */
export const UNKNOWN_NIN = '13828099999';
