/**
 * Which identifier names an EU ePrescription. Flow 4 matches the Norwegian dispensing to it, the service
 * stores and looks up dispensings by it, and the pharmacy view shows it: one rule for all three, so that
 * they always mean the same prescription.
 */
import type { Identifier, MedicationRequest } from '@medplum/fhirtypes';

/**
 * The identifier of an EU ePrescription: the MedicationRequest's first identifier with a value that is not
 * blank; undefined when it has none.
 * @example euPrescriptionIdentifier(mr)?.value // 'SE-RX-2024-0601-0001'
 */
export function euPrescriptionIdentifier(mr: MedicationRequest): Identifier | undefined {
  return mr.identifier?.find((i) => i.value?.trim());
}
