/**
 * NPR and KPR over HTTP: `GET <base>/records` with the `nhn-patient-nin` header answers
 * `{ "records": [...] }` in the project's register-record shape (docs/sources.md), checked with
 * {@link validateRegisterData}. A body that fails the check fails the fetch.
 */
import { SourceFailure, httpStatusReason, validateRegisterData, type PatientKey, type RegisterData, type SourcePort } from '@ehds-no/core';
import { PLAIN_JSON, REGISTER_RECORDS_PATH } from '@ehds-no/national-sources-sim';
import { guarded, malformed, patientHeaders, sourceFailureOf } from './source-http.js';

/** The register behind each port, as records name it. */
const REGISTER = { npr: 'NPR', kpr: 'KPR' } as const;

/**
 * The NPR or KPR port.
 * @param baseUrl the register's base, e.g. `http://127.0.0.1:4000/npr`
 */
export function registerSource<N extends 'npr' | 'kpr'>(name: N, baseUrl: string): SourcePort<N> {
  const url = `${baseUrl.replace(/\/$/, '')}${REGISTER_RECORDS_PATH}`;
  return {
    name,
    async fetch(patient: PatientKey, signal: AbortSignal): Promise<RegisterData> {
      const response = await guarded(signal, () => fetch(url, { headers: { ...patientHeaders(patient), accept: PLAIN_JSON }, signal }));
      if (!response.ok) {
        await response.body?.cancel();
        throw new SourceFailure(httpStatusReason(response.status));
      }
      let json: unknown;
      try {
        json = await response.json();
      } catch (e) {
        throw signal.aborted ? sourceFailureOf(e, signal) : malformed();
      }
      // The issues are not passed on: they quote values from the body.
      const checked = validateRegisterData(json);
      if (!checked.ok) throw malformed('not register records');
      if (checked.data.records.some((r) => r.register !== REGISTER[name])) throw malformed(`records of another register than ${REGISTER[name]}`);
      return checked.data;
    },
  };
}
