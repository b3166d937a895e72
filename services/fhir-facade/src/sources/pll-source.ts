/**
 * Pasientens legemiddelliste over HTTP (SFM Basis API, no-formats.md §3.3): `POST Patient/$getMedication`
 * with the `nhn-patient-nin` header. 404 with an OperationOutcome means the patient has no PLL (empty
 * data, not a failure).
 */
import type { PatientKey, PllData, SourcePort } from '@ehds-no/core';
import { PLL_OPERATION } from '@ehds-no/national-sources-sim';
import type { Bundle, Parameters } from '@medplum/fhirtypes';
import { errorBody, errorStatus, fhirClient, malformed, requestOptions, sourceFailureOf } from './source-http.js';

/** The operation's input: the patient travels in the header, so no parameters. */
const NO_PARAMETERS: Parameters = { resourceType: 'Parameters' };

/** True when the error is the source's "no PLL for this patient" (and not, say, a wrong URL). */
function isNoPll(error: unknown): boolean {
  return errorStatus(error) === 404 && (errorBody(error) as { resourceType?: unknown } | undefined)?.resourceType === 'OperationOutcome';
}

/**
 * The PLL port.
 * @param baseUrl the FHIR base, e.g. `http://127.0.0.1:4000/pll`
 */
export function pllSource(baseUrl: string): SourcePort<'pll'> {
  const client = fhirClient(baseUrl);
  return {
    name: 'pll',
    async fetch(patient: PatientKey, signal: AbortSignal): Promise<PllData> {
      let body: unknown;
      try {
        body = await client.operation({ name: PLL_OPERATION, resourceType: 'Patient', method: 'POST', input: NO_PARAMETERS as unknown as Record<string, unknown> & { resourceType: string }, options: requestOptions(patient, signal) });
      } catch (e) {
        if (isNoPll(e)) return {};
        throw sourceFailureOf(e, signal);
      }
      const bundle = body as Bundle;
      // The SFM medication Bundle is a document (sfm-MedicationBundle).
      if (bundle?.resourceType !== 'Bundle' || bundle.type !== 'document') throw malformed('not a document Bundle');
      return { bundle };
    },
  };
}
