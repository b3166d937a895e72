/**
 * FHIR code-system URIs, profile canonicals and extension URLs used by the conversions, named once.
 * Facts: ../shared/specs/eu-formats.md §2 (HL7 Europe MPD 1.0.0, IHE MPD extensions, EU code systems).
 */
import { kodeverkOid, KODEVERK } from './oids.js';

/** Canonical base of this project's own conformance resources (NamingSystems, ConceptMaps, profiles). */
export const EHDS_NO_CANONICAL_BASE = 'https://ehds-no.github.io/fhir';

/** `identifier.system` of an identifier whose value is itself a URI, e.g. a document's `urn:uuid:` (RFC 3986). */
export const URI_IDENTIFIER_SYSTEM = 'urn:ietf:rfc:3986';

/** The scheme prefix of an OID as a URI (RFC 3001), as FHIR writes a code system known by its OID. */
export const OID_URI_PREFIX = 'urn:oid:';
/**
 * The URIs of the Volven code lists, by OID: made once (see {@link volvenSystem}). Only OIDs the code names
 * are kept, never ones read from a message: a message's text must not be held on to or fill the table.
 */
const volvenUris = new Map<string, string>();

/**
 * The FHIR URI of an OID, `urn:oid:<oid>`. For a Volven code list, the same string object every time: as a
 * look-up key its hash is then computed once, and it is one string, not a pair joined anew that every later
 * use (look-up, JSON) first copies into one.
 * @example oidUri('2.16.578.1.12.4.1.1.7448') // 'urn:oid:2.16.578.1.12.4.1.1.7448'
 */
export function oidUri(oid: string): string {
  return volvenUris.get(oid) ?? `${OID_URI_PREFIX}${oid}`;
}

/** Code systems by FHIR URI. */
export const SYSTEM = {
  edqm: 'http://standardterms.edqm.eu',
  ucum: 'http://unitsofmeasure.org',
  atc: 'http://www.whocc.no/atc',
  icpc2: 'http://hl7.org/fhir/sid/icpc-2',
  icd10no: `${OID_URI_PREFIX}${kodeverkOid(KODEVERK.icd10)}`,
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
  snomed: 'http://snomed.info/sct',
  loinc: 'http://loinc.org',
  /** `Composition.section.emptyReason` codes. */
  listEmptyReason: 'http://terminology.hl7.org/CodeSystem/list-empty-reason',
  allergyClinical: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical',
  allergyVerification: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-verification',
  conditionClinical: 'http://terminology.hl7.org/CodeSystem/condition-clinical',
  conditionVerification: 'http://terminology.hl7.org/CodeSystem/condition-ver-status',
  conditionCategory: 'http://terminology.hl7.org/CodeSystem/condition-category',
  provenanceParticipantType: 'http://terminology.hl7.org/CodeSystem/provenance-participant-type',
  dataAbsentReason: 'http://terminology.hl7.org/CodeSystem/data-absent-reason',
  v3ActClass: 'http://terminology.hl7.org/CodeSystem/v3-ActClass',
  flagCategory: 'http://terminology.hl7.org/CodeSystem/flag-category',
} as const;

/** The URIs of the Volven code lists, by number. */
const volvenSystems = new Map<number, string>();

/** The FHIR URI of a Volven code system, `urn:oid:2.16.578.1.12.4.1.1.<nnnn>` (the same string each time, as {@link oidUri}). */
export function volvenSystem(nnnn: number): string {
  let uri = volvenSystems.get(nnnn);
  if (uri === undefined) {
    const oid = kodeverkOid(nnnn);
    uri = `${OID_URI_PREFIX}${oid}`;
    volvenSystems.set(nnnn, uri);
    volvenUris.set(oid, uri);
  }
  return uri;
}

// Every code list the project names is known to oidUri from the start, before any message asks for one.
for (const nnnn of Object.values(KODEVERK)) volvenSystem(nnnn);

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

/**
 * Identifier systems of Pasientens legemiddelliste (SFM `sfm-MedicationStatement.identifier` slices PLL-id and
 * treatmentID). SFM's NamingSystem URIs were not found (no-formats.md §3.3), so these are project stand-ins
 * used by the test patients and the PLL adapter; replace them here when the national URIs are known. The
 * prescription-id slice uses {@link PROJECT_IDENTIFIER_SYSTEM}.reseptId.
 */
