/**
 * The few FHIR answers the simulator gives: searchset Bundles and OperationOutcomes.
 */
import type { Bundle, OperationOutcome, OperationOutcomeIssue, Resource } from '@medplum/fhirtypes';
import { NO_PLL_DETAIL } from './wire-format.js';

/**
 * A searchset Bundle of `resources`, all matches, no paging.
 * @param base the FHIR base the resources live under, for `fullUrl`
 */
export function searchset(base: string, resources: readonly Resource[]): Bundle {
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    total: resources.length,
    entry: resources.map((resource) => ({
      ...(resource.id ? { fullUrl: `${base}/${resource.resourceType}/${resource.id}` } : {}),
      resource,
      search: { mode: 'match' },
    })),
  };
}

/**
 * An OperationOutcome with one error issue.
 * @example outcome('required', 'the nhn-patient-nin header is required')
 */
export function outcome(code: OperationOutcomeIssue['code'], diagnostics: string): OperationOutcome {
  return { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code, diagnostics }] };
}

/**
 * PLL's answer for a patient without a PLL (404 with this body; see {@link NO_PLL_DETAIL}).
 * @example res.status(404).json(noPllOutcome())
 */
export function noPllOutcome(): OperationOutcome {
  return { resourceType: 'OperationOutcome', issue: [{ severity: 'information', code: 'not-found', details: { coding: [{ ...NO_PLL_DETAIL }] }, diagnostics: 'the patient has no PLL' }] };
}
