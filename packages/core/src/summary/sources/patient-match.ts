/**
 * Is a source's answer about the person asked for? A source can answer with another person's data (a
 * mix-up at the source, a cache or proxy serving the wrong answer); shown in a summary, that would put one
 * person's name, diagnoses and medicines in another person's record. Every answer is therefore checked
 * against the {@link PatientKey} it was asked for before anything uses or stores it (`ResilientSource`), by
 * one check per source shape:
 *
 * - **Kjernejournal**: the Patient carries the key, and every resource's `patient`/`subject` names that
 *   Patient ({@link kjernejournalIsAbout});
 * - **PLL**: every Patient entry of the document carries the key, and the Composition's and every other
 *   entry's `subject`/`patient` names one of them ({@link pllIsAbout});
 * - **Reseptformidleren**: the MsgHead Patient of every M1 carries the key ({@link reseptformidlerenIsAbout});
 * - **NPR, KPR**: every record's `patient` is the key ({@link registerIsAbout}).
 *
 * "Carries the key" ({@link identifiesPerson}): an identifier of the key's system with the key's value, and
 * no other current identifier of that system with another value (two fødselsnumre are two people). What
 * cannot be checked fails: a resource that should name its person but does not, a reference by display text
 * only, an M1 whose patient cannot be read. The checks say only yes or no: why an answer failed would
 * have to quote identifiers, and failure reasons are logged.
 */
import type { Identifier, Reference, Resource } from '@medplum/fhirtypes';
import { IDENT_TYPE_SYSTEM } from '../../conversion/eu-parties.js';
import { IssueCollector } from '../../eresept/issues.js';
import { patient as msgHeadPatient } from '../../eresept/msghead.js';
import { NS } from '../../eresept/namespaces.js';
import { childElements, type XmlElement } from '../../eresept/xml/xml-tree.js';
import { parseXml } from '../../eresept/xml/parse-xml.js';
import { defaultCodeLists } from '../../terminology/code-systems.js';
import { IDENTIFIER_SYSTEM } from '../../terminology/oids.js';
import type {
  KjernejournalData, PatientKey, PllData, RegisterData, ReseptformidlerenData, SourceDataMap, SourceName,
} from './source-data.js';

/** The identifier systems of person numbers: a reference by identifier in one of them names a person. */
const PERSON_NUMBER_SYSTEMS: ReadonlySet<string> = new Set([IDENTIFIER_SYSTEM.fnr, IDENTIFIER_SYSTEM.dnr]);

/**
 * The R4 resource types whose record is about one person, and the element that names them
 * (`subject` or `patient`). A resource of such a type must name its person, or it cannot be checked.
 * Other types (Medication, Practitioner, Organization, …) are about no one; any `subject` or `patient`
 * they do carry that points at a Patient must still point at the one asked for.
 */
export const PERSON_ELEMENT: Readonly<Record<string, 'subject' | 'patient'>> = {
  AdverseEvent: 'subject',
  AllergyIntolerance: 'patient',
  CarePlan: 'subject',
  ClinicalImpression: 'subject',
  Composition: 'subject',
  Condition: 'subject',
  Consent: 'patient',
  DetectedIssue: 'patient',
  DeviceRequest: 'subject',
  DeviceUseStatement: 'subject',
  DiagnosticReport: 'subject',
  DocumentReference: 'subject',
  Encounter: 'subject',
  EpisodeOfCare: 'patient',
  FamilyMemberHistory: 'patient',
  Flag: 'subject',
  Goal: 'subject',
  ImagingStudy: 'subject',
  Immunization: 'patient',
  List: 'subject',
  MedicationAdministration: 'subject',
  MedicationDispense: 'subject',
  MedicationRequest: 'subject',
  MedicationStatement: 'subject',
  NutritionOrder: 'patient',
  Observation: 'subject',
  Procedure: 'subject',
  QuestionnaireResponse: 'subject',
  RiskAssessment: 'subject',
  ServiceRequest: 'subject',
};

