/**
 * The amount an EU prescription allows per dispensing: MPD's prescribedQuantity extension on
 * `dispenseRequest`, or else R4's own `dispenseRequest.quantity` (the amount of one fill).
 */
import type { MedicationRequest, Quantity } from '@medplum/fhirtypes';
import { EXTENSION } from '../terminology/fhir-systems.js';
import type { SourcePath } from './report.js';

/** The quantity per dispensing and its path in the MedicationRequest. */
export interface PrescribedQuantity {
  readonly quantity: Quantity;
  readonly path: SourcePath;
}

/**
 * The prescribed quantity per dispensing, if the prescription states one.
 * @example prescribedQuantity(mr)?.quantity // { value: 1, code: '{package}' }
 */
export function prescribedQuantity(mr: MedicationRequest): PrescribedQuantity | undefined {
  const extensions = mr.dispenseRequest?.extension ?? [];
  const at = extensions.findIndex((e) => e.url === EXTENSION.prescribedQuantity);
  const quantity = at >= 0 ? extensions[at]!.valueQuantity : undefined;
  if (quantity) return { quantity, path: ['dispenseRequest', 'extension', at, 'valueQuantity'] };
  if (mr.dispenseRequest?.quantity) return { quantity: mr.dispenseRequest.quantity, path: ['dispenseRequest', 'quantity'] };
  return undefined;
}
