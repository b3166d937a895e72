/**
 * What the national sources give the patient summary: one data shape per source, and the port a source
 * adapter implements. The library knows no HTTP: the facade's adapters fetch these shapes over HTTP
 * (see docs/sources.md for the wire formats) and the simulator serves them from test-data/patients/.
 */
import type {
  AllergyIntolerance, Bundle, Condition, DeviceUseStatement, Flag, Patient,
} from '@medplum/fhirtypes';
import type { RegisterRecord } from './register-record.js';

/** The five national sources of the summary. */
export const SOURCE_NAMES = ['kjernejournal', 'pll', 'reseptformidleren', 'npr', 'kpr'] as const;

/** One of the five national sources. */
export type SourceName = (typeof SOURCE_NAMES)[number];

/** Display names of the sources, as clinicians know them. */
export const SOURCE_DISPLAY: Readonly<Record<SourceName, string>> = {
  kjernejournal: 'Kjernejournal',
  pll: 'Pasientens legemiddelliste',
  reseptformidleren: 'Reseptformidleren',
  npr: 'Norsk pasientregister (NPR)',
  kpr: 'Kommunalt pasient- og brukerregister (KPR)',
};

/** The patient a summary is for: a fødselsnummer or D-nummer as a FHIR identifier. */
export interface PatientKey {
  /** `IDENTIFIER_SYSTEM.fnr` or `IDENTIFIER_SYSTEM.dnr`. */
  readonly system: string;
  readonly value: string;
}

/** A Kjernejournal critical-information resource (no-formats.md §3.2). */
export type KjernejournalResource = AllergyIntolerance | Condition | DeviceUseStatement | Flag;

/** Kjernejournal: the patient's personalia (from Folkeregisteret) and critical information. */
export interface KjernejournalData {
  readonly patient: Patient;
  readonly resources: readonly KjernejournalResource[];
}

/**
 * Pasientens legemiddelliste: the SFM medication Bundle (document, sfm-MedicationBundle), or `undefined`
 * when the patient has no PLL (then Reseptformidleren's active prescriptions are used).
 */
export interface PllData {
  readonly bundle?: Bundle;
}

/** One active prescription held by Reseptformidleren. */
export interface ActivePrescription {
  readonly reseptId: string;
  /** The M1 message (MsgHead XML) as stored. */
  readonly m1Xml: string;
}

/** Reseptformidleren: the patient's active prescriptions (M1). */
export interface ReseptformidlerenData {
  readonly prescriptions: readonly ActivePrescription[];
}

/** NPR or KPR: the patient's register records (episodes with diagnoses and procedures). */
export interface RegisterData {
  readonly records: readonly RegisterRecord[];
}

/** The data shape of each source. */
export interface SourceDataMap {
  kjernejournal: KjernejournalData;
  pll: PllData;
  reseptformidleren: ReseptformidlerenData;
  npr: RegisterData;
  kpr: RegisterData;
}

/**
 * Thrown by a source that answers "this person is not known here". Only Kjernejournal's answer decides
 * that a patient is unknown (it covers every resident); the other sources answer with empty data.
 */
export class PatientNotKnown extends Error {
  constructor(readonly source: SourceName) {
    super(`patient not known in ${source}`);
    this.name = 'PatientNotKnown';
  }
}

/**
 * The port a source adapter implements. `fetch` resolves with the source's data, rejects with
 * {@link PatientNotKnown}, or rejects with any other error when the source failed (down, 5xx, timeout,
 * malformed body). It must stop when `signal` aborts.
 */
export interface SourcePort<N extends SourceName = SourceName> {
  readonly name: N;
  fetch(patient: PatientKey, signal: AbortSignal): Promise<SourceDataMap[N]>;
}

/** Data from one source with the time it was fetched. */
export interface SourceSnapshot<N extends SourceName = SourceName> {
  readonly source: N;
  /** ISO 8601 instant of the fetch. */
  readonly fetchedAt: string;
  readonly data: SourceDataMap[N];
}

/**
 * What a summary build knows of one source:
 * `fresh` (fetched now), `stale` (this fetch failed; the last snapshot is used), or
 * `unavailable` (this fetch failed and nothing was ever fetched).
 */
export type SourceOutcome<N extends SourceName = SourceName> =
  | { readonly status: 'fresh'; readonly snapshot: SourceSnapshot<N> }
  | { readonly status: 'stale'; readonly snapshot: SourceSnapshot<N>; readonly failure: string }
  | { readonly status: 'unavailable'; readonly failure: string };

/** The outcome of every source for one build. */
export type SourceOutcomes = { readonly [N in SourceName]: SourceOutcome<N> };

/**
 * Everything the five sources hold for one patient: what the simulator serves, what the seeded generator
 * yields, and what in-process ports answer from. A source with nothing for the patient has empty data
 * (`records: []`, `prescriptions: []`, `pll.bundle` undefined).
 */
export interface PatientSourceData {
  /** A readable, non-identifying name for the test patient, e.g. `multimorbid-elderly`. */
  readonly slug: string;
  readonly key: PatientKey;
  readonly data: SourceDataMap;
}
