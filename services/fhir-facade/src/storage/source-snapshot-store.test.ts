import { IDENTIFIER_SYSTEM, type SourceSnapshot } from '@ehds-no/core';
import { SourceSnapshotStore } from './source-snapshot-store.js';
import { TEST_BACKEND, testDatabase } from '../test-support/test-database.js';
import type { Database } from './database.js';

const patient = { system: IDENTIFIER_SYSTEM.fnr, value: '13828099999' };
const other = { system: IDENTIFIER_SYSTEM.dnr, value: '53828099999' };
const npr = (fetchedAt: string, episodeId: string): SourceSnapshot<'npr'> => ({
  source: 'npr', fetchedAt, data: { records: [{ register: 'NPR', patient, episodeId, institution: { resh: '4001' }, start: '2024-01-02', diagnoses: [{ system: '2.16.578.1.12.4.1.1.7110', code: 'I10', primary: true }], procedures: [] }] },
});

describe(`SourceSnapshotStore on ${TEST_BACKEND}`, () => {
  let db: Database;
  beforeEach(async () => {
    db = await testDatabase();
  });
  afterEach(async () => {
    await db.close();
  });

  it('stores and reads a snapshot per source and patient', async () => {
    const store = new SourceSnapshotStore(db);
    expect(await store.get('npr', patient)).toBeUndefined();
    await store.put(npr('2025-03-01T10:00:00.000Z', 'e1'), patient);
    await store.put({ source: 'pll', fetchedAt: '2025-03-01T10:00:00.000Z', data: {} }, patient);
    expect(await store.get('npr', patient)).toEqual(npr('2025-03-01T10:00:00.000Z', 'e1'));
    expect(await store.get('pll', patient)).toEqual({ source: 'pll', fetchedAt: '2025-03-01T10:00:00.000Z', data: {} });
    expect(await store.get('npr', other)).toBeUndefined();
    expect(await store.get('kpr', patient)).toBeUndefined();
  });

  it('replaces a snapshot with a newer one (upsert), never with an older one', async () => {
    const store = new SourceSnapshotStore(db);
    await store.put(npr('2025-03-01T10:00:00.000Z', 'e1'), patient);
    await store.put(npr('2025-03-01T11:00:00.000Z', 'e2'), patient);
    expect((await store.get('npr', patient))?.data.records[0]?.episodeId).toBe('e2');
    await store.put(npr('2025-03-01T10:30:00.000Z', 'late'), patient);
    expect(await store.get('npr', patient)).toEqual(npr('2025-03-01T11:00:00.000Z', 'e2'));
    expect((await db.query<{ n: number }>('select count(*)::int as n from source_snapshot')).rows[0]?.n).toBe(1);
  });
});
