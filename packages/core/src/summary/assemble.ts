/**
 * Sources → sections → the summary document: a FHIR document Bundle conforming to HL7 Europe EPS 1.0.0
 * and IPS 2.0.1. The Composition comes first, then the one Patient, the author, every section's entries
 * with the resources they refer to, and one Provenance per entry. Every section is present; an empty one
 * says why (emptyReason + its sources' states), and a section fed by stale data says from when.
 * Narrative is added per language when the document is read (narrative.ts), so it is not stored.
 */
import type { Bundle, BundleEntry, Composition, CompositionSection, Extension, Organization, Resource } from '@medplum/fhirtypes';
import { stableUrn, uuidOfUrn, uuidUrn } from '../conversion/stable-id.js';
import { defaultConceptMaps, type ConceptMapIndex } from '../terminology/concept-maps.js';
import { NATIONAL_PROFILE, SYSTEM, URI_IDENTIFIER_SYSTEM } from '../terminology/fhir-systems.js';
import { contentHash } from './content-hash.js';
import { entryProvenance } from './provenance.js';
import { applyMarks, type RelevanceMark } from './relevance-marks.js';
import { summarySections } from './sections/index.js';
import { EMPTY_REASON, PATIENT_SUMMARY_TYPE, SUMMARY_EXTENSION, SUMMARY_PROFILE } from './summary-codes.js';
import type { SectionBuild, SectionContext, SectionDefinition, SectionEntry, SummaryPatient } from './summary-model.js';
import { summaryPatient } from './summary-patient.js';
import type { SourceName, SourceOutcomes } from './sources/source-data.js';

/** What an assembly needs. */
export interface AssembleInput {
  readonly patient: SummaryPatient;
  readonly outcomes: SourceOutcomes;
  readonly marks?: readonly RelevanceMark[];
  /** The assembly time (Bundle.timestamp, Composition.date, Provenance.recorded). */
  readonly now: Date;
  readonly maps?: ConceptMapIndex;
  /** Accept synthetic test person numbers in source messages (test environments only). */
  readonly allowSyntheticIdentities?: boolean;
}

/** An assembled summary, before it is stored. */
export interface AssembledSummary {
  readonly bundle: Bundle;
  /** Hash of the clinical content (what a clinician would see), without times and ids of this build. */
  readonly contentHash: string;
}

/** The organisation that authors and keeps the summary. */
const CUSTODIAN_KEY = 'custodian';
const CUSTODIAN: Organization = { resourceType: 'Organization', name: 'Nasjonal pasientoppsummering (ehds-no)' };

/** The section's source states, as extensions the narrative and notes are rendered from. */
function sourceStatusExtensions(sources: readonly SourceName[], outcomes: SourceOutcomes): Extension[] {
  return sources.map((source) => {
    const outcome = outcomes[source];
    const parts: Extension[] = [
      { url: 'source', valueCode: source },
      { url: 'status', valueCode: outcome.status },
    ];
    // Only stale data carries its time: a fresh fetch's time changes every build and is in the Provenance.
    if (outcome.status === 'stale') parts.push({ url: 'dataTime', valueInstant: outcome.snapshot.fetchedAt });
    return { url: SUMMARY_EXTENSION.sourceStatus, extension: parts };
  });
}

function emptyReason(build: SectionBuild, outcomes: SourceOutcomes): CompositionSection['emptyReason'] {
  const unreachable = build.sources.some((s) => outcomes[s].status === 'unavailable');
  const code = unreachable ? EMPTY_REASON.unavailable : EMPTY_REASON.nilknown;
  return { coding: [{ system: SYSTEM.listEmptyReason, code, display: unreachable ? 'Unavailable' : 'Nil Known' }] };
}

/**
 * Assembles the summary document from the sources' outcomes.
 * @example
 * const { bundle, contentHash } = assembleSummary({ patient, outcomes, now: new Date() });
 */
