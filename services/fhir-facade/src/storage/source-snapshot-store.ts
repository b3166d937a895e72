/**
 * The last data fetched from each national source per patient (table `source_snapshot`): the
 * {@link SnapshotCache} behind stale summaries. One row per source and patient, replaced by newer fetches
 * only; failed fetches never reach it.
 */
import type { PatientKey, SnapshotCache, SourceName, SourceSnapshot } from '@ehds-no/core';
import type { Queryable } from './database.js';

interface SnapshotRow {
  fetched_at: string | Date;
  data: SourceSnapshot['data'];
}

/** The snapshot cache on any {@link Queryable} (PGlite or PostgreSQL). */
export class SourceSnapshotStore implements SnapshotCache {
  constructor(private readonly db: Queryable) {}

  /** The last snapshot of `source` for `patient`, if any. */
  async get<N extends SourceName>(source: N, patient: PatientKey): Promise<SourceSnapshot<N> | undefined> {
    const row = (
      await this.db.query<SnapshotRow>(
        'select fetched_at, data from source_snapshot where source = $1 and patient_system = $2 and patient_value = $3',
        [source, patient.system, patient.value],
      )
    ).rows[0];
    return row ? { source, fetchedAt: new Date(row.fetched_at).toISOString(), data: row.data as SourceSnapshot<N>['data'] } : undefined;
  }

  /** Stores the snapshot unless a newer one is stored already (a slow fetch must not replace a newer one). */
  async put<N extends SourceName>(snapshot: SourceSnapshot<N>, patient: PatientKey): Promise<void> {
    await this.db.query(
      `insert into source_snapshot (source, patient_system, patient_value, fetched_at, data) values ($1, $2, $3, $4, $5)
       on conflict (source, patient_system, patient_value) do update set fetched_at = excluded.fetched_at, data = excluded.data
       where source_snapshot.fetched_at <= excluded.fetched_at`,
      [snapshot.source, patient.system, patient.value, snapshot.fetchedAt, JSON.stringify(snapshot.data)],
    );
  }
}
