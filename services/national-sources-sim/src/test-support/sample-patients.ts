/**
 * Test helper: two small patients for the simulator and adapter tests (until the seeded test patients of
 * test-data/patients are used there). Synthetic numbers (month + 80), never real people. Every source's
 * data names the patient's own number (the M1 fixture's patient), as the facade checks it to.
 */
import { IDENTIFIER_SYSTEM, type PatientKey, type PatientSourceData } from '@ehds-no/core';
import { fixture } from '../../../../packages/core/src/test-support/eresept-fixtures.js';

/** The M1 fixture served by Reseptformidleren, and its ReseptId. */
export const SAMPLE_M1 = { reseptId: '240a3213-df60-4662-9180-5b2088c69077', file: 'm1-pakning-dosering.xml' } as const;

/** A patient every source knows something about. */
export function fullPatient(): PatientSourceData {
  // The patient of the M1 fixture (MsgHead Patient/Ident), so that Reseptformidleren's answer is about them.
  const key: PatientKey = { system: IDENTIFIER_SYSTEM.fnr, value: '12835412073' };
  return {
    slug: 'everything-once',
    key,
    data: {
      kjernejournal: {
        patient: { resourceType: 'Patient', id: 'kj-p1', identifier: [key], birthDate: '1954-03-12' },
        resources: [
          { resourceType: 'AllergyIntolerance', id: 'kj-a1', patient: { reference: 'Patient/kj-p1' }, code: { text: 'Penicillin' } },
          { resourceType: 'Condition', id: 'kj-c1', subject: { reference: 'Patient/kj-p1' }, code: { text: 'Transplantert nyre' } },
          { resourceType: 'DeviceUseStatement', id: 'kj-d1', status: 'active', subject: { reference: 'Patient/kj-p1' }, device: { display: 'Pacemaker' } },
          { resourceType: 'Flag', id: 'kj-f1', status: 'active', subject: { reference: 'Patient/kj-p1' }, code: { text: 'Annen opplysning' } },
        ],
      },
      pll: {
        bundle: {
          resourceType: 'Bundle', id: 'pll-1', type: 'document',
          entry: [
            { fullUrl: 'urn:uuid:3b0c1f4e-2a54-4c39-9d0e-6b7f1a2c9e01', resource: { resourceType: 'Composition', status: 'final', type: { text: 'Medicinal records' }, subject: { reference: 'urn:uuid:3b0c1f4e-2a54-4c39-9d0e-6b7f1a2c9e02' }, date: '2025-01-01', author: [{ display: 'SFM' }], title: 'PLL' } },
            { fullUrl: 'urn:uuid:3b0c1f4e-2a54-4c39-9d0e-6b7f1a2c9e02', resource: { resourceType: 'Patient', identifier: [key] } },
          ],
        },
      },
      reseptformidleren: { prescriptions: [{ reseptId: SAMPLE_M1.reseptId, m1Xml: fixture(SAMPLE_M1.file) }] },
      npr: { records: [{ register: 'NPR', patient: key, episodeId: 'npr-1', institution: { resh: '4001', name: 'Sykehuset' }, start: '2024-03-01', end: '2024-03-05', diagnoses: [{ system: '2.16.578.1.12.4.1.1.7110', code: 'I21', primary: true }], procedures: [] }] },
      kpr: { records: [{ register: 'KPR', patient: key, episodeId: 'kpr-1', institution: { enh: '974000000' }, start: '2024-05-02', diagnoses: [{ system: '2.16.578.1.12.4.1.1.7170', code: 'K86' }], procedures: [] }] },
    },
  };
}

/** A patient known to Kjernejournal only: no PLL, no prescriptions, no register records. */
export function sparsePatient(): PatientSourceData {
  const key: PatientKey = { system: IDENTIFIER_SYSTEM.dnr, value: '53828012345' };
  return {
    slug: 'kjernejournal-only',
    key,
    data: {
      kjernejournal: { patient: { resourceType: 'Patient', id: 'kj-p2', identifier: [key] }, resources: [] },
      pll: {},
      reseptformidleren: { prescriptions: [] },
      npr: { records: [] },
      kpr: { records: [] },
    },
  };
}

/** A person number no source knows. */
export const UNKNOWN_NIN = '13828099999';
