/**
 * Pasientens legemiddelliste over HTTP (SFM Basis API, no-formats.md §3.3): `POST Patient/$getMedication`
 * with the `nhn-patient-nin` header. Only the documented "no PLL" answer means the patient has none
 * (empty data, not a failure): a 404 whose body is an OperationOutcome with issue code `not-found` and
 * the `no-pll` detail ({@link NO_PLL_DETAIL}). Any other 404 (an HTML page, an empty body, an
 * OperationOutcome with another code, a server's generic "not found" without the detail) is a wrong or broken
 * endpoint, and a failure: read as "no PLL", it would show a patient's current medicines as none.
 */
import { SourceFailure, httpStatusReason, type PatientKey, type PllData, type SourcePort } from '@ehds-no/core';
import { FHIR_JSON, NO_PLL_DETAIL, PLL_OPERATION } from '@ehds-no/national-sources-sim';
import type { Bundle, OperationOutcomeIssue, Parameters } from '@medplum/fhirtypes';
import { SourceHttp, malformed } from './source-http.js';

/** The operation's input: the patient travels in the header, so no parameters. */
const NO_PARAMETERS: Parameters = { resourceType: 'Parameters' };

/** The HTTP status of "this patient has no PLL". */
const NO_PLL_STATUS = 404;

/** The issue code (FHIR issue-type) of "this patient has no PLL"; every issue of the answer has it. */
export const NO_PLL_ISSUE_CODE: OperationOutcomeIssue['code'] = 'not-found';

/** True when an issue is PLL's "no PLL": code {@link NO_PLL_ISSUE_CODE} with the {@link NO_PLL_DETAIL} coding. */
function isNoPllIssue(issue: unknown): boolean {
  const i = issue as { code?: unknown; details?: { coding?: unknown } } | null;
  if (i?.code !== NO_PLL_ISSUE_CODE) return false;
  const codings = Array.isArray(i.details?.coding) ? (i.details.coding as unknown[]) : [];
  return codings.some((c) => (c as { system?: unknown } | null)?.system === NO_PLL_DETAIL.system && (c as { code?: unknown }).code === NO_PLL_DETAIL.code);
}

/**
 * True when a 404's body is the source's "no PLL for this patient": an OperationOutcome whose issues
 * all are {@link isNoPllIssue}. `undefined` (not JSON, or empty) is not, and neither is a generic
 * `not-found` (what any FHIR server answers for a wrong path).
 * @example isNoPll({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'not-found', details: { coding: [NO_PLL_DETAIL] } }] }) // true
 */
export function isNoPll(body: unknown): boolean {
  const outcome = body as { resourceType?: unknown; issue?: unknown } | undefined;
  if (typeof outcome !== 'object' || outcome === null || outcome.resourceType !== 'OperationOutcome') return false;
  const issues = Array.isArray(outcome.issue) ? (outcome.issue as unknown[]) : [];
  return issues.length > 0 && issues.every(isNoPllIssue);
}

/**
 * The PLL port.
 * @param baseUrl the FHIR base, e.g. `http://127.0.0.1:4000/pll`
 * @param maxBodyBytes the byte limit of one fetch's answer
 */
export function pllSource(baseUrl: string, maxBodyBytes: number): SourcePort<'pll'> {
  const http = new SourceHttp(baseUrl, FHIR_JSON, maxBodyBytes);
  return {
    name: 'pll',
    async fetch(patient: PatientKey, signal: AbortSignal): Promise<PllData> {
      const { status, body } = await http.request({
        path: `Patient/$${PLL_OPERATION}`, body: NO_PARAMETERS, patient, signal, budget: http.budget(), readStatuses: [NO_PLL_STATUS],
      });
      if (status === NO_PLL_STATUS) {
        if (isNoPll(body)) return {};
        throw new SourceFailure(httpStatusReason(status));
      }
      const bundle = body as Bundle;
      // The SFM medication Bundle is a document (sfm-MedicationBundle).
      if (bundle?.resourceType !== 'Bundle' || bundle.type !== 'document') throw malformed('not a document Bundle');
      return { bundle };
    },
  };
}
