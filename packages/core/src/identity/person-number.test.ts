import { checkDigits, parsePersonNumber, syntheticPersonNumber } from './person-number.js';

describe('parsePersonNumber', () => {
  it('derives birth date, sex and kind from a synthetic fødselsnummer', () => {
    const r = parsePersonNumber('12835412073', { allowSynthetic: true });
    expect(r).toEqual({
      ok: true,
      number: { value: '12835412073', kind: 'fnr', synthetic: true, birthDate: '1954-03-12', sex: 'female' },
    });
  });

  it('recognises a D-nummer and a 2000s birth year from the individual number', () => {
    const dnr = parsePersonNumber('47828515124', { allowSynthetic: true });
    expect(dnr.ok && dnr.number).toMatchObject({ kind: 'dnr', birthDate: '1985-02-07', sex: 'male' });
    const child = parsePersonNumber('14891950013', { allowSynthetic: true });
    expect(child.ok && child.number.birthDate).toBe('2019-09-14');
  });

  it('refuses synthetic numbers unless allowed', () => {
    expect(parsePersonNumber('12835412073')).toMatchObject({ ok: false, problem: 'synthetic-not-allowed' });
  });

  it.each([
    ['1283541207', 'not-11-digits'],
    ['1283541207a', 'not-11-digits'],
    ['12835412074', 'check-digit'],
  ])('refuses %s (%s)', (value, problem) => {
    expect(parsePersonNumber(value, { allowSynthetic: true })).toMatchObject({ ok: false, problem });
  });

  it('refuses an impossible date even when the check digits hold', () => {
    const nine = '310283120'; // 31 February (synthetic month 82)
    const value = nine + (checkDigits(nine) ?? '');
    expect(checkDigits(nine)).toBeDefined();
    expect(parsePersonNumber(value, { allowSynthetic: true })).toMatchObject({ ok: false, problem: 'invalid-date' });
  });
});

describe('syntheticPersonNumber', () => {
  it.each([
    ['1954-03-12', 'female', 'fnr'],
    ['2019-09-14', 'female', 'fnr'],
    ['1985-02-07', 'male', 'dnr'],
    ['2000-02-29', 'male', 'fnr'],
  ] as const)('makes a number that parses back to %s %s (%s)', (birthDate, sex, kind) => {
    const value = syntheticPersonNumber({ birthDate, sex, kind });
    expect(parsePersonNumber(value, { allowSynthetic: true })).toEqual({
      ok: true,
      number: { value, kind, synthetic: true, birthDate, sex },
    });
  });

  it('gives distinct numbers for distinct sequence positions', () => {
    const a = syntheticPersonNumber({ birthDate: '1970-01-01', sex: 'male', sequence: 0 });
    const b = syntheticPersonNumber({ birthDate: '1970-01-01', sex: 'male', sequence: 1 });
    expect(a).not.toBe(b);
  });

  it('refuses dates outside the supported centuries', () => {
    expect(() => syntheticPersonNumber({ birthDate: '1850-01-01', sex: 'male' })).toThrow(RangeError);
  });
});
