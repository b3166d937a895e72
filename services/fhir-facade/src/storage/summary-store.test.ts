import type { Bundle } from '@medplum/fhirtypes';
import { IDENTIFIER_SYSTEM, syntheticPersonNumber, type SummaryCandidate } from '@ehds-no/core';
import { migrate } from './database.js';
import { DatabaseSummaryStore } from './summary-store.js';
import { restartableDatabase, TEST_BACKEND, testDatabase } from '../test-support/test-database.js';

const KEY = { system: IDENTIFIER_SYSTEM.fnr, value: syntheticPersonNumber({ birthDate: '1970-05-05', sex: 'male' }) };

const candidate = (hash: string, at: string, sourcesChecked = true): SummaryCandidate => ({
  contentHash: hash,
  createdAt: at,
  sourcesChecked,
  bundle: { resourceType: 'Bundle', id: 'b', type: 'document', entry: [{ fullUrl: 'urn:uuid:x', resource: { resourceType: 'Patient', id: 'x' } }], timestamp: at } as Bundle,
});

describe(`DatabaseSummaryStore on ${TEST_BACKEND}`, () => {
  it('stores a new version only when the content hash changes, keeps history, and serves the document as stored', async () => {
    const db = await testDatabase();
    try {
      const store = new DatabaseSummaryStore(db);
      const patient = (await store.patientByKey(KEY, true))!;
      expect(patient.id).not.toContain(KEY.value);
      expect((await store.patientByKey(KEY, true))?.id).toBe(patient.id);
      expect((await store.appendIfChanged(patient.id, candidate('h1', '2026-11-20T10:00:00.000Z'))).created).toBe(true);
      const same = await store.appendIfChanged(patient.id, candidate('h1', '2026-11-20T11:00:00.000Z'));
      expect(same).toMatchObject({ created: false, version: { versionId: 1 } });
      expect(await store.checkedAt(patient.id)).toBe('2026-11-20T11:00:00.000Z');
      await store.appendIfChanged(patient.id, candidate('h2', '2026-11-20T12:00:00.000Z', false));
      expect(await store.checkedAt(patient.id)).toBe('2026-11-20T11:00:00.000Z');
      expect((await store.history(patient.id)).map((v) => v.versionId)).toEqual([2, 1]);
      const v1 = await store.version(patient.id, 1);
      expect(v1?.bundle.meta).toEqual({ versionId: '1', lastUpdated: '2026-11-20T10:00:00.000Z' });
      expect(Object.keys(v1!.bundle)[0]).toBe('resourceType');
      expect(await store.version(patient.id, 3)).toBeUndefined();
    } finally {
      await db.close();
    }
  });

  it('never forks versions under concurrent rebuilds', async () => {
    const db = await testDatabase();
    try {
      const store = new DatabaseSummaryStore(db);
      const patient = (await store.patientByKey(KEY, true))!;
      await Promise.all(['a', 'b', 'c', 'a', 'b'].map((h, i) => store.appendIfChanged(patient.id, candidate(h, `2026-11-20T10:00:0${i}.000Z`))));
      const ids = (await store.history(patient.id)).map((v) => v.versionId);
      expect(ids).toEqual([...ids].sort((a, b) => b - a));
      expect(new Set(ids).size).toBe(ids.length);
    } finally {
      await db.close();
    }
  });

  it('leaves nothing half-written when writing a version fails half-way', async () => {
    const db = await testDatabase();
    try {
      const store = new DatabaseSummaryStore(db);
      const patient = (await store.patientByKey(KEY, true))!;
      await store.appendIfChanged(patient.id, candidate('h1', '2026-11-20T10:00:00.000Z'));
      const broken = candidate('h2', '2026-11-20T11:00:00.000Z');
      // A value JSON cannot serialise makes the insert fail after checked_at was updated in the same transaction.
      (broken.bundle as unknown as { bad: bigint }).bad = 1n;
      await expect(store.appendIfChanged(patient.id, broken)).rejects.toThrow();
      expect(await store.checkedAt(patient.id)).toBe('2026-11-20T10:00:00.000Z');
      expect((await store.history(patient.id)).map((v) => v.versionId)).toEqual([1]);
    } finally {
      await db.close();
    }
  });

  it('keeps versions and marks across a restart', async () => {
    const restartable = await restartableDatabase();
    try {
      const first = await restartable.open();
      await migrate(first);
      const store = new DatabaseSummaryStore(first);
      const patient = (await store.patientByKey(KEY, true))!;
      await store.appendIfChanged(patient.id, candidate('h1', '2026-11-20T10:00:00.000Z'));
      await store.putMark(patient.id, { entry: 'Condition/c1', markedBy: { hpr: '9144900', name: 'Lege Legesen' }, markedAt: '2026-11-20T10:05:00.000Z' });
      await first.close();

      const again = await restartable.open();
      await migrate(again);
      const reopened = new DatabaseSummaryStore(again);
      expect((await reopened.patientById(patient.id))?.key).toEqual(KEY);
      expect((await reopened.latest(patient.id))?.versionId).toBe(1);
      expect(await reopened.marks(patient.id)).toEqual([{ entry: 'Condition/c1', markedBy: { hpr: '9144900', name: 'Lege Legesen' }, markedAt: '2026-11-20T10:05:00.000Z' }]);
      expect(await reopened.deleteMark(patient.id, 'Condition/c1')).toBe(true);
      expect(await reopened.deleteMark(patient.id, 'Condition/c1')).toBe(false);
      await again.close();
    } finally {
      await restartable.dispose();
    }
  });
});
