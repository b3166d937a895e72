/**
 * The one rule for a person's identifier as a request gives it (`$summary`'s `identifier`, a change
 * notification's focus, an access-log search): the system must be the fødselsnummer's or the D-nummer's
 * and the value a valid number of that kind. Every route that takes one applies this, so that no route
 * stores a patient, or sends a value to the database or a source, that another would refuse.
 */
import { IDENTIFIER_SYSTEM, parsePersonNumber } from '@ehds-no/core';

const PERSON_SYSTEMS: Readonly<Record<string, 'fnr' | 'dnr'>> = { [IDENTIFIER_SYSTEM.fnr]: 'fnr', [IDENTIFIER_SYSTEM.dnr]: 'dnr' };

/**
 * Why `system` and `value` do not name a person, or `undefined` when they do. The texts name rules, never
 * the value, so they can be returned and logged.
 * @param allowSynthetic accept synthetic test numbers (test environments)
 * @example personKeyProblem(IDENTIFIER_SYSTEM.fnr, '12345678901', false) // 'identifier value is not a valid fødselsnummer: …'
 */
export function personKeyProblem(system: string, value: string, allowSynthetic: boolean): string | undefined {
  const kind = Object.hasOwn(PERSON_SYSTEMS, system) ? PERSON_SYSTEMS[system] : undefined;
  if (!kind) return `identifier system must be ${IDENTIFIER_SYSTEM.fnr} (fødselsnummer) or ${IDENTIFIER_SYSTEM.dnr} (D-nummer)`;
  const parsed = parsePersonNumber(value, { allowSynthetic });
  if (!parsed.ok) return `identifier value is not a valid ${kind === 'fnr' ? 'fødselsnummer' : 'D-nummer'}: ${parsed.message}`;
  if (parsed.number.kind !== kind) return `identifier value is a ${parsed.number.kind}, but the system says ${kind}`;
  return undefined;
}
