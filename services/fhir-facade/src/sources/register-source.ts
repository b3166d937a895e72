/**
 * NPR and KPR over HTTP: `GET <base>/records` with the `nhn-patient-nin` header answers
 * `{ "records": [...] }` in the project's register-record shape (docs/sources.md), checked with
 * {@link validateRegisterData}. A body that fails the check fails the fetch; "nothing here" is only
 * `{ "records": [] }` (a 404 or any body that is not register records is a failure).
 */
import { validateRegisterData, type PatientKey, type RegisterData, type SourcePort } from '@ehds-no/core';
import { PLAIN_JSON, REGISTER_RECORDS_PATH } from '@ehds-no/national-sources-sim';
import { SourceHttp, malformed } from './source-http.js';

/** The register behind each port, as records name it. */
const REGISTER = { npr: 'NPR', kpr: 'KPR' } as const;

/**
 * The NPR or KPR port.
 * @param baseUrl the register's base, e.g. `http://127.0.0.1:4000/npr`
 * @param maxBodyBytes the byte limit of one fetch's answer
 */
export function registerSource<N extends 'npr' | 'kpr'>(name: N, baseUrl: string, maxBodyBytes: number): SourcePort<N> {
  const http = new SourceHttp(baseUrl, PLAIN_JSON, maxBodyBytes);
  return {
    name,
    async fetch(patient: PatientKey, signal: AbortSignal): Promise<RegisterData> {
      const { body } = await http.request({ path: REGISTER_RECORDS_PATH, patient, signal, budget: http.budget() });
      // The issues are not passed on: they quote values from the body.
      const checked = validateRegisterData(body);
      if (!checked.ok) throw malformed('not register records');
      if (checked.data.records.some((r) => r.register !== REGISTER[name])) throw malformed(`records of another register than ${REGISTER[name]}`);
      return checked.data;
    },
  };
}
