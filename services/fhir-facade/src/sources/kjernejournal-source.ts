/**
 * Kjernejournal over HTTP (no-formats.md §3.2): the Patient and the four critical-information searches,
 * in parallel, each with the `nhn-patient-nin` header. An empty Patient search means the person is not
 * known: {@link PatientNotKnown}.
 */
import { PatientNotKnown, type KjernejournalData, type KjernejournalResource, type PatientKey, type SourcePort } from '@ehds-no/core';
import { KJERNEJOURNAL_RESOURCE_TYPES } from '@ehds-no/national-sources-sim';
import type { Patient } from '@medplum/fhirtypes';
import { fhirClient, malformed, searchAll } from './source-http.js';

/**
 * The Kjernejournal port.
 * @param baseUrl the FHIR base, e.g. `http://127.0.0.1:4000/kjernejournal`
 * @example const kj = kjernejournalSource(urls.kjernejournal); await kj.fetch(patient, AbortSignal.timeout(2000));
 */
export function kjernejournalSource(baseUrl: string): SourcePort<'kjernejournal'> {
  const client = fhirClient(baseUrl);
  return {
    name: 'kjernejournal',
    async fetch(patient: PatientKey, signal: AbortSignal): Promise<KjernejournalData> {
      const [patients, ...found] = await Promise.all([
        searchAll<Patient>(client, 'Patient', ['Patient'], patient, signal),
        ...KJERNEJOURNAL_RESOURCE_TYPES.map((type) => searchAll<KjernejournalResource>(client, type, [type], patient, signal)),
      ]);
      if (patients.length === 0) throw new PatientNotKnown('kjernejournal');
      if (patients.length > 1) throw malformed('more than one Patient');
      return { patient: patients[0]!, resources: found.flat() };
    },
  };
}
