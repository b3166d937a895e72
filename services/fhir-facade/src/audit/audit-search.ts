/**
 * The search parameters of `GET /fhir/AuditEvent`, read as FHIR R4 defines them: `patient` as a reference
 * (`Patient/<id>`, the summary's pseudonymous id) or with the `:identifier` modifier (`system|value`; the
 * plain `patient=system|value` is kept as the same), `date` (AuditEvent.recorded) with the prefixes `eq`,
 * `gt`, `lt`, `ge`, `le` and the implicit range of its precision, `_count`, and `_cursor` for the next page.
 * Anything else is refused with a 400 that names the parameter.
 */
import { daysInMonth } from '@ehds-no/core';
import { HttpProblem, operationOutcome } from '../fhir/operation-outcome.js';
import { MAX_SEARCHABLE_IDENTIFIER_BYTES, isSearchableIdentifier } from '../storage/audit-store.js';

/** Which patient's events: by identifier, or by the summary's Patient id. */
export type AuditPatientParameter = { readonly kind: 'identifier'; readonly system: string; readonly value: string } | { readonly kind: 'id'; readonly id: string };

/** The keyset position after the last event of a page (newest first: recorded, then id, descending). */
export interface AuditCursor {
  readonly recorded: string;
  readonly id: string;
}

/** A read `GET /fhir/AuditEvent` query. */
export interface AuditSearch {
  readonly patient?: AuditPatientParameter;
  /** Events recorded at or after this instant (from `date` with `ge`, `gt`, `eq`). */
  readonly notBefore?: Date;
  /** Events recorded before this instant (from `date` with `lt`, `le`, `eq`). */
  readonly before?: Date;
  /** Page size. */
  readonly count: number;
  readonly after?: AuditCursor;
}

/** Page size without `_count`, and the largest one accepted. */
export const AUDIT_PAGE_SIZE = { default: 50, max: 500 } as const;

/** The parameters served, as the CapabilityStatement and the 400 for an unknown one list them. */
export const AUDIT_SEARCH_PARAMETERS = ['patient', 'patient:identifier', 'date', '_count', '_cursor'] as const;

/** The time zone a date without one is read in: the patients and their clinicians are in Norway. */
const LOCAL_TIME_ZONE = 'Europe/Oslo';

const DATE_PREFIXES = ['eq', 'gt', 'lt', 'ge', 'le'] as const;
type DatePrefix = (typeof DATE_PREFIXES)[number];
const UNSUPPORTED_PREFIXES = ['ne', 'sa', 'eb', 'ap'];

/** A FHIR id, as the summary's Patient ids (UUIDs) are. */
const PATIENT_REFERENCE = /^(?:Patient\/)?([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;
const FHIR_DATE = /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:\d{2}))?)?)?$/;

function bad(parameter: string, diagnostics: string): HttpProblem {
  return new HttpProblem(400, operationOutcome('value', diagnostics, parameter));
}

/** The values of a parameter: Express gives a string, an array for a repeated one, or an object for `a[b]=`. */
function valuesOf(query: Record<string, unknown>, name: string): string[] {
  const v = query[name];
  if (v === undefined) return [];
  const all = Array.isArray(v) ? v : [v];
  if (!all.every((x): x is string => typeof x === 'string')) throw bad(name, `${name} must be given as plain text`);
  return all;
}

function single(query: Record<string, unknown>, name: string): string | undefined {
  const values = valuesOf(query, name);
  if (values.length > 1) throw bad(name, `${name} may be given once`);
  return values[0];
}

/** The wall clock in Norway, field by field (one formatter for the process, not one per offset asked). */
const LOCAL_WALL_CLOCK = new Intl.DateTimeFormat('en-US', { timeZone: LOCAL_TIME_ZONE, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });

/** Milliseconds east of UTC in Norway at `instant`. */
function zoneOffsetMs(instant: number): number {
  const parts = LOCAL_WALL_CLOCK.formatToParts(instant);
  const n = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second')) - Math.floor(instant / 1000) * 1000;
}

/** The instant at which the wall-clock time `wall` in Norway (as if UTC) occurs. */
function localToInstant(wall: number): number {
  // Twice: the offset at the first guess may differ from the offset at the answer around a DST change.
  let instant = wall - zoneOffsetMs(wall);
  instant = wall - zoneOffsetMs(instant);
  return instant;
}

/**
 * The range `[start, end)` a FHIR date or dateTime search value stands for, by its precision: `2026` the
 * year, `2026-12-01` the day (in Norway when no zone is given), `…T10:15:00Z` the second.
 * @example searchDateRange('2026-12-01') // [2026-11-30T23:00:00Z, 2026-12-01T23:00:00Z)
 */
export function searchDateRange(text: string): { readonly start: Date; readonly end: Date } | undefined {
  const m = FHIR_DATE.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const year = Number(y);
  const month = mo === undefined ? 1 : Number(mo);
  const day = d === undefined ? 1 : Number(d);
  const wall = Date.UTC(year, month - 1, day, Number(h ?? 0), Number(mi ?? 0), Number(s ?? 0), Number((frac ?? '').padEnd(3, '0').slice(0, 3)));
  // The project's one calendar rule (Date.UTC would roll 2026-02-30 over into March); Date.UTC reads the
  // years 0–99 as 1900–1999, so those are no date here.
  if (year < 100 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || Number(h ?? 0) > 23 || Number(mi ?? 0) > 59 || Number(s ?? 0) > 59) return undefined;
  const next = (w: number): number => {
    if (mo === undefined) return Date.UTC(year + 1, 0, 1);
    if (d === undefined) return Date.UTC(year, month, 1);
    if (h === undefined) return Date.UTC(year, month - 1, day + 1);
    if (s === undefined) return w + 60_000;
    if (frac === undefined) return w + 1000;
    return w + 1;
  };
  if (zone === undefined) return { start: new Date(localToInstant(wall)), end: new Date(localToInstant(next(wall))) };
  const offset = zone === 'Z' ? 0 : (zone.startsWith('-') ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6))) * 60_000;
  return { start: new Date(wall - offset), end: new Date(next(wall) - offset) };
}

