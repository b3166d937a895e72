/**
 * FHIR code-system URIs, profile canonicals and extension URLs used by the conversions, named once.
 * Facts: ../shared/specs/eu-formats.md §2 (HL7 Europe MPD 1.0.0, IHE MPD extensions, EU code systems).
 */
import { kodeverkOid, KODEVERK } from './oids.js';

/** Canonical base of this project's own conformance resources (NamingSystems, ConceptMaps, profiles). */
export const EHDS_NO_CANONICAL_BASE = 'https://ehds-no.github.io/fhir';

/** Code systems by FHIR URI. */
export const SYSTEM = {
  edqm: 'http://standardterms.edqm.eu',
  ucum: 'http://unitsofmeasure.org',
  atc: 'http://www.whocc.no/atc',
  icpc2: 'http://hl7.org/fhir/sid/icpc-2',
  icd10no: `urn:oid:${kodeverkOid(KODEVERK.icd10)}`,
  administrativeGender: 'http://hl7.org/fhir/administrative-gender',
  v3ActCode: 'http://terminology.hl7.org/CodeSystem/v3-ActCode',
  v3SubstanceAdminSubstitution: 'http://terminology.hl7.org/CodeSystem/v3-substanceAdminSubstitution',
  commonTags: 'http://terminology.hl7.org/CodeSystem/common-tags',
  courseOfTherapy: 'http://terminology.hl7.org/CodeSystem/medicationrequest-course-of-therapy',
  eventTiming: 'http://hl7.org/fhir/event-timing',
  v3TimingEvent: 'http://terminology.hl7.org/CodeSystem/v3-TimingEvent',
  iso3166: 'urn:iso:std:iso:3166',
  /** GS1 GTIN (the EAN barcode of a package). */
  gtin: 'https://www.gs1.org/gtin',
  /** FEST catalogue ids (virkestoff, merkevare …), as no-basis writes them. */
  fest: 'http://ehelse.no/fhir/CodeSystem/FEST',
} as const;

/** The FHIR URI of a Volven code system, `urn:oid:2.16.578.1.12.4.1.1.<nnnn>`. */
export function volvenSystem(nnnn: number): string {
  return `urn:oid:${kodeverkOid(nnnn)}`;
}

/**
 * Identifier systems this project defines because no national NamingSystem is published yet
 * (see profiles/terminology/NamingSystem-*.json): replace them here when the Directorate publishes one.
 */
export const PROJECT_IDENTIFIER_SYSTEM = {
  /** The e-resept ReseptId (the M1's MsgId, a UUID). */
  reseptId: `${EHDS_NO_CANONICAL_BASE}/NamingSystem/reseptid`,
  /** The Norwegian varenummer (6-digit article number of a package). */
  varenummer: `${EHDS_NO_CANONICAL_BASE}/NamingSystem/varenummer`,
  /** Identity of an M10 Utleveringsrapport (its MsgId). */
  utleveringId: `${EHDS_NO_CANONICAL_BASE}/NamingSystem/utlevering-msgid`,
} as const;

/** HL7 Europe MPD 1.0.0 profiles. */
export const MPD_PROFILE = {
  medicationRequest: 'http://hl7.eu/fhir/mpd/StructureDefinition/MedicationRequest-eu-mpd',
  medicationDispense: 'http://hl7.eu/fhir/mpd/StructureDefinition/MedicationDispense-eu-mpd',
  medication: 'http://hl7.eu/fhir/mpd/StructureDefinition/Medication-eu-mpd',
} as const;

/** Extensions used on MPD resources. */
export const EXTENSION = {
  /** IHE MPD: prescribed quantity on MedicationRequest.dispenseRequest. */
  prescribedQuantity: 'https://profiles.ihe.net/PHARM/MPD/StructureDefinition/ihe-ext-medicationrequest-prescribedQuantity',
  /** IHE MPD: product name on Medication. */
  productName: 'https://profiles.ihe.net/PHARM/MPD/StructureDefinition/ihe-ext-medication-productname',
  /** IHE MPD: classification (ATC) on Medication. */
  classification: 'https://profiles.ihe.net/PHARM/MPD/StructureDefinition/ihe-ext-medication-classification',
  /** R5 backport: rendered dosage instruction (markdown). */
  renderedDosageInstruction: 'http://hl7.org/fhir/5.0/StructureDefinition/extension-MedicationRequest.renderedDosageInstruction',
  /** R5 backport: when the dispense record was issued (required by MedicationDispense-eu-mpd). */
  dispenseRecorded: 'http://hl7.org/fhir/5.0/StructureDefinition/extension-MedicationDispense.recorded',
  /** Marks a value as derived rather than stated (e.g. birth date from the fødselsnummer). */
  dataAbsentReason: 'http://hl7.org/fhir/StructureDefinition/data-absent-reason',
} as const;

/** `meta.tag` marking a MedicationRequest as dispensable (common-tags#actionable). */
export const ACTIONABLE_TAG = { system: SYSTEM.commonTags, code: 'actionable' } as const;
