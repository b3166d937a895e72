/**
 * The summary's Patient: the personalia Kjernejournal has from Folkeregisteret. While Kjernejournal
 * cannot be reached and nothing is cached, the Patient is built from the identity number alone
 * (birth date and sex follow from it) with the name marked as absent, never invented.
 */
import type { Patient } from '@medplum/fhirtypes';
import { parsePersonNumber } from '../identity/person-number.js';
import { DATA_ABSENT_UNKNOWN } from './summary-codes.js';
import { snapshotOf, type SummaryPatient } from './summary-model.js';
import type { SourceOutcomes } from './sources/source-data.js';

const PATIENT_FIELDS = ['identifier', 'active', 'name', 'telecom', 'gender', 'birthDate', 'deceasedBoolean', 'deceasedDateTime', 'address', 'communication'] as const;

/**
 * The Patient resource of the summary.
 * @param patient the store's patient (id and identity number)
 */
export function summaryPatient(patient: SummaryPatient, outcomes: SourceOutcomes): Patient {
  const kj = snapshotOf(outcomes.kjernejournal)?.data.patient;
  const out: Patient = { resourceType: 'Patient', id: patient.id };
  if (kj) {
    // Only the personalia: references to other resources (e.g. a GP) would not resolve inside the document.
    for (const field of PATIENT_FIELDS) if (kj[field] !== undefined) Object.assign(out, { [field]: kj[field] });
  }
  if (!out.identifier?.some((i) => i.system === patient.key.system && i.value === patient.key.value)) {
    out.identifier = [{ system: patient.key.system, value: patient.key.value }, ...(out.identifier ?? [])];
  }
  const number = parsePersonNumber(patient.key.value, { allowSynthetic: true });
  if (!out.birthDate && number.ok) out.birthDate = number.number.birthDate;
  if (!out.gender && number.ok) out.gender = number.number.sex;
  if (!out.name?.length) out.name = [{ extension: [DATA_ABSENT_UNKNOWN] }];
  return out;
}
