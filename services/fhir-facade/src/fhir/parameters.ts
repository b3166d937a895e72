/**
 * FHIR `Parameters` for operation results.
 */
import type { Parameters, Resource } from '@medplum/fhirtypes';

/**
 * A Parameters resource with one resource-valued parameter per entry.
 * @example operationResult({ return: bundle, report: outcome })
 */
export function operationResult(parts: Readonly<Record<string, Resource>>): Parameters {
  return { resourceType: 'Parameters', parameter: Object.entries(parts).map(([name, resource]) => ({ name, resource })) };
}
