/**
 * The patient summary as a service over its ports: ask the sources, assemble, store a new version when
 * the content changed; serve the stored version while the sources were checked recently (each patient's
 * max age spread a little, and a stored version just past it served while it is refreshed in the
 * background, so that summaries built together do not all expire and rebuild together); rebuild on a
 * source's change notification; mark and unmark entries. Knows no HTTP and no database.
 */
import { createHash } from 'node:crypto';
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
   * milliseconds (change notifications keep it current in between). Default 0: always ask. Each patient's
   * own max age is a fixed share of it between 0.8 and 1 ({@link freshForMs}), so that summaries built in
   * the same second (a warm-up, a restart) do not all expire in the same second.
   */
  readonly maxAgeMs?: number;
  /**
   * For this many milliseconds past a patient's max age, the stored version is still served at once while
   * one rebuild for the patient runs in the background (stale-while-revalidate, as RFC 5861 names it); later
   * than that, the sources are asked before answering. Default: `maxAgeMs`, so nothing served is older than
   * twice the max age. Safe because the max age is only the safety net: every source change is pushed as a
   * change notification, which rebuilds the summary at once; the window is bounded, and the first read in
   * it starts the refresh, so the next read sees the sources as they are. 0: always ask once past the max age.
   */
  readonly staleWhileRevalidateMs?: number;
  /**
   * Told when a background rebuild fails (e.g. `PatientNotKnown`, a store error): the reader was already
   * served the stored version, so nobody else hears of it. Never gets the patient's identity; it must not
   * throw (if it does, that is swallowed too).
   */
  readonly onBackgroundError?: (error: unknown) => void;
}

/** The smallest share of `maxAgeMs` a patient's stored summary is served for (see {@link freshForMs}). */
const MAX_AGE_SPREAD_FLOOR = 0.8;

/**
 * How long this patient's stored summary is served without asking the sources: between 0.8 and 1 times
 * `maxAgeMs`, the share fixed by the patient's (pseudonymous) id, so that the same patient always gets the
 * same and a cohort of patients is spread evenly over the last fifth of the max age.
 * @example freshForMs('5b0c…', 300_000) // the same number in [240000, 300000] on every call
 */
export function freshForMs(patientId: string, maxAgeMs: number): number {
  const share = createHash('sha256').update(patientId).digest().readUInt32BE(0) / 2 ** 32;
  return Math.floor(maxAgeMs * (MAX_AGE_SPREAD_FLOOR + (1 - MAX_AGE_SPREAD_FLOOR) * share));
}

/** The rebuilds running for one patient: how many, and the one started last. */
interface Running {
  readonly latest: Promise<ServedSummary>;
  readonly count: number;
}

/** The key of a patient's running rebuilds (in memory only; never logged). */
const runningKey = (key: PatientKey) => `${key.system}|${key.value}`;

/** A summary as served: the patient and the current version. */
export interface ServedSummary {
  readonly patient: SummaryPatient;
  readonly version: SummaryVersion;
  /**
   * True when the sources were asked for this call; false when the stored version was served (also when
   * it is being refreshed in the background).
   */
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
  /** Rebuilds in flight per patient (reads, background refreshes and change notifications alike). */
  private readonly running = new Map<string, Running>();
  /** Background refreshes not yet settled (they never reject), for {@link idle}. */
  private readonly background = new Set<Promise<void>>();

  constructor(private readonly deps: SummaryServiceDeps) {}

  private now(): Date {
    return this.deps.now?.() ?? new Date();
  }

  /**
   * The current summary of the patient with this identity number: the stored one when the sources were
   * checked recently enough (within the patient's max age, or within the stale window after it, while a
   * background rebuild refreshes it), otherwise rebuilt first; a read that must wait shares a rebuild
   * already running for the patient.
   * @throws PatientNotKnown when Kjernejournal does not know the patient
   */
  async summary(key: PatientKey): Promise<ServedSummary> {
    const maxAgeMs = this.deps.maxAgeMs ?? 0;
    if (maxAgeMs <= 0) return this.rebuild(key);
    const patient = await this.deps.store.patientByKey(key, false);
    if (patient) {
      const [checked, latest] = await Promise.all([this.deps.store.checkedAt(patient.id), this.deps.store.latest(patient.id)]);
      if (checked && latest) {
        const age = this.now().getTime() - Date.parse(checked);
        const freshFor = freshForMs(patient.id, maxAgeMs);
        if (age < freshFor) return { patient, version: latest, rebuilt: false };
        if (age < freshFor + (this.deps.staleWhileRevalidateMs ?? maxAgeMs)) {
          this.refreshInBackground(key);
          return { patient, version: latest, rebuilt: false };
        }
      }
    }
    // A rebuild running now (started by another read, a refresh or a notification) asks the sources no
    // earlier than this read's max age allows, so it answers this read too.
    return this.running.get(runningKey(key))?.latest ?? this.rebuild(key);
  }

  /**
   * Resolves when no background rebuild is running (those started meanwhile included): for graceful
   * shutdown, before the store closes, and for tests.
   */
  async idle(): Promise<void> {
    while (this.background.size > 0) await Promise.all([...this.background]);
  }

  /** Starts one rebuild in the background unless one is running for the patient already. */
  private refreshInBackground(key: PatientKey): void {
    if (this.running.has(runningKey(key))) return;
    const task = this.rebuild(key).then(
      () => undefined,
      (error: unknown) => {
        try {
          this.deps.onBackgroundError?.(error);
        } catch {
          // The hook is only a report; its own failure must not become an unhandled rejection.
        }
      },
    );
    this.background.add(task);
    void task.then(() => this.background.delete(task));
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
  rebuild(key: PatientKey): Promise<ServedSummary> {
    // Always asks anew, even while another rebuild runs: a change notification's rebuild must see the
    // change, which one started before it may not have. It counts as running for reads and refreshes.
    const id = runningKey(key);
    const build = this.build(key);
    const running = this.running.get(id);
    this.running.set(id, { latest: build, count: (running?.count ?? 0) + 1 });
    const settled = () => {
      const now = this.running.get(id)!;
      if (now.count === 1) this.running.delete(id);
      else this.running.set(id, { latest: now.latest, count: now.count - 1 });
    };
    build.then(settled, settled);
    return build;
  }

  private async build(key: PatientKey): Promise<ServedSummary> {
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
