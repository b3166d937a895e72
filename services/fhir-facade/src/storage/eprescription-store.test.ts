import { convertM1ToEuPrescription, readM1OrThrow } from '@ehds-no/core';
import { fixture } from '../../../../packages/core/src/test-support/eresept-fixtures.js';
import { migrate } from './database.js';
import { DispenseKeyTaken, EprescriptionStore, type StoredUtlevering } from './eprescription-store.js';
import { restartableDatabase, TEST_BACKEND, testDatabase } from '../test-support/test-database.js';

const released = () => {
  const r = convertM1ToEuPrescription(readM1OrThrow(fixture('m1-pakning-dosering.xml'), { allowSyntheticIdentities: true }), { now: new Date('2024-06-10T08:00:00Z') });
  if (!r.release) throw new Error('fixture must release');
  return r;
};

const utlevering = (msgId: string, dispenseKey: string): Omit<StoredUtlevering, 'storedAt'> => ({
  msgId, dispenseKey, reseptId: released().release!.reseptId, quantity: 1, annulment: false, m10Xml: '<MsgHead/>', report: { resourceType: 'OperationOutcome', issue: [] },
});

describe(`EprescriptionStore on ${TEST_BACKEND}`, () => {
  it('keeps releases and dispensings across a restart', async () => {
    const restartable = await restartableDatabase();
    try {
      const { release, bundle } = released();
      const first = await restartable.open();
      await migrate(first);
      const store = new EprescriptionStore(first);
      await store.recordRelease(release!, bundle);
      await store.dispense(release!.reseptId, () => ({ result: undefined, store: utlevering('m-1', 'k-1') }));
      await first.close();

      const again = await restartable.open();
      expect(await migrate(again)).toEqual([]);
      const reopened = new EprescriptionStore(again);
      expect((await reopened.release(release!.reseptId))?.release.reseptId).toBe(release!.reseptId);
      expect((await reopened.utleveringer(release!.reseptId)).map((u) => u.msgId)).toEqual(['m-1']);
      await again.close();
    } finally {
      await restartable.dispose();
    }
  });

  it('writes a dispensing in one transaction: a failure half-way leaves nothing behind', async () => {
    const db = await testDatabase();
    try {
      const { release, bundle } = released();
      const store = new EprescriptionStore(db);
      await store.recordRelease(release!, bundle);
      await store.dispense(release!.reseptId, () => ({ result: undefined, store: utlevering('m-1', 'k-1') }));
      // The same MsgId again violates the primary key after the row lock was taken: the whole transaction rolls
      // back, and the violation is answered as a taken key (a 409 at the routes), not as an unknown failure.
      await expect(store.dispense(release!.reseptId, () => ({ result: undefined, store: utlevering('m-1', 'k-2') }))).rejects.toThrow(DispenseKeyTaken);
      await expect(store.dispense(release!.reseptId, () => {
        throw new Error('crash while deciding');
      })).rejects.toThrow('crash while deciding');
      expect((await store.utleveringer(release!.reseptId)).map((u) => u.dispenseKey)).toEqual(['k-1']);
      expect(await store.utleveringByKey('k-2')).toBeUndefined();
    } finally {
      await db.close();
    }
  });

  it('releasing the same prescription again keeps the first record', async () => {
    const db = await testDatabase();
    try {
      const { release, bundle } = released();
      const store = new EprescriptionStore(db);
      await store.recordRelease(release!, bundle);
      const again = await store.recordRelease({ ...release!, releasedAt: '2030-01-01T00:00:00.000Z' }, bundle);
      expect(again.release.releasedAt).toBe(release!.releasedAt);
    } finally {
      await db.close();
    }
  });
});
