/**
 * The `GET /fhir/AuditEvent` parameters: R4's date ranges and prefixes, the patient forms, `_count`, and
 * the 400 naming an unknown or malformed parameter.
 */
import { HttpProblem } from '../fhir/operation-outcome.js';
import { encodeCursor, readAuditSearch, searchDateRange } from './audit-search.js';

const where = (query: Record<string, unknown>) => {
  try {
    readAuditSearch(query);
  } catch (e) {
    if (e instanceof HttpProblem) return { status: e.status, expression: e.outcome.issue?.[0]?.expression };
    throw e;
  }
  return undefined;
};

const iso = (r: { start: Date; end: Date } | undefined) => r && [r.start.toISOString(), r.end.toISOString()];

describe('searchDateRange', () => {
  it('gives the range of the value\'s precision; a day without a zone is a day in Norway (winter and summer time)', () => {
    expect(iso(searchDateRange('2026-12-01'))).toEqual(['2026-11-30T23:00:00.000Z', '2026-12-01T23:00:00.000Z']);
    expect(iso(searchDateRange('2026-07-01'))).toEqual(['2026-06-30T22:00:00.000Z', '2026-07-01T22:00:00.000Z']);
    expect(iso(searchDateRange('2026-03-29'))).toEqual(['2026-03-28T23:00:00.000Z', '2026-03-29T22:00:00.000Z']);
    expect(iso(searchDateRange('2026'))).toEqual(['2025-12-31T23:00:00.000Z', '2026-12-31T23:00:00.000Z']);
    expect(iso(searchDateRange('2026-02'))).toEqual(['2026-01-31T23:00:00.000Z', '2026-02-28T23:00:00.000Z']);
    expect(iso(searchDateRange('2026-12-01T10:15:30Z'))).toEqual(['2026-12-01T10:15:30.000Z', '2026-12-01T10:15:31.000Z']);
    expect(iso(searchDateRange('2026-12-01T10:15+01:00'))).toEqual(['2026-12-01T09:15:00.000Z', '2026-12-01T09:16:00.000Z']);
    expect(iso(searchDateRange('2026-12-01T10:15:30.250Z'))).toEqual(['2026-12-01T10:15:30.250Z', '2026-12-01T10:15:30.251Z']);
  });

  it.each(['2026-02-30', '2026-13-01', '2026-12-01T10:15:30', '2026-12-01T25:00Z', '26-12-01', 'today', '2026-12-01 10:00Z'])('refuses %s', (text) => {
    expect(searchDateRange(text)).toBeUndefined();
  });
});

describe('readAuditSearch', () => {
  it('reads date prefixes as R4 does on an instant, ANDing repeated ones', () => {
    const day = { start: new Date('2026-11-30T23:00:00Z'), end: new Date('2026-12-01T23:00:00Z') };
    expect(readAuditSearch({ date: '2026-12-01' })).toMatchObject({ notBefore: day.start, before: day.end });
    expect(readAuditSearch({ date: 'eq2026-12-01' })).toMatchObject({ notBefore: day.start, before: day.end });
    expect(readAuditSearch({ date: 'ge2026-12-01' })).toEqual({ count: 50, notBefore: day.start });
    expect(readAuditSearch({ date: 'gt2026-12-01' })).toEqual({ count: 50, notBefore: day.end });
    expect(readAuditSearch({ date: 'lt2026-12-01' })).toEqual({ count: 50, before: day.start });
    expect(readAuditSearch({ date: 'le2026-12-01' })).toEqual({ count: 50, before: day.end });
    expect(readAuditSearch({ date: ['ge2026-11-01', 'ge2026-12-01', 'lt2027-01-01T00:00:00Z'] })).toEqual({ count: 50, notBefore: day.start, before: new Date('2027-01-01T00:00:00Z') });
  });

  it('reads patient as a reference, with :identifier, or as system|value', () => {
    const id = '0b9d5c2e-1f3a-4d5b-8c7e-9a0b1c2d3e4f';
    expect(readAuditSearch({ patient: `Patient/${id}` }).patient).toEqual({ kind: 'id', id });
    expect(readAuditSearch({ patient: id }).patient).toEqual({ kind: 'id', id });
    expect(readAuditSearch({ 'patient:identifier': 'urn:oid:2.16.578.1.12.4.1.4.1|123' }).patient).toEqual({ kind: 'identifier', system: 'urn:oid:2.16.578.1.12.4.1.4.1', value: '123' });
    expect(readAuditSearch({ patient: 'urn:oid:2.16.578.1.12.4.1.4.1|123' }).patient).toEqual({ kind: 'identifier', system: 'urn:oid:2.16.578.1.12.4.1.4.1', value: '123' });
  });

  it('reads _count within bounds and a cursor it gave', () => {
    expect(readAuditSearch({ _count: '10' }).count).toBe(10);
    const after = { recorded: '2026-12-01T10:00:00.000Z', id: 'a' };
    expect(readAuditSearch({ _cursor: encodeCursor(after) }).after).toEqual(after);
  });

  it.each([
    [{ subject: 'x' }, 'subject'],
    [{ patient: '12835412073' }, 'patient'],
    [{ patient: ['a|b', 'c|d'] }, 'patient'],
    [{ patient: 'a|b', 'patient:identifier': 'a|b' }, 'patient'],
    [{ 'patient:identifier': 'Patient/0b9d5c2e-1f3a-4d5b-8c7e-9a0b1c2d3e4f' }, 'patient:identifier'],
    [{ patient: { a: 'b' } }, 'patient'],
    [{ date: '2026-02-30' }, 'date'],
    [{ date: 'ne2026-12-01' }, 'date'],
    [{ date: 'ap2026-12-01' }, 'date'],
    [{ _count: '0' }, '_count'],
    [{ _count: '501' }, '_count'],
    [{ _count: '1e2' }, '_count'],
    [{ _cursor: 'not-a-cursor' }, '_cursor'],
    [{ _sort: 'date' }, '_sort'],
  ])('400 for %j at %s', (query, name) => {
    expect(where(query)).toEqual({ status: 400, expression: [name] });
  });
});
