/**
 * The five sources answered from memory: for tests, demos and the national-sources simulator. The
 * {@link PatientSourceStore} holds what each source knows per patient and can replace one source's data
 * (a "change in the source"); {@link inMemorySourcePorts} gives the {@link SourcePort}s over it, and
 * {@link InMemorySnapshotCache} is a {@link SnapshotCache} in a map.
 */
import type { SnapshotCache, SourcePorts } from './resilient-source.js';
import {
  PatientNotKnown,
  type PatientKey, type PatientSourceData, type SourceDataMap, type SourceName, type SourcePort, type SourceSnapshot,
} from './source-data.js';

/** A map key for a patient; the separator cannot occur in an identifier system URI or a person number. */
function patientMapKey(patient: PatientKey): string {
  return `${patient.system}|${patient.value}`;
}

/** What a source answers for a person it holds nothing about (Kjernejournal instead says "not known"). */
export const EMPTY_SOURCE_DATA: Readonly<Omit<SourceDataMap, 'kjernejournal'>> = {
  pll: {},
  reseptformidleren: { prescriptions: [] },
  npr: { records: [] },
  kpr: { records: [] },
};

/**
 * What the sources hold, per patient, in memory. Patients are found by key, by slug, or by the bare
 * person number (what a source receives in the `nhn-patient-nin` header).
 */
export class PatientSourceStore {
  private readonly byKey = new Map<string, PatientSourceData>();
  private readonly bySlug = new Map<string, PatientSourceData>();
  private readonly byNin = new Map<string, PatientSourceData>();

  /** @param patients the initial data; a later patient with the same key, slug or number replaces an earlier one */
  constructor(patients: Iterable<PatientSourceData>) {
    for (const p of patients) this.add(p);
  }

  private add(patient: PatientSourceData): void {
    this.byKey.set(patientMapKey(patient.key), patient);
    this.bySlug.set(patient.slug, patient);
    this.byNin.set(patient.key.value, patient);
  }

  /** Every patient, in insertion order. */
  patients(): PatientSourceData[] {
    return [...this.bySlug.values()];
  }

  /** The patient with this key, if known. */
  patient(key: PatientKey): PatientSourceData | undefined {
    return this.byKey.get(patientMapKey(key));
  }

  /** The patient with this slug, if known. */
  patientBySlug(slug: string): PatientSourceData | undefined {
    return this.bySlug.get(slug);
  }

  /** The patient with this fødselsnummer or D-nummer, if known. */
  patientByNin(nin: string): PatientSourceData | undefined {
    return this.byNin.get(nin);
  }

  /**
   * Replaces what one source holds for a patient.
   * @returns the patient with the new data, or undefined when the slug is not known
   */
  replace<N extends SourceName>(slug: string, source: N, data: SourceDataMap[N]): PatientSourceData | undefined {
    const current = this.bySlug.get(slug);
    if (!current) return undefined;
    const updated: PatientSourceData = { ...current, data: { ...current.data, [source]: data } };
    this.add(updated);
    return updated;
  }
}

/** Rejects with the signal's reason when it has aborted, so in-memory ports honour aborts like real ones. */
function answer<T>(signal: AbortSignal, value: () => T): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    // Answered on a later turn, as a network source would: callers cannot come to rely on synchronous answers.
    setImmediate(() => {
      if (signal.aborted) reject(signal.reason);
      else {
        try {
          resolve(value());
        } catch (e) {
          reject(e);
        }
      }
    });
  });
}

/** A port of a source other than Kjernejournal: the stored data, or empty data for unknown persons. */
function optionalSource<N extends Exclude<SourceName, 'kjernejournal'>>(store: PatientSourceStore, name: N): SourcePort<N> {
  return {
    name,
    fetch: (patient, signal) => answer(signal, () => (store.patient(patient)?.data[name] ?? EMPTY_SOURCE_DATA[name]) as SourceDataMap[N]),
  };
}

/**
 * The five ports over a {@link PatientSourceStore}: Kjernejournal rejects with {@link PatientNotKnown}
 * for an unknown person, the others answer with empty data. Changes to the store show in later fetches.
 */
export function sourcePortsOver(store: PatientSourceStore): SourcePorts {
  return {
    kjernejournal: {
      name: 'kjernejournal',
      fetch: (patient, signal) =>
        answer(signal, () => {
          const known = store.patient(patient);
          if (!known) throw new PatientNotKnown('kjernejournal');
          return known.data.kjernejournal;
        }),
    },
    pll: optionalSource(store, 'pll'),
    reseptformidleren: optionalSource(store, 'reseptformidleren'),
    npr: optionalSource(store, 'npr'),
    kpr: optionalSource(store, 'kpr'),
  };
}

/**
 * The five ports answering from memory.
 * @example
 * const ports = inMemorySourcePorts(loadPatientFolders('test-data/patients'));
 * const kj = await ports.kjernejournal.fetch(patient, AbortSignal.timeout(1000));
 */
export function inMemorySourcePorts(patients: Iterable<PatientSourceData>): SourcePorts {
  return sourcePortsOver(new PatientSourceStore(patients));
}

/** A {@link SnapshotCache} in a map (tests, demos). Keeps the newest snapshot per source and patient. */
export class InMemorySnapshotCache implements SnapshotCache {
  private readonly snapshots = new Map<string, SourceSnapshot>();

  async get<N extends SourceName>(source: N, patient: PatientKey): Promise<SourceSnapshot<N> | undefined> {
    return this.snapshots.get(`${source}|${patientMapKey(patient)}`) as SourceSnapshot<N> | undefined;
  }

  async put<N extends SourceName>(snapshot: SourceSnapshot<N>, patient: PatientKey): Promise<void> {
    const key = `${snapshot.source}|${patientMapKey(patient)}`;
    const stored = this.snapshots.get(key);
    // ISO instants in UTC compare as strings.
    if (stored && stored.fetchedAt > snapshot.fetchedAt) return;
    this.snapshots.set(key, snapshot as SourceSnapshot);
  }
}