export function assembleSummary(input: AssembleInput): AssembledSummary {
  const now = input.now.toISOString();
  const patientRef = uuidUrn(input.patient.id);
  // An entry's reference is asked for several times (its fullUrl, the section, Provenance, related
  // resources): each SHA-1 is computed once per assembly.
  const refs = new Map<string, string>();
  const refFor = (key: string) => {
    let ref = refs.get(key);
    if (ref === undefined) {
      ref = stableUrn('summary-entry', input.patient.id, key);
      refs.set(key, ref);
    }
    return ref;
  };
  const ctx: SectionContext = { outcomes: input.outcomes, patientRef, refFor, maps: input.maps ?? defaultConceptMaps(), now: input.now };
  const sections = summarySections({ allowSyntheticIdentities: input.allowSyntheticIdentities ?? false });

  const entries: BundleEntry[] = [];
  const provenances: BundleEntry[] = [];
  const seen = new Set<string>();
  const add = (fullUrl: string, resource: Resource) => {
    if (seen.has(fullUrl)) return;
    seen.add(fullUrl);
    entries.push({ fullUrl, resource: { ...resource, id: uuidOfUrn(fullUrl) } });
  };

  const custodianRef = refFor(CUSTODIAN_KEY);
  add(patientRef, summaryPatient(input.patient, input.outcomes));
  add(custodianRef, CUSTODIAN);

  const compositionSections = sections.map((def: SectionDefinition): CompositionSection => {
    const build = def.build(ctx);
    const section: CompositionSection = { title: def.title.nb, code: { coding: [{ ...def.code }] }, extension: sourceStatusExtensions(build.sources, input.outcomes) };
    // Ordering (marked first, newest first) is done with the marks, in relevance-marks.ts.
    const sorted: readonly SectionEntry[] = build.entries;
    for (const e of sorted) {
      const fullUrl = refFor(e.key);
      add(fullUrl, e.resource);
      for (const r of e.related) add(refFor(r.key), r.resource);
      const provenance = entryProvenance([fullUrl, ...e.related.map((r) => refFor(r.key))], e.records, now);
      const provenanceUrl = refFor(`${e.key}|provenance`);
      provenances.push({ fullUrl: provenanceUrl, resource: { ...provenance, id: uuidOfUrn(provenanceUrl) } });
    }
    if (sorted.length) section.entry = sorted.map((e) => ({ reference: refFor(e.key) }));
    else section.emptyReason = emptyReason(build, input.outcomes);
    return section;
  });

  const compositionUrl = refFor('composition');
  const composition: Composition = {
    resourceType: 'Composition',
    id: uuidOfUrn(compositionUrl),
    meta: { profile: [SUMMARY_PROFILE.ipsComposition, SUMMARY_PROFILE.epsComposition] },
    status: 'final',
    type: { coding: [PATIENT_SUMMARY_TYPE] },
    subject: { reference: patientRef },
    date: now,
    author: [{ reference: custodianRef }],
    custodian: { reference: custodianRef },
    title: 'Pasientoppsummering',
    section: compositionSections,
  };

  const bundle: Bundle = {
    resourceType: 'Bundle',
    id: input.patient.id,
    meta: { profile: [SUMMARY_PROFILE.ipsBundle, SUMMARY_PROFILE.epsBundle] },
    type: 'document',
    timestamp: now,
    entry: [{ fullUrl: compositionUrl, resource: composition }, ...entries, ...provenances],
  };
  return seal(bundle, input.marks ?? [], input.now);
}

/**
 * The summary with the marks applied (re-ordering and flagging entries) at `now`: a new document
 * (timestamp, Composition.date, and an identifier derived from the content).
 * @param bundle an assembled or stored summary; it is copied, not changed
 */
export function remark(bundle: Bundle, marks: readonly RelevanceMark[], now: Date): AssembledSummary {
  return seal(structuredClone(bundle), marks, now);
}

/** {@link remark} on the bundle itself. */
function seal(copy: Bundle, marks: readonly RelevanceMark[], now: Date): AssembledSummary {
  const time = now.toISOString();
  copy.timestamp = time;
  copy.meta = { profile: [SUMMARY_PROFILE.ipsBundle, SUMMARY_PROFILE.epsBundle, NATIONAL_PROFILE.bundle] };
  const composition = copy.entry?.[0]?.resource as Composition | undefined;
  if (composition) composition.date = time;
  applyMarks(copy, marks);
  const hash = contentHash(copy);
  copy.identifier = { system: URI_IDENTIFIER_SYSTEM, value: stableUrn('summary-document', copy.id ?? '', hash) };
  return { bundle: copy, contentHash: hash };
}
