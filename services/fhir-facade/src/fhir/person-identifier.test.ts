/**
 * The person-identifier rule every route shares: the system decides the kind, the value must be a valid
 * number of that kind, and the refusal never repeats the value.
 */
import { IDENTIFIER_SYSTEM, syntheticPersonNumber } from '@ehds-no/core';
import { personKeyProblem } from './person-identifier.js';

const FNR = syntheticPersonNumber({ birthDate: '1961-07-15', sex: 'female' });
const DNR = syntheticPersonNumber({ birthDate: '1990-03-02', sex: 'male', kind: 'dnr' });

describe('personKeyProblem', () => {
  it('takes a fødselsnummer and a D-nummer under their own systems', () => {
    expect(personKeyProblem(IDENTIFIER_SYSTEM.fnr, FNR, true)).toBeUndefined();
    expect(personKeyProblem(IDENTIFIER_SYSTEM.dnr, DNR, true)).toBeUndefined();
  });

  it.each([
    ['another system', 'urn:oid:1.2.3', FNR, /system must be/],
    ['a property name of every object as the system', 'constructor', FNR, /system must be/],
    ['a D-nummer under the fødselsnummer system', IDENTIFIER_SYSTEM.fnr, DNR, /is a dnr, but the system says fnr/],
    ['a synthetic number where they are not allowed', IDENTIFIER_SYSTEM.fnr, FNR, /not a valid fødselsnummer/],
    ['a trailing space', IDENTIFIER_SYSTEM.fnr, `${FNR} `, /not a valid fødselsnummer/],
    ['a NUL', IDENTIFIER_SYSTEM.fnr, `${FNR.slice(0, 10)}\u0000`, /not a valid fødselsnummer/],
  ])('refuses %s, without the value in the text', (_what, system, value, message) => {
    const problem = personKeyProblem(system, value, system === IDENTIFIER_SYSTEM.fnr && value === FNR ? false : true);
    expect(problem).toMatch(message);
    expect(problem).not.toContain(FNR.slice(0, 10));
  });
});
