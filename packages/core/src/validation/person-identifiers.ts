/**
 * Norwegian person identifiers in Patient resources: a fødselsnummer or D-nummer must have valid mod-11
 * check digits and a valid birth date, and be of the kind its system says. The format (11 digits) is the
 * profile's slice invariant (no-pat-fnr, no-pat-dnr); this rule runs only on values of the right format,
 * so that one defect gives one issue.
 */
import type { Identifier, Patient } from '@medplum/fhirtypes';
import { parsePersonNumber, type PersonNumberKind } from '../identity/person-number.js';
import { IDENTIFIER_SYSTEM } from '../terminology/oids.js';
import { issue, type ValidationIssue } from './issues.js';

const KIND_BY_SYSTEM: Readonly<Record<string, PersonNumberKind>> = { [IDENTIFIER_SYSTEM.fnr]: 'fnr', [IDENTIFIER_SYSTEM.dnr]: 'dnr' };
const NAME: Readonly<Record<PersonNumberKind, string>> = { fnr: 'fødselsnummer', dnr: 'D-nummer', hnr: 'H-nummer' };
const ELEVEN_DIGITS = /^[0-9]{11}$/;

/**
 * Checks the FNR / D-nummer identifiers of a Patient.
 * @param prefix FHIRPath of the Patient in the document
 * @param allowSynthetic accept synthetic test numbers (month + 80), as test environments do
 */
export function personIdentifierIssues(patient: Patient, prefix: string, allowSynthetic: boolean): ValidationIssue[] {
  const out: ValidationIssue[] = [];
  (patient.identifier ?? []).forEach((id: Identifier, i) => {
    const kind = id.system ? KIND_BY_SYSTEM[id.system] : undefined;
    if (!kind || typeof id.value !== 'string' || !ELEVEN_DIGITS.test(id.value)) return;
    const path = `${prefix}.identifier[${i}].value`;
    // The value itself is never put in a diagnostic: it identifies a person.
    const parsed = parsePersonNumber(id.value, { allowSynthetic });
    if (!parsed.ok) out.push(issue('error', 'value', path, `not a valid ${NAME[kind]}: ${parsed.message}`));
    else if (parsed.number.kind !== kind) out.push(issue('error', 'value', path, `the value is a ${NAME[parsed.number.kind]}, but the system says ${NAME[kind]} (${id.system})`));
  });
  return out;
}
