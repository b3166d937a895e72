/**
 * Persisted AuditEvents, searchable by patient identifier and time, newest first, a page at a time: the
 * pages are cut by keyset (recorded, then id), so that events recorded while someone pages through the
 * log never shift or repeat an earlier page.
 */
import type { AuditEvent, Identifier } from '@medplum/fhirtypes';
import type { AuditCursor } from '../audit/audit-search.js';
import type { Database } from './database.js';

/**
 * Most UTF-8 bytes of a patient identifier (system and value together) that the search index holds: a
 * B-tree row is at most 2,704 bytes in PostgreSQL, and a foreign document may carry an identifier of any
 * length. A longer one is kept in the event itself (an auditor still sees it) but not in the search columns.
 */
export const MAX_SEARCHABLE_IDENTIFIER_BYTES = 2000;

/**
 * True when the log can be searched by this identifier: within {@link MAX_SEARCHABLE_IDENTIFIER_BYTES}
 * and without U+0000 (which PostgreSQL text cannot hold).
 * @example isSearchableIdentifier('urn:oid:2.16.578.1.12.4.1.4.1', '12835412073') // true
 */
export function isSearchableIdentifier(system: string, value: string): boolean {
  return !system.includes('\u0000') && !value.includes('\u0000') && Buffer.byteLength(system) + Buffer.byteLength(value) <= MAX_SEARCHABLE_IDENTIFIER_BYTES;
}

/** What to look for in the log. */
export interface AuditLogQuery {
  /** Only this patient's events; left out, every event (an auditor's view). */
  readonly patient?: { readonly system: string; readonly value: string };
  /** Recorded at or after. */
  readonly notBefore?: Date;
  /** Recorded before. */
  readonly before?: Date;
}

/** One page of the log. */
export interface AuditLogPage {
  readonly events: AuditEvent[];
  /** How many events match the query, on all pages. */
  readonly total: number;
  /** Where the next page starts; absent on the last page. */
  readonly next?: AuditCursor;
}

/** The audit log, on any {@link Database}. */
export class AuditStore {
  constructor(private readonly db: Database) {}

  /** Stores one event; `patient` is its patient identifier, for search. */
  async record(event: AuditEvent, patient: Identifier | undefined): Promise<void> {
    const searchable = patient?.system !== undefined && patient.value !== undefined && isSearchableIdentifier(patient.system, patient.value) ? patient : undefined;
    await this.db.query('insert into audit_event (id, recorded, patient_system, patient_value, resource) values ($1, $2, $3, $4, $5)', [
      event.id, event.recorded, searchable?.system ?? null, searchable?.value ?? null, JSON.stringify(event),
    ]);
  }

  /**
   * A page of the events matching `query`, newest first, starting after `after`, with the total count.
   * @example const first = await store.search({ patient }, 50); const second = first.next && await store.search({ patient }, 50, first.next);
   */
  async search(query: AuditLogQuery, count: number, after?: AuditCursor): Promise<AuditLogPage> {
    const where: string[] = [];
    const params: unknown[] = [];
    const param = (v: unknown) => `$${params.push(v)}`;
    if (query.patient) where.push(`patient_system = ${param(query.patient.system)} and patient_value = ${param(query.patient.value)}`);
    if (query.notBefore) where.push(`recorded >= ${param(query.notBefore.toISOString())}`);
    if (query.before) where.push(`recorded < ${param(query.before.toISOString())}`);
    const filter = where.length ? `where ${where.join(' and ')}` : '';
    const total = (await this.db.query<{ n: number }>(`select count(*)::int as n from audit_event ${filter}`, params)).rows[0]?.n ?? 0;
    const pageParams = [...params];
    const pageParam = (v: unknown) => `$${pageParams.push(v)}`;
    const pageWhere = after ? [...where, `(recorded, id) < (${pageParam(after.recorded)}::timestamptz, ${pageParam(after.id)})`] : where;
    const pageFilter = pageWhere.length ? `where ${pageWhere.join(' and ')}` : '';
    // One more than asked for tells whether there is a next page.
    const sql = `select resource from audit_event ${pageFilter} order by recorded desc, id desc limit ${pageParam(count + 1)}`;
    const rows = (await this.db.query<{ resource: AuditEvent }>(sql, pageParams)).rows.map((r) => r.resource);
    const events = rows.slice(0, count);
    const last = events[events.length - 1];
    return {
      events,
      total,
      ...(rows.length > count && last?.id && last.recorded ? { next: { recorded: last.recorded, id: last.id } } : {}),
    };
  }
}
