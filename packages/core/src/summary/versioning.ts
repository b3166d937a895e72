/**
 * The living, versioned summary: a rebuild whose clinical content is unchanged creates no new version;
 * a change creates one with the next `meta.versionId`, and earlier versions stay readable (history, and
 * "what was shown at time T"). The store is a port: the facade keeps versions in PostgreSQL/PGlite,
 * tests use {@link InMemorySummaryStore}.
 */
import { randomUUID } from 'node:crypto';
import type { Bundle } from '@medplum/fhirtypes';
import type { RelevanceMark } from './relevance-marks.js';
import type { SummaryPatient } from './summary-model.js';
import type { PatientKey } from './sources/source-data.js';

/** One stored version of a patient's summary. */
export interface SummaryVersion {
  readonly patientId: string;
  /** 1, 2, 3 … per patient. */
  readonly versionId: number;
  readonly contentHash: string;
  /** The document with `meta.versionId` and `meta.lastUpdated` set, without narrative. */
  readonly bundle: Bundle;
  /** ISO 8601 instant the version was stored. */
  readonly createdAt: string;
}

/** A candidate for the next version. */
export interface SummaryCandidate {
  readonly contentHash: string;
  readonly bundle: Bundle;
  readonly createdAt: string;
  /** True when the candidate was built from a fresh ask of the sources (it then counts as a check). */
  readonly sourcesChecked: boolean;
}

/** The store port of the summary. */
export interface SummaryStore {
  /** The patient with this identity number, creating them (with a new pseudonymous id) when `create`. */
  patientByKey(key: PatientKey, create: boolean): Promise<SummaryPatient | undefined>;
  patientById(id: string): Promise<SummaryPatient | undefined>;
  /**
   * Stores the candidate as the next version unless its content hash equals the latest version's; in one
   * transaction. When `candidate.sourcesChecked`, also records that the sources were checked then.
   * @returns the latest version after the call, and whether it was created now
   */
  appendIfChanged(patientId: string, candidate: SummaryCandidate): Promise<{ version: SummaryVersion; created: boolean }>;
  latest(patientId: string): Promise<SummaryVersion | undefined>;
  /** When the sources were last checked for this patient (a rebuild, changed or not). */
  checkedAt(patientId: string): Promise<string | undefined>;
  /** Every version, newest first. */
  history(patientId: string): Promise<SummaryVersion[]>;
  version(patientId: string, versionId: number): Promise<SummaryVersion | undefined>;
  marks(patientId: string): Promise<RelevanceMark[]>;
  /** Adds or replaces the mark on `mark.entry`. */
  putMark(patientId: string, mark: RelevanceMark): Promise<void>;
  /** @returns false when the entry had no mark */
  deleteMark(patientId: string, entry: string): Promise<boolean>;
}

/** The bundle of a version: `meta.versionId` and `meta.lastUpdated` set on the stored document. */
export function versionedBundle(bundle: Bundle, versionId: number, createdAt: string): Bundle {
  return { ...bundle, meta: { ...bundle.meta, versionId: String(versionId), lastUpdated: createdAt } };
}

/** The version that was current at `time` (the newest created at or before it). */
export function versionAt(history: readonly SummaryVersion[], time: string): SummaryVersion | undefined {
  const t = Date.parse(time);
  return history.filter((v) => Date.parse(v.createdAt) <= t).sort((a, b) => b.versionId - a.versionId)[0];
}

const keyOf = (k: PatientKey) => `${k.system}|${k.value}`;

/** A {@link SummaryStore} in memory, for unit tests and benchmarks. */
export class InMemorySummaryStore implements SummaryStore {
  private readonly patients = new Map<string, SummaryPatient>();
  private readonly byId = new Map<string, SummaryPatient>();
  private readonly versions = new Map<string, SummaryVersion[]>();
  private readonly checked = new Map<string, string>();
  private readonly markTable = new Map<string, Map<string, RelevanceMark>>();

  async patientByKey(key: PatientKey, create: boolean): Promise<SummaryPatient | undefined> {
    const found = this.patients.get(keyOf(key));
    if (found || !create) return found;
    const patient: SummaryPatient = { id: randomUUID(), key: { system: key.system, value: key.value } };
    this.patients.set(keyOf(key), patient);
    this.byId.set(patient.id, patient);
    return patient;
  }

  async patientById(id: string): Promise<SummaryPatient | undefined> {
    return this.byId.get(id);
  }

  async appendIfChanged(patientId: string, candidate: SummaryCandidate): Promise<{ version: SummaryVersion; created: boolean }> {
    const list = this.versions.get(patientId) ?? [];
    if (candidate.sourcesChecked) this.checked.set(patientId, candidate.createdAt);
    const last = list[list.length - 1];
    if (last && last.contentHash === candidate.contentHash) return { version: last, created: false };
    const versionId = (last?.versionId ?? 0) + 1;
    const version: SummaryVersion = { patientId, versionId, contentHash: candidate.contentHash, bundle: versionedBundle(candidate.bundle, versionId, candidate.createdAt), createdAt: candidate.createdAt };
    list.push(version);
    this.versions.set(patientId, list);
    return { version, created: true };
  }

  async latest(patientId: string): Promise<SummaryVersion | undefined> {
    const list = this.versions.get(patientId);
    return list?.[list.length - 1];
  }

  async checkedAt(patientId: string): Promise<string | undefined> {
    return this.checked.get(patientId);
  }

  async history(patientId: string): Promise<SummaryVersion[]> {
    return [...(this.versions.get(patientId) ?? [])].reverse();
  }

  async version(patientId: string, versionId: number): Promise<SummaryVersion | undefined> {
    return this.versions.get(patientId)?.find((v) => v.versionId === versionId);
  }

  async marks(patientId: string): Promise<RelevanceMark[]> {
    return [...(this.markTable.get(patientId)?.values() ?? [])];
  }

  async putMark(patientId: string, mark: RelevanceMark): Promise<void> {
    const m = this.markTable.get(patientId) ?? new Map<string, RelevanceMark>();
    m.set(mark.entry, mark);
    this.markTable.set(patientId, m);
  }

  async deleteMark(patientId: string, entry: string): Promise<boolean> {
    return this.markTable.get(patientId)?.delete(entry) ?? false;
  }
}
