/**
 * The patient summary's versions and relevance marks on any {@link Database} (PGlite or PostgreSQL):
 * the facade's implementation of the core's `SummaryStore` port. A version and its provenance are one
 * row (the Provenance resources are inside the document), written in one transaction with the check
 * against the latest version, the patient row locked so that concurrent rebuilds cannot fork versions.
 */
import { randomUUID } from 'node:crypto';
import {
  versionedBundle, type Clinician, type PatientKey, type RelevanceMark, type SummaryCandidate, type SummaryPatient, type SummaryStore, type SummaryVersion,
} from '@ehds-no/core';
import type { Bundle } from '@medplum/fhirtypes';
import type { Database, Queryable } from './database.js';

interface VersionRow {
  patient_id: string;
  version_id: number;
  content_hash: string;
  bundle: Bundle;
  created_at: Date | string;
}

const VERSION_COLUMNS = 'patient_id, version_id, content_hash, bundle, created_at';

function iso(value: Date | string): string {
  return value instanceof Date ? value.toISOString() : new Date(value).toISOString();
}

function toVersion(r: VersionRow): SummaryVersion {
  return { patientId: r.patient_id, versionId: Number(r.version_id), contentHash: r.content_hash, bundle: r.bundle, createdAt: iso(r.created_at) };
}

function toPatient(r: { patient_id: string; patient_system: string; patient_value: string }): SummaryPatient {
  return { id: r.patient_id, key: { system: r.patient_system, value: r.patient_value } };
}

/**
 * A bounded map that forgets its oldest entries: for values that never change once written (a patient's
 * id, a stored version's document), so it is safe with several facade processes on one database.
 */
class BoundedCache<V> {
  private readonly map = new Map<string, V>();
  constructor(private readonly limit: number) {}
  get(key: string): V | undefined {
    return this.map.get(key);
  }
  set(key: string, value: V): void {
    if (this.map.size >= this.limit) this.map.delete(this.map.keys().next().value as string);
    this.map.set(key, value);
  }
}

/** How many patients and documents the store keeps in memory (about 25 KiB a document). */
const CACHE_ENTRIES = 2000;

/**
 * {@link SummaryStore} on the service's database. Patient ids and stored documents never change once
 * written, so they are cached in memory: a read of the current summary then costs two small queries
 * instead of moving the whole document out of the database each time.
 */
export class DatabaseSummaryStore implements SummaryStore {
  private readonly patients = new BoundedCache<SummaryPatient>(CACHE_ENTRIES);
  private readonly documents = new BoundedCache<SummaryVersion>(CACHE_ENTRIES);

  constructor(private readonly db: Database) {}

  async patientByKey(key: PatientKey, create: boolean): Promise<SummaryPatient | undefined> {
    const cacheKey = `${key.system}|${key.value}`;
    const cached = this.patients.get(cacheKey);
    if (cached) return cached;
    const found = await this.lookUpPatient(key, create);
    if (found) this.patients.set(cacheKey, found);
    return found;
  }

  private async lookUpPatient(key: PatientKey, create: boolean): Promise<SummaryPatient | undefined> {
    const select = 'select patient_id, patient_system, patient_value from summary_patient where patient_system = $1 and patient_value = $2';
    const found = (await this.db.query<{ patient_id: string; patient_system: string; patient_value: string }>(select, [key.system, key.value])).rows[0];
    if (found || !create) return found ? toPatient(found) : undefined;
    // A random id: the Patient id in URLs must not reveal or be derivable from the identity number.
    await this.db.query('insert into summary_patient (patient_id, patient_system, patient_value) values ($1, $2, $3) on conflict (patient_system, patient_value) do nothing', [randomUUID(), key.system, key.value]);
    const row = (await this.db.query<{ patient_id: string; patient_system: string; patient_value: string }>(select, [key.system, key.value])).rows[0];
    if (!row) throw new Error('summary patient not stored');
    return toPatient(row);
  }

