/**
 * Step-1 e-prescription state: the prescriptions released to the EU, and the Reseptformidleren store of
 * M10 dispensing reports. Writes that belong together happen in one transaction, with the prescription
 * row locked, so that two dispensings of one prescription cannot both take what is left.
 */
import type { NorwegianDispensing, ReleasedPrescription, StoredDispensing } from '@ehds-no/core';
import type { Bundle, OperationOutcome } from '@medplum/fhirtypes';
import type { Database, Queryable } from './database.js';

/** An M10 as Reseptformidleren stores it. */
export interface StoredUtlevering extends StoredDispensing {
  readonly reseptId: string;
  readonly m10Xml: string;
  readonly report: OperationOutcome;
  readonly storedAt: string;
}

/** A released prescription and the EU Bundle it was released as. */
export interface ReleaseRecord {
  readonly release: ReleasedPrescription;
  readonly bundle: Bundle;
}

interface UtleveringRow {
  msg_id: string;
  resept_id: string;
  dispense_key: string;
  quantity: string | number;
  annulment: boolean;
  annuls: string | null;
  m10_xml: string;
  report: OperationOutcome;
  stored_at: string | Date;
}

function toUtlevering(r: UtleveringRow): StoredUtlevering {
  return {
    msgId: r.msg_id,
    reseptId: r.resept_id,
    dispenseKey: r.dispense_key,
    quantity: Number(r.quantity),
    annulment: r.annulment,
    ...(r.annuls ? { annuls: r.annuls } : {}),
    m10Xml: r.m10_xml,
    report: r.report,
    storedAt: new Date(r.stored_at).toISOString(),
  };
}

const UTLEVERING_COLUMNS = 'msg_id, resept_id, dispense_key, quantity, annulment, annuls, m10_xml, report, stored_at';

/** A Norwegian pharmacy's dispensing of an EU prescription, as stored. */
export interface StoredEuDispensing extends NorwegianDispensing {
  readonly euPrescriptionId: string;
  readonly dispensedOn: string;
  readonly bundle: Bundle;
  readonly report: OperationOutcome;
}

interface EuDispensingRow {
  dispense_key: string;
  eu_prescription_id: string;
  packages: string | number;
  annulment: boolean;
  annuls: string | null;
  dispensed_on: string | Date;
  eu_bundle: Bundle;
  report: OperationOutcome;
}

function toEuDispensing(r: EuDispensingRow): StoredEuDispensing {
  return {
    dispenseKey: r.dispense_key,
    euPrescriptionId: r.eu_prescription_id,
    packages: Number(r.packages),
    annulment: r.annulment,
    ...(r.annuls ? { annuls: r.annuls } : {}),
    dispensedOn: typeof r.dispensed_on === 'string' ? r.dispensed_on.slice(0, 10) : r.dispensed_on.toISOString().slice(0, 10),
    bundle: r.eu_bundle,
    report: r.report,
  };
}

/** The store, on any {@link Database}. */
/**
 * A dispensing's key (its identifier), or its message id, is already stored for another dispensing: for
 * another prescription, or by a request racing with this one. A key names one dispensing. Thrown by the
 * store; nothing is stored.
 */
export class DispenseKeyTaken extends Error {
  constructor() {
    super('the dispensing key or message id is already stored for another dispensing');
    this.name = 'DispenseKeyTaken';
  }
}

/** PostgreSQL's SQLSTATE for a unique constraint violation. */
const UNIQUE_VIOLATION = '23505';

/** Runs an insert; a duplicate key (two requests racing with the same key) becomes {@link DispenseKeyTaken}. */
async function insertDispensing(q: Queryable, sql: string, values: unknown[]): Promise<void> {
  try {
    await q.query(sql, values);
  } catch (e) {
    if ((e as { code?: unknown }).code === UNIQUE_VIOLATION) throw new DispenseKeyTaken();
    throw e;
  }
}

export class EprescriptionStore {
  constructor(private readonly db: Database) {}

  /**
   * Records that a prescription was released to the EU. Releasing it again keeps the first record (the
   * dispensations abroad refer to it) and returns it.
   */
  async recordRelease(release: ReleasedPrescription, bundle: Bundle): Promise<ReleaseRecord> {
    // Looked up first: a re-release then costs one read instead of sending the whole Bundle again.
    const existing = await this.release(release.reseptId);
    if (existing) return existing;
    const inserted = await this.db.query<{ resept_id: string }>(
      'insert into eu_released_prescription (resept_id, release, eu_bundle, released_at) values ($1, $2, $3, $4) on conflict (resept_id) do nothing returning resept_id',
      [release.reseptId, JSON.stringify(release), JSON.stringify(bundle), release.releasedAt],
    );
    if (inserted.rows.length > 0) return { release, bundle };
    // Released by a concurrent request in between: that one is the record.
    const stored = await this.release(release.reseptId);
    if (!stored) throw new Error('release not stored');
    return stored;
  }

