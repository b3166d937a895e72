/**
 * The few FHIR answers the simulator gives: searchset Bundles and OperationOutcomes.
 */
import type { Bundle, OperationOutcome, OperationOutcomeIssue, Resource } from '@medplum/fhirtypes';

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
