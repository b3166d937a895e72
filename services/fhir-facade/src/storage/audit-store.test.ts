/**
 * The audit log's store on the test database (PGlite, or PostgreSQL with TEST_DATABASE_URL): an event about a
 * patient whose identifier the search index cannot hold (a foreign document may carry one of any length) is
 * still recorded, in full, and an auditor finds it; only the search by that identifier is not offered.
 */
import { IDENTIFIER_SYSTEM } from '@ehds-no/core';
import { AUDIT_OUTCOME, auditEvent } from '../audit/audit-event.js';
import { testDatabase } from '../test-support/test-database.js';
import { AuditStore, MAX_SEARCHABLE_IDENTIFIER_BYTES, isSearchableIdentifier } from './audit-store.js';
import type { Database } from './database.js';

const caller = { subject: 'test-user', scopes: new Set<string>() };
const event = (patient: { system: string; value: string }) =>
  auditEvent({ operation: 'render-eu-prescription', action: 'E', caller, outcome: AUDIT_OUTCOME.success, recorded: new Date('2026-12-08T10:00:00Z'), patient });

let db: Database;
beforeEach(async () => {
  db = await testDatabase();
});
afterEach(async () => db.close());

describe('isSearchableIdentifier', () => {
  it('takes ordinary identifiers, and refuses U+0000 and identifiers over the index limit', () => {
    expect(isSearchableIdentifier(IDENTIFIER_SYSTEM.fnr, '12835412073')).toBe(true);
    expect(isSearchableIdentifier('urn:oid:1.2.3', 'a'.repeat(MAX_SEARCHABLE_IDENTIFIER_BYTES - 13))).toBe(true);
    expect(isSearchableIdentifier('urn:oid:1.2.3', 'a'.repeat(MAX_SEARCHABLE_IDENTIFIER_BYTES - 12))).toBe(false);
    // Counted in UTF-8 bytes: 'ø' is two.
    expect(isSearchableIdentifier('urn:oid:1.2.3', 'ø'.repeat(MAX_SEARCHABLE_IDENTIFIER_BYTES / 2))).toBe(false);
    expect(isSearchableIdentifier('urn:oid:1.2.3\u0000', '1')).toBe(false);
  });
});

describe('AuditStore.record', () => {
  it('records an event whose patient identifier is too long for the index (it failed with a 500), in full', async () => {
    const store = new AuditStore(db);
    const huge = { system: `https://example.org/${'x'.repeat(400_000)}`, value: '1' };
    await store.record(event(huge), huge);
    const page = await store.search({}, 10);
    expect(page.total).toBe(1);
    expect(page.events[0]?.entity?.[0]?.what?.identifier).toEqual(huge);
    expect((await store.search({ patient: { system: IDENTIFIER_SYSTEM.fnr, value: '12835412073' } }, 10)).total).toBe(0);
  });

  it('finds an ordinary patient by identifier', async () => {
    const store = new AuditStore(db);
    const patient = { system: IDENTIFIER_SYSTEM.fnr, value: '12835412073' };
    await store.record(event(patient), patient);
    expect((await store.search({ patient }, 10)).total).toBe(1);
  });
});
