/**
 * Whether an EU prescription allows substitution. MPD carries it as `substitution.allowedBoolean` or as
 * `allowedCodeableConcept` with an eHDSISubstitutionCode (v3 substanceAdminSubstitution), where `N` means
 * none and every other code a kind of substitution that is allowed.
 */
import type { MedicationRequest } from '@medplum/fhirtypes';
import { SYSTEM } from '../terminology/fhir-systems.js';

/** v3 substanceAdminSubstitution / eHDSISubstitutionCode: no substitution. */
const NONE = 'N';

/**
 * True or false when the prescription says whether the product may be substituted; undefined when it does not.
 * @example substitutionAllowed({ allowedCodeableConcept: { coding: [{ system: SYSTEM.v3SubstanceAdminSubstitution, code: 'N' }] } }) // false
 */
export function substitutionAllowed(substitution: MedicationRequest['substitution']): boolean | undefined {
  if (!substitution) return undefined;
  if (substitution.allowedBoolean !== undefined) return substitution.allowedBoolean;
  const codes = (substitution.allowedCodeableConcept?.coding ?? [])
    .filter((c) => c.code && (!c.system || c.system === SYSTEM.v3SubstanceAdminSubstitution))
    .map((c) => c.code);
  if (codes.length === 0) return undefined;
  return !codes.includes(NONE);
}
