/**
 * Kjernejournal over HTTP (no-formats.md §3.2): the Patient and the four critical-information searches,
 * in parallel, each with the `nhn-patient-nin` header. An empty Patient search means the person is not
 * known: {@link PatientNotKnown}.
 */
import { PatientNotKnown, type KjernejournalData, type KjernejournalResource, type PatientKey, type SourcePort } from '@ehds-no/core';
import { FHIR_JSON, KJERNEJOURNAL_RESOURCE_TYPES } from '@ehds-no/national-sources-sim';
import type { Patient } from '@medplum/fhirtypes';
import { SourceHttp, malformed, searchAll } from './source-http.js';

/**
 * The Kjernejournal port.
 * @param baseUrl the FHIR base, e.g. `http://127.0.0.1:4000/kjernejournal`
 * @param maxBodyBytes the byte limit of one fetch: the five searches and their pages together
 * @example const kj = kjernejournalSource(urls.kjernejournal, 4 * 1024 * 1024); await kj.fetch(patient, AbortSignal.timeout(2000));
 */
export function kjernejournalSource(baseUrl: string, maxBodyBytes: number): SourcePort<'kjernejournal'> {
  const http = new SourceHttp(baseUrl, FHIR_JSON, maxBodyBytes);
  return {
    name: 'kjernejournal',
    async fetch(patient: PatientKey, signal: AbortSignal): Promise<KjernejournalData> {
      const budget = http.budget();
      // The first failure ends the fetch: the other searches are stopped rather than read to the end.
      const stop = new AbortController();
      const each = AbortSignal.any([signal, stop.signal]);
      const [patients, ...found] = await Promise.all([
        searchAll<Patient>(http, 'Patient', ['Patient'], patient, each, budget),
        ...KJERNEJOURNAL_RESOURCE_TYPES.map((type) => searchAll<KjernejournalResource>(http, type, [type], patient, each, budget)),
      ]).catch((e: unknown) => {
        stop.abort();
        throw e;
      });
      // "Nothing here" for Kjernejournal is only this: a searchset Bundle without any Patient.
      if (patients.length === 0) throw new PatientNotKnown('kjernejournal');
      if (patients.length > 1) throw malformed('more than one Patient');
      return { patient: patients[0]!, resources: found.flat() };
    },
  };
}