  /** The release record of a prescription, if it was released. */
  async release(reseptId: string, q: Queryable = this.db): Promise<ReleaseRecord | undefined> {
    const rows = (await q.query<{ release: ReleasedPrescription; eu_bundle: Bundle }>('select release, eu_bundle from eu_released_prescription where resept_id = $1', [reseptId])).rows;
    return rows[0] ? { release: rows[0].release, bundle: rows[0].eu_bundle } : undefined;
  }

  /** The dispensing stored for an EU dispense key, if any (idempotency). */
  async utleveringByKey(dispenseKey: string): Promise<StoredUtlevering | undefined> {
    const rows = (await this.db.query<UtleveringRow>(`select ${UTLEVERING_COLUMNS} from rf_utlevering where dispense_key = $1`, [dispenseKey])).rows;
    return rows[0] ? toUtlevering(rows[0]) : undefined;
  }

  /** Every M10 stored for a prescription, oldest first. */
  async utleveringer(reseptId: string, q: Queryable = this.db): Promise<StoredUtlevering[]> {
    return (await q.query<UtleveringRow>(`select ${UTLEVERING_COLUMNS} from rf_utlevering where resept_id = $1 order by stored_at, msg_id`, [reseptId])).rows.map(toUtlevering);
  }

  /**
   * Runs `decide` with the prescription's release and its dispensings, the prescription row locked, and
   * stores what it returns, all in one transaction. Nothing is stored when `decide` returns undefined or throws.
   * @throws DispenseKeyTaken when the dispensing to store has a key already stored for another prescription
   */
  async dispense<T>(
    reseptId: string,
    decide: (release: ReleasedPrescription | undefined, previous: StoredUtlevering[]) => { result: T; store?: Omit<StoredUtlevering, 'storedAt'> },
  ): Promise<T> {
    return this.db.transaction(async (tx) => {
      const locked = (await tx.query<{ release: ReleasedPrescription }>('select release from eu_released_prescription where resept_id = $1 for update', [reseptId])).rows[0];
      const previous = locked ? await this.utleveringer(reseptId, tx) : [];
      const { result, store } = decide(locked?.release, previous);
      if (store) {
        const elsewhere = await tx.query('select 1 from rf_utlevering where dispense_key = $1 and resept_id <> $2', [store.dispenseKey, store.reseptId]);
        if (elsewhere.rows.length > 0) throw new DispenseKeyTaken();
        await insertDispensing(
          tx,
          `insert into rf_utlevering (${UTLEVERING_COLUMNS}) values ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
          [store.msgId, store.reseptId, store.dispenseKey, store.quantity, store.annulment, store.annuls ?? null, store.m10Xml, JSON.stringify(store.report), new Date().toISOString()],
        );
      }
      return result;
    });
  }

  /** Norwegian dispensings of an EU prescription, oldest first. */
  async euDispensings(euPrescriptionId: string, q: Queryable = this.db): Promise<StoredEuDispensing[]> {
    return (
      await q.query<EuDispensingRow>(
        'select dispense_key, eu_prescription_id, packages, annulment, annuls, dispensed_on::text as dispensed_on, eu_bundle, report from eu_prescription_dispensing where eu_prescription_id = $1 order by stored_at, dispense_key',
        [euPrescriptionId],
      )
    ).rows.map(toEuDispensing);
  }

  /**
   * Like {@link dispense}, for an EU prescription dispensed in Norway: `decide` sees the earlier Norwegian
   * dispensings (under a transaction-scoped advisory lock on the prescription id) and what it returns is stored.
   * @throws DispenseKeyTaken when the dispensing to store has a key already stored for another prescription
   */
  async dispenseEu<T>(euPrescriptionId: string, decide: (previous: StoredEuDispensing[]) => { result: T; store?: StoredEuDispensing }): Promise<T> {
    return this.db.transaction(async (tx) => {
      await tx.query('select pg_advisory_xact_lock(hashtext($1))', [euPrescriptionId]);
      const { result, store } = decide(await this.euDispensings(euPrescriptionId, tx));
      if (store) {
        const elsewhere = await tx.query('select 1 from eu_prescription_dispensing where dispense_key = $1 and eu_prescription_id <> $2', [store.dispenseKey, store.euPrescriptionId]);
        if (elsewhere.rows.length > 0) throw new DispenseKeyTaken();
        await insertDispensing(
          tx,
          'insert into eu_prescription_dispensing (dispense_key, eu_prescription_id, packages, annulment, annuls, dispensed_on, eu_bundle, report, stored_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $9)',
          [store.dispenseKey, store.euPrescriptionId, store.packages, store.annulment, store.annuls ?? null, store.dispensedOn, JSON.stringify(store.bundle), JSON.stringify(store.report), new Date().toISOString()],
        );
      }
      return result;
    });
  }
}
