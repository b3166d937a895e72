import { kithOid, xsBoolean, xsDate, xsDateTime, xsDecimal, xsDouble, xsDuration, xsInt, xsTime } from './simple-types.js';

describe('XML Schema simple types', () => {
  it.each([
    ['2024-02-29', true],
    ['2023-02-29', false],
    ['2024-13-01', false],
    ['2024-01-01+01:00', true],
    ['01.01.2024', false],
    ['2024-1-1', false],
    // Years FHIR cannot carry are refused, though the schema type allows them.
    ['10000-01-01', false],
    ['-0001-01-01', false],
    ['0000-01-01', false],
    ['0001-01-01', true],
  ])('xs:date %s → valid %s', (s, ok) => {
    expect(xsDate.parse(s) !== undefined).toBe(ok);
  });

  it.each([
    ['2024-06-03T09:48:19', true],
    ['2024-06-03T09:48:19.123+02:00', true],
    ['2024-06-03T24:00:00', true],
    ['2024-06-03T24:00:01', false],
    ['2024-06-03 09:48:19', false],
    ['12024-06-03T09:48:19', false],
  ])('xs:dateTime %s → valid %s', (s, ok) => {
    expect(xsDateTime.parse(s) !== undefined).toBe(ok);
  });

  it.each([
    [2.5, '2.5'],
    [1e-12, '0.000000000001'],
    [-1.25e-7, '-0.000000125'],
    [1e21, '1000000000000000000000'],
    [1.5e21, '1500000000000000000000'],
  ])('writes %d as the xs:decimal %s (no exponent), which reads back the same', (n, text) => {
    expect(xsDecimal.format(n)).toBe(text);
    expect(xsDecimal.parse(text)).toBe(n);
  });

  it('parses decimals strictly: no comma, no exponent', () => {
    expect(xsDecimal.parse(' 2.50 ')).toBe(2.5);
    expect(xsDecimal.parse('1,5')).toBeUndefined();
    expect(xsDecimal.parse('1e3')).toBeUndefined();
    expect(xsDouble.parse('1e3')).toBe(1000);
    expect(xsDouble.parse('INF')).toBe(Infinity);
  });

  it('bounds xs:int to 32 bits', () => {
    expect(xsInt.parse('2147483647')).toBe(2147483647);
    expect(xsInt.parse('2147483648')).toBeUndefined();
    expect(xsInt.parse('1.0')).toBeUndefined();
  });

  it('reads booleans as the schema allows and writes the canonical form', () => {
    expect([xsBoolean.parse('1'), xsBoolean.parse('false'), xsBoolean.parse('yes')]).toEqual([true, false, undefined]);
    expect(xsBoolean.format(true)).toBe('true');
  });

  it('checks durations, times and OIDs', () => {
    expect(xsDuration.parse('P1Y')).toBe('P1Y');
    expect(xsDuration.parse('P')).toBeUndefined();
    expect(xsTime.parse('08:00:00')).toBe('08:00:00');
    expect(xsTime.parse('8:00')).toBeUndefined();
    expect(kithOid.parse('2.16.578.1.12.4.1.1.7448')).toBeDefined();
    expect(kithOid.parse('urn:oid:2.16.578')).toBeUndefined();
  });
});
