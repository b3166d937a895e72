/**
 * The status test shared by the Kjernejournal sections: a record the source says is wrong or over.
 */
import type { CodeableConcept } from '@medplum/fhirtypes';
import { firstCode } from './cell-text.js';

/**
 * True when the verification status is `refuted` or `entered-in-error`, or the clinical status is
 * `inactive` or `resolved` (the same codes in the AllergyIntolerance and Condition code systems).
 */
export function isRefutedOrOver(verificationStatus: CodeableConcept | undefined, clinicalStatus: CodeableConcept | undefined): boolean {
  const verification = firstCode(verificationStatus);
  const clinical = firstCode(clinicalStatus);
  return verification === 'refuted' || verification === 'entered-in-error' || clinical === 'inactive' || clinical === 'resolved';
}
