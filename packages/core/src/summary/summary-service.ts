/**
 * The patient summary as a service over its ports: ask the sources, assemble, store a new version when
 * the content changed; serve the stored version while the sources were checked recently; rebuild on a
 * source's change notification; mark and unmark entries. Knows no HTTP and no database.
 */
import type { ConceptMapIndex } from '../terminology/concept-maps.js';
import { assembleSummary, remark } from './assemble.js';
import { marksEntry, type Clinician } from './relevance-marks.js';
import type { SummaryPatient } from './summary-model.js';
import type { PatientKey, SourceOutcomes } from './sources/source-data.js';
import type { SummaryStore, SummaryVersion } from './versioning.js';

/** What the service needs. */
export interface SummaryServiceDeps {
  readonly store: SummaryStore;
  /**
   * Fetches the five sources for a patient, in parallel, with timeouts, circuit breakers and last-known
   * data (see `fetchAllSources`). Rejects with `PatientNotKnown` when Kjernejournal does not know them.
   */
  fetchSources(key: PatientKey): Promise<SourceOutcomes>;
  readonly now?: () => Date;
  readonly maps?: ConceptMapIndex;
  /** Accept synthetic test person numbers in source messages (test environments only). */
  readonly allowSyntheticIdentities?: boolean;
  /**
   * Serve the stored version without asking the sources when they were checked within this many
   * milliseconds (change notifications keep it current in between). Default 0: always ask.
   */
  readonly maxAgeMs?: number;
}

/** A summary as served: the patient and the current version. */
export interface ServedSummary {
  readonly patient: SummaryPatient;
  readonly version: SummaryVersion;
  /** True when the sources were asked for this call. */
  readonly rebuilt: boolean;
}

/** Thrown when a mark names an entry the patient's current summary does not have. */
export class UnknownSummaryEntry extends Error {
  constructor(readonly entry: string) {
    super(`the summary has no entry ${entry}`);
    this.name = 'UnknownSummaryEntry';
  }
}

/** The national patient summary service. */
export class PatientSummaryService {
  constructor(private readonly deps: SummaryServiceDeps) {}

  private now(): Date {
    return this.deps.now?.() ?? new Date();
  }

  /**
   * The current summary of the patient with this identity number: the stored one when the sources were
   * checked recently enough, otherwise rebuilt first.
   * @throws PatientNotKnown when Kjernejournal does not know the patient
   */
  async summary(key: PatientKey): Promise<ServedSummary> {
    const patient = await this.deps.store.patientByKey(key, false);
    if (patient && (this.deps.maxAgeMs ?? 0) > 0) {
      const [checked, latest] = await Promise.all([this.deps.store.checkedAt(patient.id), this.deps.store.latest(patient.id)]);
      if (checked && latest && this.now().getTime() - Date.parse(checked) < (this.deps.maxAgeMs ?? 0)) return { patient, version: latest, rebuilt: false };
    }
    return this.rebuild(key);
  }

  /** Like {@link summary}, for the patient's id; undefined when no summary was ever made for the id. */
  async summaryById(patientId: string): Promise<ServedSummary | undefined> {
    const patient = await this.deps.store.patientById(patientId);
    return patient ? this.summary(patient.key) : undefined;
  }

  /**
   * Asks the sources and stores a new version when the content changed (e.g. on a change notification).
   * @throws PatientNotKnown when Kjernejournal does not know the patient
   */
  async rebuild(key: PatientKey): Promise<ServedSummary> {
    // Ask first: an unknown person gets no patient row.
    const outcomes = await this.deps.fetchSources(key);
    const patient = (await this.deps.store.patientByKey(key, true))!;
    const marks = await this.deps.store.marks(patient.id);
    const now = this.now();
    const assembled = assembleSummary({
      patient, outcomes, marks, now,
      ...(this.deps.maps ? { maps: this.deps.maps } : {}),
      allowSyntheticIdentities: this.deps.allowSyntheticIdentities ?? false,
    });
    const { version } = await this.deps.store.appendIfChanged(patient.id, { contentHash: assembled.contentHash, bundle: assembled.bundle, createdAt: now.toISOString(), sourcesChecked: true });
    return { patient, version, rebuilt: true };
  }

  /**
   * Marks an entry of the patient's current summary as most relevant (or replaces the mark), and stores
   * the re-ordered summary as a new version.
   * @param entry `ResourceType/id` of the entry
   * @throws UnknownSummaryEntry when the current summary has no such entry
   */
  async mark(patient: SummaryPatient, entry: string, by: Clinician): Promise<SummaryVersion> {
    const latest = await this.current(patient, entry);
    await this.deps.store.putMark(patient.id, { entry, markedBy: by, markedAt: this.now().toISOString() });
    return this.reapply(patient, latest);
  }

  /**
   * Removes the mark on an entry and stores the re-ordered summary.
   * @returns undefined when the entry had no mark
   */
  async unmark(patient: SummaryPatient, entry: string): Promise<SummaryVersion | undefined> {
    const latest = await this.current(patient, entry);
    if (!(await this.deps.store.deleteMark(patient.id, entry))) return undefined;
    return this.reapply(patient, latest);
  }

  private async current(patient: SummaryPatient, entry: string): Promise<SummaryVersion> {
    const latest = await this.deps.store.latest(patient.id);
    if (!latest || !marksEntry(latest.bundle, entry)) throw new UnknownSummaryEntry(entry);
    return latest;
  }

  private async reapply(patient: SummaryPatient, latest: SummaryVersion): Promise<SummaryVersion> {
    const now = this.now();
    const marked = remark(latest.bundle, await this.deps.store.marks(patient.id), now);
    const { version } = await this.deps.store.appendIfChanged(patient.id, { contentHash: marked.contentHash, bundle: marked.bundle, createdAt: now.toISOString(), sourcesChecked: false });
    return version;
  }
}