/** The elements that can name a resource's person. */
const PERSON_ELEMENTS = ['subject', 'patient'] as const;

/**
 * True when `identifiers` identify the person `key`: one has the key's system and value, and no current
 * one (not `use: old`, no `period.end`) has the key's system with another value.
 * @example identifiesPerson([{ system: IDENTIFIER_SYSTEM.fnr, value: '17844111940' }], key) // true for that key
 */
export function identifiesPerson(identifiers: readonly Identifier[] | undefined, key: PatientKey): boolean {
  let carriesKey = false;
  for (const id of identifiers ?? []) {
    if (id.system !== key.system) continue;
    if (id.value === key.value) carriesKey = true;
    // A number the person had before (a D-nummer replaced, a corrected fødselsnummer) is no conflict.
    else if (id.use !== 'old' && id.period?.end === undefined) return false;
  }
  return carriesKey;
}

/** True when a reference names the key's person: by one of `patientRefs`, by the key as identifier, or both. */
function refersToPerson(ref: Reference, key: PatientKey, patientRefs: ReadonlySet<string>): boolean {
  if (ref.reference === undefined && ref.identifier === undefined) return false;
  if (ref.reference !== undefined && !patientRefs.has(ref.reference)) return false;
  return ref.identifier === undefined || (ref.identifier.system === key.system && ref.identifier.value === key.value);
}

/** True when a reference points at some Patient (so that it must be the key's person). */
function pointsAtPatient(ref: Reference, patientRefs: ReadonlySet<string>): boolean {
  const r = ref.reference;
  return ref.type === 'Patient'
    || (r !== undefined && (patientRefs.has(r) || r.startsWith('Patient/') || r.includes('/Patient/')))
    || (ref.identifier?.system !== undefined && PERSON_NUMBER_SYSTEMS.has(ref.identifier.system));
}

/** The resource's `subject`/`patient` values that are references (an element of another type is not one). */
function personReference(resource: Resource, element: 'subject' | 'patient'): Reference | undefined {
  const value = (resource as unknown as Record<string, unknown>)[element];
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Reference) : undefined;
}

/** The resource (and the resources it contains) names the key's person wherever it names a person. */
function resourceIsAbout(resource: Resource, key: PatientKey, patientRefs: ReadonlySet<string>): boolean {
  const required = PERSON_ELEMENT[resource.resourceType];
  for (const element of PERSON_ELEMENTS) {
    const ref = personReference(resource, element);
    if (ref === undefined) {
      if (element === required) return false;
      continue;
    }
    if ((element === required || pointsAtPatient(ref, patientRefs)) && !refersToPerson(ref, key, patientRefs)) return false;
  }
  const contained = (resource as { contained?: readonly Resource[] }).contained ?? [];
  return contained.every((c) => resourceIsAbout(c, key, patientRefs));
}

/**
 * Kjernejournal's answer is about `key`: its Patient carries the key and every critical-information
 * resource names that Patient (`Patient/<id>`, or the key as identifier).
 * @example if (!kjernejournalIsAbout(data, key)) throw new SourceFailure(FAILURE_REASON.anotherPerson)
 */
export function kjernejournalIsAbout(data: KjernejournalData, key: PatientKey): boolean {
  const patient = data.patient;
  if (patient?.resourceType !== 'Patient' || !identifiesPerson(patient.identifier, key)) return false;
  const refs = new Set(patient.id ? [`Patient/${patient.id}`] : []);
  return data.resources.every((r) => resourceIsAbout(r, key, refs));
}

/**
 * PLL's answer is about `key`: no PLL at all, or a document whose Patient entries (at least one) all
 * carry the key and whose every entry names one of them where it names a person (by the entry's
 * `fullUrl`, by `Patient/<id>`, or by the key as identifier).
 */
