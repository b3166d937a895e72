/**
 * The shapes shared by the summary's sections and its assembly: what a section builds (entries with
 * their source records) and what it is given (the sources' outcomes and reference helpers).
 */
import type { Coding, Resource } from '@medplum/fhirtypes';
import type { ConceptMapIndex } from '../terminology/concept-maps.js';
import type { PatientKey, SourceName, SourceOutcome, SourceOutcomes, SourceSnapshot } from './sources/source-data.js';

/** Narrative languages: `nb` (Norwegian clinicians) and `en` (EU export). */
export type SummaryLanguage = 'nb' | 'en';

/** The narrative languages offered. */
export const SUMMARY_LANGUAGES: readonly SummaryLanguage[] = ['nb', 'en'];

/** A text in each narrative language. */
export type Localized = Readonly<Record<SummaryLanguage, string>>;

/** One source record an entry came from. */
export interface SourceRecordRef {
  readonly source: SourceName;
  /** The record's id in its source (resource id, PLL id, ReseptId, episode id). */
  readonly id: string;
  /** When the data holding this record was fetched. */
  readonly fetchedAt: string;
}

/** One entry of a section, as the section's file builds it. */
export interface SectionEntry {
  /** Same clinical thing → same key in every build (it names the entry for marks and stable ids). */
  readonly key: string;
  /** The resource the section lists (its `id` is set by the assembly from the key). */
  readonly resource: Resource;
  /** Resources the entry refers to (a Medication, a Device, the Condition an alert is about), by key. */
  readonly related: readonly { readonly key: string; readonly resource: Resource }[];
  /** Every source record that contributed (several when duplicates were collapsed). */
  readonly records: readonly SourceRecordRef[];
}

/** What a section's file returns: its entries and the sources it drew on. */
export interface SectionBuild {
  readonly entries: readonly SectionEntry[];
  /** The sources behind the section (their outage or silence decides an empty section's state). */
  readonly sources: readonly SourceName[];
}

/** What a section's file is given. */
export interface SectionContext {
  readonly outcomes: SourceOutcomes;
  /** The Patient's `fullUrl`. */
  readonly patientRef: string;
  /** The `fullUrl` the entry (or related resource) with this key will have. */
  refFor(key: string): string;
  readonly maps: ConceptMapIndex;
  readonly now: Date;
}

/** The definition of one of the six sections: its code, titles and how it is built. */
export interface SectionDefinition {
  /** LOINC section code. */
  readonly code: Coding & { readonly code: string };
  readonly title: Localized;
  /** Column headings of the section's narrative table. */
  readonly columns: Readonly<Record<SummaryLanguage, readonly string[]>>;
  /** Builds the entries from the sources. */
  build(ctx: SectionContext): SectionBuild;
  /** The date an entry resource is ordered by in the section (newest first). */
  sortDate(resource: Resource): string | undefined;
  /**
   * One narrative row (cells as plain text) for an entry resource of this section, in the language;
   * `lookup` finds resources the entry refers to inside the document.
   */
  row(resource: Resource, lookup: (reference: string | undefined) => Resource | undefined, language: SummaryLanguage): readonly string[];
}

/** The snapshot behind an outcome, when data was fetched now or earlier. */
export function snapshotOf<N extends SourceName>(outcome: SourceOutcome<N>): SourceSnapshot<N> | undefined {
  return outcome.status === 'unavailable' ? undefined : outcome.snapshot;
}

/** The summary's patient, as the store knows them. */
export interface SummaryPatient {
  /** The Patient resource id (a pseudonymous id assigned by the store, never the identity number). */
  readonly id: string;
  readonly key: PatientKey;
}