  async patientById(id: string): Promise<SummaryPatient | undefined> {
    const row = (await this.db.query<{ patient_id: string; patient_system: string; patient_value: string }>('select patient_id, patient_system, patient_value from summary_patient where patient_id = $1', [id])).rows[0];
    return row ? toPatient(row) : undefined;
  }

  async appendIfChanged(patientId: string, candidate: SummaryCandidate): Promise<{ version: SummaryVersion; created: boolean }> {
    return this.db.transaction(async (tx) => {
      await tx.query('select patient_id from summary_patient where patient_id = $1 for update', [patientId]);
      if (candidate.sourcesChecked) await tx.query('update summary_patient set checked_at = $2 where patient_id = $1', [patientId, candidate.createdAt]);
      const last = await this.latestIn(tx, patientId);
      if (last && last.contentHash === candidate.contentHash) return { version: last, created: false };
      const versionId = (last?.versionId ?? 0) + 1;
      const bundle = versionedBundle(candidate.bundle, versionId, candidate.createdAt);
      await tx.query(`insert into summary_version (${VERSION_COLUMNS}) values ($1, $2, $3, $4, $5)`, [patientId, versionId, candidate.contentHash, JSON.stringify(bundle), candidate.createdAt]);
      return { version: { patientId, versionId, contentHash: candidate.contentHash, bundle, createdAt: candidate.createdAt }, created: true };
    });
  }

  private async latestIn(q: Queryable, patientId: string): Promise<SummaryVersion | undefined> {
    const head = (await q.query<{ version_id: number }>('select version_id from summary_version where patient_id = $1 order by version_id desc limit 1', [patientId])).rows[0];
    return head ? this.version(patientId, Number(head.version_id), q) : undefined;
  }

  async latest(patientId: string): Promise<SummaryVersion | undefined> {
    return this.latestIn(this.db, patientId);
  }

  async checkedAt(patientId: string): Promise<string | undefined> {
    const row = (await this.db.query<{ checked_at: Date | string | null }>('select checked_at from summary_patient where patient_id = $1', [patientId])).rows[0];
    return row?.checked_at ? iso(row.checked_at) : undefined;
  }

  async history(patientId: string): Promise<SummaryVersion[]> {
    return (await this.db.query<VersionRow>(`select ${VERSION_COLUMNS} from summary_version where patient_id = $1 order by version_id desc`, [patientId])).rows.map(toVersion);
  }

  async version(patientId: string, versionId: number, q: Queryable = this.db): Promise<SummaryVersion | undefined> {
    const cacheKey = `${patientId}/${versionId}`;
    const cached = this.documents.get(cacheKey);
    if (cached) return cached;
    const row = (await q.query<VersionRow>(`select ${VERSION_COLUMNS} from summary_version where patient_id = $1 and version_id = $2`, [patientId, versionId])).rows[0];
    const version = row ? toVersion(row) : undefined;
    if (version) this.documents.set(cacheKey, version);
    return version;
  }

  async marks(patientId: string): Promise<RelevanceMark[]> {
    const rows = (await this.db.query<{ entry_key: string; marked_by: Clinician; marked_at: Date | string }>('select entry_key, marked_by, marked_at from summary_mark where patient_id = $1 order by marked_at, entry_key', [patientId])).rows;
    return rows.map((r) => ({ entry: r.entry_key, markedBy: r.marked_by, markedAt: iso(r.marked_at) }));
  }

  async putMark(patientId: string, mark: RelevanceMark): Promise<void> {
    await this.db.query(
      'insert into summary_mark (patient_id, entry_key, marked_by, marked_at) values ($1, $2, $3, $4) on conflict (patient_id, entry_key) do update set marked_by = excluded.marked_by, marked_at = excluded.marked_at',
      [patientId, mark.entry, JSON.stringify(mark.markedBy), mark.markedAt],
    );
  }

  async deleteMark(patientId: string, entry: string): Promise<boolean> {
    const rows = (await this.db.query<{ entry_key: string }>('delete from summary_mark where patient_id = $1 and entry_key = $2 returning entry_key', [patientId, entry])).rows;
    return rows.length > 0;
  }
}