/** The bounds of one `date` value on AuditEvent.recorded (an instant), per R4's prefix rules. */
function dateBounds(value: string): { notBefore?: Date; before?: Date } {
  const prefix = /^[a-z]{2}/.exec(value)?.[0];
  if (prefix !== undefined && UNSUPPORTED_PREFIXES.includes(prefix)) throw bad('date', `the date prefix ${prefix} is not supported; use one of ${DATE_PREFIXES.join(', ')}`);
  const known = DATE_PREFIXES.includes(prefix as DatePrefix) ? (prefix as DatePrefix) : undefined;
  const range = searchDateRange(known ? value.slice(2) : value);
  if (!range) {
    throw bad('date', `date must be [eq|gt|lt|ge|le]YYYY[-MM[-DD[Thh:mm[:ss[.sss]](Z|±hh:mm)]]], e.g. ge2026-12-01; got "${value}"`);
  }
  switch (known ?? 'eq') {
    case 'eq':
      return { notBefore: range.start, before: range.end };
    case 'ge':
      return { notBefore: range.start };
    case 'gt':
      return { notBefore: range.end };
    case 'lt':
      return { before: range.start };
    case 'le':
      return { before: range.end };
  }
}

function patientParameter(query: Record<string, unknown>): AuditPatientParameter | undefined {
  const plain = single(query, 'patient');
  const byIdentifier = single(query, 'patient:identifier');
  if (plain !== undefined && byIdentifier !== undefined) throw bad('patient', 'give patient or patient:identifier, not both');
  const text = byIdentifier ?? plain;
  if (text === undefined) return undefined;
  const name = byIdentifier !== undefined ? 'patient:identifier' : 'patient';
  const bar = text.indexOf('|');
  if (bar > 0 && bar < text.length - 1) {
    const [system, value] = [text.slice(0, bar), text.slice(bar + 1)];
    if (!isSearchableIdentifier(system, value)) throw bad(name, `${name} must be at most ${MAX_SEARCHABLE_IDENTIFIER_BYTES} bytes without U+0000: the log is searched by no other identifier`);
    return { kind: 'identifier', system, value };
  }
  const reference = byIdentifier === undefined ? PATIENT_REFERENCE.exec(text) : null;
  if (reference) return { kind: 'id', id: reference[1] as string };
  throw bad(
    name,
    byIdentifier !== undefined
      ? 'patient:identifier must be given as <system>|<value>, e.g. urn:oid:2.16.578.1.12.4.1.4.1|<fødselsnummer>'
      : 'patient must be a reference, Patient/<id> (the summary\'s Patient id), or <system>|<value>, e.g. urn:oid:2.16.578.1.12.4.1.4.1|<fødselsnummer>',
  );
}

/** The text of a cursor: the keyset position, base64url JSON. */
export function encodeCursor(cursor: AuditCursor): string {
  return Buffer.from(JSON.stringify([cursor.recorded, cursor.id])).toString('base64url');
}

function decodeCursor(text: string): AuditCursor {
  try {
    const v: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && typeof v[1] === 'string' && v[1].length <= 64 && !Number.isNaN(Date.parse(v[0]))) {
      return { recorded: new Date(v[0]).toISOString(), id: v[1] };
    }
  } catch {
    // reported below
  }
  throw bad('_cursor', '_cursor is not one this server gave; follow the Bundle\'s next link');
}

/**
 * Reads the query of `GET /fhir/AuditEvent`.
 * @throws {HttpProblem} 400 naming the parameter: unknown, repeated where it may not be, or malformed
 * @example readAuditSearch({ patient: 'Patient/0b9…', date: ['ge2026-12-01', 'lt2026-12-08'], _count: '20' })
 */
export function readAuditSearch(query: Record<string, unknown>): AuditSearch {
  const unknown = Object.keys(query).filter((name) => !(AUDIT_SEARCH_PARAMETERS as readonly string[]).includes(name));
  if (unknown.length) throw bad(unknown[0] as string, `unknown search parameter ${unknown.join(', ')}; AuditEvent is searched by ${AUDIT_SEARCH_PARAMETERS.join(', ')}`);
  const patient = patientParameter(query);
  let notBefore: Date | undefined;
  let before: Date | undefined;
  // Repeated date parameters all apply (AND): the narrowest bounds win.
  for (const value of valuesOf(query, 'date')) {
    const b = dateBounds(value);
    if (b.notBefore && (!notBefore || b.notBefore > notBefore)) notBefore = b.notBefore;
    if (b.before && (!before || b.before < before)) before = b.before;
  }
  const countText = single(query, '_count');
  const count = countText === undefined ? AUDIT_PAGE_SIZE.default : Number(countText);
  if (countText !== undefined && (!/^\d+$/.test(countText) || count < 1 || count > AUDIT_PAGE_SIZE.max)) {
    throw bad('_count', `_count must be a whole number from 1 to ${AUDIT_PAGE_SIZE.max}`);
  }
  const cursorText = single(query, '_cursor');
  return {
    count,
    ...(patient ? { patient } : {}),
    ...(notBefore ? { notBefore } : {}),
    ...(before ? { before } : {}),
    ...(cursorText !== undefined ? { after: decodeCursor(cursorText) } : {}),
  };
}