export function pllIsAbout(data: PllData, key: PatientKey): boolean {
  if (data.bundle === undefined) return true;
  const entries = data.bundle.entry ?? [];
  const refs = new Set<string>();
  let patients = 0;
  for (const e of entries) {
    if (e.resource?.resourceType !== 'Patient') continue;
    if (!identifiesPerson(e.resource.identifier, key)) return false;
    patients += 1;
    if (e.fullUrl) refs.add(e.fullUrl);
    if (e.resource.id) refs.add(`Patient/${e.resource.id}`);
  }
  return patients > 0 && entries.every((e) => e.resource === undefined || resourceIsAbout(e.resource, key, refs));
}

/** The `MsgInfo/Patient` element of a MsgHead, if the XML is one and names a patient. */
function msgHeadPatientElement(m1Xml: string): XmlElement | undefined {
  const parsed = parseXml(m1Xml);
  if (!parsed.ok || parsed.root.ns !== NS.msgHead || parsed.root.local !== 'MsgHead') return undefined;
  const msgInfo = childElements(parsed.root).find((e) => e.ns === NS.msgHead && e.local === 'MsgInfo');
  return msgInfo && childElements(msgInfo).find((e) => e.ns === NS.msgHead && e.local === 'Patient');
}

/**
 * The identifiers of an M1's patient (MsgHead `MsgInfo/Patient/Ident`, read by the MsgHead codec), or
 * undefined when the message names no patient that can be read. Only the patient is read: whether the
 * rest of the M1 is valid is decided where the prescription is used.
 */
export function m1PatientIdentifiers(m1Xml: string): Identifier[] | undefined {
  const element = msgHeadPatientElement(m1Xml);
  if (!element) return undefined;
  // The numbers are compared, not judged: synthetic test numbers and check digits are readM1's business.
  const ctx = { issues: new IssueCollector(), codeLists: defaultCodeLists(), allowSyntheticIdentities: true };
  const decoded = msgHeadPatient.decode(element, '/mh:MsgHead/mh:MsgInfo/mh:Patient', ctx);
  return (decoded?.ident ?? []).flatMap((ident) => {
    const system = ident.typeId.v === undefined ? undefined : IDENT_TYPE_SYSTEM[ident.typeId.v];
    return system ? [{ system, value: ident.id }] : [];
  });
}

/** Reseptformidleren's answer is about `key`: the patient of every M1 carries the key. */
export function reseptformidlerenIsAbout(data: ReseptformidlerenData, key: PatientKey): boolean {
  return data.prescriptions.every((p) => {
    const ids = m1PatientIdentifiers(p.m1Xml);
    return ids !== undefined && identifiesPerson(ids, key);
  });
}

/** NPR's or KPR's answer is about `key`: every record's `patient` is the key. */
export function registerIsAbout(data: RegisterData, key: PatientKey): boolean {
  // Read defensively: a snapshot stored before records named their patient has no `patient`.
  return data.records.every((r) => (r.patient as PatientKey | undefined)?.system === key.system && r.patient.value === key.value);
}

/** The check of each source's answer. */
export const PATIENT_CHECKS: { readonly [N in SourceName]: (data: SourceDataMap[N], key: PatientKey) => boolean } = {
  kjernejournal: kjernejournalIsAbout,
  pll: pllIsAbout,
  reseptformidleren: reseptformidlerenIsAbout,
  npr: registerIsAbout,
  kpr: registerIsAbout,
};

/**
 * True when `data`, as source `source` answered it, is about the person `key` and nobody else.
 * @example
 * if (!answerIsAbout('npr', data, key)) return fallback(FAILURE_REASON.anotherPerson); // never stored
 */
export function answerIsAbout<N extends SourceName>(source: N, data: SourceDataMap[N], key: PatientKey): boolean {
  const check = PATIENT_CHECKS[source] as (data: SourceDataMap[N], key: PatientKey) => boolean;
  return check(data, key);
}
