/**
 * Codes, profile canonicals and extension URLs of the patient summary, named once.
 * Facts: ../shared/specs/eu-formats.md §1 (IPS 2.0.1, HL7 Europe EPS 1.0.0).
 */
import type { CodeableConcept, Coding, Extension } from '@medplum/fhirtypes';
import { EHDS_NO_CANONICAL_BASE, NATIONAL_PROFILE, PROJECT_IDENTIFIER_SYSTEM, SYSTEM } from '../terminology/fhir-systems.js';

/** The document type of a patient summary: LOINC 60591-5. */
export const PATIENT_SUMMARY_TYPE: Coding = { system: SYSTEM.loinc, code: '60591-5', display: 'Patient summary Document' };

/** Profiles declared in `meta.profile` of the output (both the IPS and the EPS canonical). */
export const SUMMARY_PROFILE = {
  ipsBundle: 'http://hl7.org/fhir/uv/ips/StructureDefinition/Bundle-uv-ips',
  epsBundle: 'http://hl7.eu/fhir/eps/StructureDefinition/bundle-eu-eps',
  ipsComposition: 'http://hl7.org/fhir/uv/ips/StructureDefinition/Composition-uv-ips',
  epsComposition: 'http://hl7.eu/fhir/eps/StructureDefinition/composition-eu-eps',
} as const;

/** The profiles a caller may ask `$summary` for (`profile` parameter): the output conforms to all three. */
export const SUPPORTED_SUMMARY_PROFILES: readonly string[] = [SUMMARY_PROFILE.ipsBundle, SUMMARY_PROFILE.epsBundle, NATIONAL_PROFILE.bundle];

/** SNOMED CT statements of known absence (IPS 2.0.1: positive statements of absence, eu-formats.md §1.4). */
export const KNOWN_ABSENCE = {
  allergy: '716186003',
  drugAllergy: '409137002',
  problem: '160245001',
  medication: '787481004',
  procedure: '787480003',
  device: '787483001',
} as const;

/** True when a CodeableConcept is one of the SNOMED "no known …" codes. */
export function isKnownAbsence(concept: CodeableConcept | undefined): boolean {
  const absent: readonly string[] = Object.values(KNOWN_ABSENCE);
  return (concept?.coding ?? []).some((c) => c.system === SYSTEM.snomed && c.code !== undefined && absent.includes(c.code));
}

/** Extensions used by the summary. */
export const SUMMARY_EXTENSION = {
  /** FHIR core `note` extension: a section note (EPS `section.extension[section-note]`). */
  note: 'http://hl7.org/fhir/StructureDefinition/note',
  /** FHIR core `data-absent-reason`: why a required value is missing. */
  dataAbsentReason: 'http://hl7.org/fhir/StructureDefinition/data-absent-reason',
  /** FHIR core `flag-detail`: the resource an alert is about. */
  flagDetail: 'http://hl7.org/fhir/StructureDefinition/flag-detail',
  /** This project: a clinician marked the entry as most clinically relevant (complex: markedBy, markedAt). */
  clinicalRelevance: `${EHDS_NO_CANONICAL_BASE}/StructureDefinition/clinical-relevance`,
  /** This project: the element's value was derived by a rule, not stated by the source (valueString: the rule). */
  derived: `${EHDS_NO_CANONICAL_BASE}/StructureDefinition/derived-value`,
  /** This project: when the source record was fetched (on `Provenance.entity`). */
  fetchedAt: `${EHDS_NO_CANONICAL_BASE}/StructureDefinition/source-fetched-at`,
  /**
   * This project: the state of one source behind a section (complex: source, status fresh|stale|unavailable,
   * dataTime for stale data). The section notes and narrative are rendered from it in the asked language.
   */
  sourceStatus: `${EHDS_NO_CANONICAL_BASE}/StructureDefinition/section-source-status`,
} as const;

/** Identifier systems of source records, so that Provenance can name each record. */
export const SOURCE_RECORD_SYSTEM = {
  kjernejournal: `${EHDS_NO_CANONICAL_BASE}/NamingSystem/kjernejournal-record`,
  pll: `${EHDS_NO_CANONICAL_BASE}/NamingSystem/pll-record`,
  reseptformidleren: PROJECT_IDENTIFIER_SYSTEM.reseptId,
  npr: `${EHDS_NO_CANONICAL_BASE}/NamingSystem/npr-episode`,
  kpr: `${EHDS_NO_CANONICAL_BASE}/NamingSystem/kpr-contact`,
} as const;

/** `Composition.section.emptyReason` codes used (list-empty-reason). */
export const EMPTY_REASON = {
  /** The source could not be reached and nothing is cached. */
  unavailable: 'unavailable',
  /** The sources answered and hold no records. */
  nilknown: 'nilknown',
} as const;

/**
 * Kjernejournal's critical-information categories on Condition.category (no-formats.md §3.2: 5 = critical
 * medical condition, 7 = implant such as a transplant). NHN has not published the code system's URL, so the
 * simulator and adapters use this project-owned stand-in; change it here when NHN publishes one.
 */
export const KJ_CATEGORY = {
  system: `${EHDS_NO_CANONICAL_BASE}/CodeSystem/kj-critical-information-category`,
  criticalCondition: '5',
  implant: '7',
} as const;

/** A required value the sources do not give: `data-absent-reason` "unknown" (never an invented value). */
export const DATA_ABSENT_UNKNOWN: Extension = { url: SUMMARY_EXTENSION.dataAbsentReason, valueCode: 'unknown' };

/**
 * Marks a required primitive element as absent (`_element` with `data-absent-reason` "unknown"), for
 * elements such as `timingDateTime` that the sources do not give. Changes the resource in place.
 */
export function markAbsent(resource: object, element: string): void {
  Object.assign(resource, { [`_${element}`]: { extension: [DATA_ABSENT_UNKNOWN] } });
}