export const PLL_IDENTIFIER_SYSTEM = {
  /** The PLL entry's own id (one per prescription in a renewal chain). */
  pllId: `${EHDS_NO_CANONICAL_BASE}/NamingSystem/pll-id`,
  /** The treatment (behandling) a renewal chain belongs to: the same for every link of the chain. */
  treatmentId: `${EHDS_NO_CANONICAL_BASE}/NamingSystem/pll-treatment-id`,
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

/**
 * Change notifications of the national sources, in the style of the FHIR Subscriptions R5 Backport IG
 * (1.1.0) for R4: profiles of the notification Bundle and its status Parameters, the project's topic and
 * the extension that names the source (docs/sources.md).
 */
export const SOURCE_CHANGE_NOTIFICATION = {
  /** Profile of the notification Bundle (`type = history`). */
  bundleProfile: 'http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/backport-subscription-notification-r4',
  /** Profile of its first entry, the SubscriptionStatus as `Parameters`. */
  statusProfile: 'http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/backport-subscription-status-r4',
  /** The topic: "a national source's data for a patient changed". */
  topic: `${EHDS_NO_CANONICAL_BASE}/SubscriptionTopic/national-source-data-changed`,
  /** Extension on the `notification-event` parameter naming the source (`valueCode`, e.g. `pll`). */
  sourceExtension: `${EHDS_NO_CANONICAL_BASE}/StructureDefinition/national-source`,
} as const;

/**
 * This project's profiles (profiles/fsh, compiled into profiles/generated): the national patient summary
 * and the EU ePrescription / eDispensation resources as the service emits and accepts them (docs/profiles.md).
 */
export const NATIONAL_PROFILE = {
  bundle: `${EHDS_NO_CANONICAL_BASE}/StructureDefinition/no-ps-bundle`,
  composition: `${EHDS_NO_CANONICAL_BASE}/StructureDefinition/no-ps-composition`,
  patient: `${EHDS_NO_CANONICAL_BASE}/StructureDefinition/no-ps-patient`,
  allergyIntolerance: `${EHDS_NO_CANONICAL_BASE}/StructureDefinition/no-ps-allergyintolerance`,
  condition: `${EHDS_NO_CANONICAL_BASE}/StructureDefinition/no-ps-condition`,
  procedure: `${EHDS_NO_CANONICAL_BASE}/StructureDefinition/no-ps-procedure`,
  medicationStatement: `${EHDS_NO_CANONICAL_BASE}/StructureDefinition/no-ps-medicationstatement`,
  medication: `${EHDS_NO_CANONICAL_BASE}/StructureDefinition/no-ps-medication`,
  device: `${EHDS_NO_CANONICAL_BASE}/StructureDefinition/no-ps-device`,
  deviceUseStatement: `${EHDS_NO_CANONICAL_BASE}/StructureDefinition/no-ps-deviceusestatement`,
  flag: `${EHDS_NO_CANONICAL_BASE}/StructureDefinition/no-ps-flag`,
  mpdMedicationRequest: `${EHDS_NO_CANONICAL_BASE}/StructureDefinition/no-mpd-medicationrequest`,
  mpdMedicationDispense: `${EHDS_NO_CANONICAL_BASE}/StructureDefinition/no-mpd-medicationdispense`,
  mpdMedication: `${EHDS_NO_CANONICAL_BASE}/StructureDefinition/no-mpd-medication`,
} as const;

/** IPS 2.0.1 and HL7 Europe EPS 1.0.0 canonicals of the patient-summary entry profiles (eu-formats.md §1.3). */
export const IPS_EPS_PROFILE = {
  ipsPatient: 'http://hl7.org/fhir/uv/ips/StructureDefinition/Patient-uv-ips',
  epsPatient: 'http://hl7.eu/fhir/eps/StructureDefinition/patient-eu-eps',
  ipsAllergyIntolerance: 'http://hl7.org/fhir/uv/ips/StructureDefinition/AllergyIntolerance-uv-ips',
  epsAllergyIntolerance: 'http://hl7.eu/fhir/eps/StructureDefinition/allergyintolerance-obl-eu-eps',
  ipsCondition: 'http://hl7.org/fhir/uv/ips/StructureDefinition/Condition-uv-ips',
  epsCondition: 'http://hl7.eu/fhir/eps/StructureDefinition/condition-obl-eu-eps',
  ipsProcedure: 'http://hl7.org/fhir/uv/ips/StructureDefinition/Procedure-uv-ips',
  epsProcedure: 'http://hl7.eu/fhir/eps/StructureDefinition/procedure-eu-eps',
  ipsMedicationStatement: 'http://hl7.org/fhir/uv/ips/StructureDefinition/MedicationStatement-uv-ips',
  epsMedicationStatement: 'http://hl7.eu/fhir/eps/StructureDefinition/MedicationStatement-eu-eps',
  ipsMedication: 'http://hl7.org/fhir/uv/ips/StructureDefinition/Medication-uv-ips',
  epsMedication: 'http://hl7.eu/fhir/eps/StructureDefinition/medication-obl-eu-eps',
  ipsDevice: 'http://hl7.org/fhir/uv/ips/StructureDefinition/Device-uv-ips',
  epsDevice: 'http://hl7.eu/fhir/eps/StructureDefinition/device-eu-eps',
  ipsDeviceUseStatement: 'http://hl7.org/fhir/uv/ips/StructureDefinition/DeviceUseStatement-uv-ips',
  epsDeviceUseStatement: 'http://hl7.eu/fhir/eps/StructureDefinition/deviceUseStatement-eu-eps',
  ipsFlag: 'http://hl7.org/fhir/uv/ips/StructureDefinition/Flag-alert-uv-ips',
  epsFlag: 'http://hl7.eu/fhir/eps/StructureDefinition/flag-alert-obl-eu-eps',
} as const;
