/**
 * Synthetic test patients for the five national sources, built from a compact {@link PatientSpec}: the
 * hand-written scenarios in `test-data/patients/` and the seeded generator {@link generatePatients} (which
 * feeds the benchmarks) share these builders, so both give the same shapes.
 *
 * Everything is deterministic: a small PRNG (mulberry32) seeded per patient from (seed, index) or from the
 * slug; no clock, no Math.random. Dates are anchored at {@link REFERENCE_DATE}. Identities are synthetic
 * (month + 80) with valid check digits, unique within one seed.
 */
import type {
  AllergyIntolerance, Bundle, BundleEntry, CodeableConcept, Composition, Condition, Device, DeviceUseStatement,
  Medication, MedicationStatement, Patient,
} from '@medplum/fhirtypes';
import { writeMsgHead, type MsgHead } from '../eresept/messages.js';
import { syntheticPersonNumber } from '../identity/person-number.js';
import type { RegisterDiagnosis, RegisterName, RegisterProcedure, RegisterRecord } from '../summary/sources/register-record.js';
import type { ActivePrescription, KjernejournalResource, PatientKey, PatientSourceData } from '../summary/sources/source-data.js';
import { KJ_CATEGORY } from '../summary/summary-codes.js';
import { PLL_IDENTIFIER_SYSTEM, PROJECT_IDENTIFIER_SYSTEM, SYSTEM, URI_IDENTIFIER_SYSTEM, volvenSystem } from '../terminology/fhir-systems.js';
import { uuidUrn } from '../conversion/stable-id.js';
import { IDENTIFIER_SYSTEM, KODEVERK, kodeverkOid, OID_ID_TYPE_ORGANISATION, OID_ID_TYPE_PERSON } from '../terminology/oids.js';
import {
  CRITICAL_CONDITIONS, DEVICES, DISEASES, DRUG_ALLERGENS, DRUGS, FAMILY_NAMES, GIVEN_NAMES, HOSPITALS, MUNICIPAL_ACUTE_UNIT,
  KNOWN_ABSENCE_ALLERGENS, MUNICIPALITIES, OTHER_ALLERGENS, PRESCRIBERS, PRIMARY_CARE, PROCEDURES, REACTIONS, RESEPTFORMIDLEREN, TRANSPLANTS,
  type Allergen, type CodedText, type Disease, type Drug, type InstitutionDef, type KjConditionDef, type ReactionKey,
} from './patient-generator-data.js';

/** The day the test data is "as of": onsets, prescriptions and PLL timestamps lie before it. */
export const REFERENCE_DATE = '2026-11-01';

/** Kjernejournal profile canonicals (no-formats.md §3.2), declared in `meta.profile` of the KJ resources. */
export const KJ_PROFILE = {
  allergy: 'http://nhn.no/kj/fhir/StructureDefinition/KjAllergyIntolerance',
  criticalCondition: 'http://nhn.no/kj/fhir/StructureDefinition/KjConditionCriticalMedicalCondition',
  transplant: 'http://nhn.no/kj/fhir/StructureDefinition/KjConditionTransplantsAndOtherForeignBodies',
  deviceUse: 'http://nhn.no/kj/fhir/StructureDefinition/KjDeviceUseStatement',
} as const;

/** SFM (PLL) profile canonicals (no-formats.md §3.3). */
export const SFM_PROFILE = {
  bundle: 'http://ehelse.no/fhir/StructureDefinition/sfm-MedicationBundle',
  composition: 'http://ehelse.no/fhir/StructureDefinition/sfm-MedicationComposition',
  medicationStatement: 'http://ehelse.no/fhir/StructureDefinition/sfm-MedicationStatement',
  medication: 'http://ehelse.no/fhir/StructureDefinition/sfm-Medication',
} as const;

/** The PLL document's type: LOINC 11503-0. */
export const PLL_DOCUMENT_TYPE = { system: SYSTEM.loinc, code: '11503-0', display: 'Medical records' } as const;

// ---------------------------------------------------------------------------------------------------
// Randomness and dates
// ---------------------------------------------------------------------------------------------------

/** Murmur3's finaliser over two words: independent streams per (seed, index). */
function mix32(a: number, b: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ b;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** FNV-1a of a string: the seed of a hand-written scenario, from its slug. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

function hex32(n: number): string {
  return HEX[(n >>> 24) & 255]! + HEX[(n >>> 16) & 255]! + HEX[(n >>> 8) & 255]! + HEX[n & 255]!;
}

/** A small seeded PRNG (mulberry32) with the draws the generator needs. */
export class Random {
  private state: number;

  /** @param seed any 32-bit integer */
  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** The next 32-bit unsigned integer. */
  u32(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    return this.u32() / 4294967296;
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** One element of a non-empty list. */
  pick<T>(list: readonly T[]): T {
    return list[Math.floor(this.next() * list.length)]!;
  }

  /** One element, chosen with the given weights. */
  weighted<T>(list: readonly T[], weight: (t: T) => number): T {
    let total = 0;
    for (const t of list) total += weight(t);
    let r = this.next() * total;
    for (const t of list) {
      r -= weight(t);
      if (r < 0) return t;
    }
    return list[list.length - 1]!;
  }

  /** A small count with mean `mean` (Poisson by Knuth; fine for the small means used here). */
  poisson(mean: number): number {
    const limit = Math.exp(-mean);
    let k = 0;
    let p = this.next();
    while (p > limit) {
      k++;
      p *= this.next();
    }
    return k;
  }

  /** A version-4 UUID. */
  uuid(): string {
    const a = hex32(this.u32());
    const b = hex32(this.u32());
    const c = hex32(this.u32());
    const d = hex32(this.u32());
    const variant = '89ab'[this.u32() & 3]!;
    return `${a}-${b.slice(0, 4)}-4${b.slice(5, 8)}-${variant}${c.slice(1, 4)}-${c.slice(4)}${d}`;
  }
}

/** Days since 1970-01-01 of an ISO date (civil-from-days, proleptic Gregorian, no Date objects). */
export function dayNumber(iso: string): number {
  let y = Number(iso.slice(0, 4));
  const m = Number(iso.slice(5, 7));
  const d = Number(iso.slice(8, 10));
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** The ISO date of a day number. */
export function isoDate(day: number): string {
  const z = day + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp + (mp < 10 ? 3 : -9);
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return `${y}-${m < 10 ? '0' : ''}${m}-${d < 10 ? '0' : ''}${d}`;
}

/** Whole years from `birthDate` to `at`. */
export function ageAt(birthDate: string, at: string): number {
  const years = Number(at.slice(0, 4)) - Number(birthDate.slice(0, 4));
  return at.slice(5) < birthDate.slice(5) ? years - 1 : years;
}

/** The same calendar day `years` later (29 February becomes 28 February). */
function addYears(iso: string, years: number): string {
  const y = Number(iso.slice(0, 4)) + years;
  const md = iso.slice(5) === '02-29' ? '02-28' : iso.slice(5);
  return `${y}-${md}`;
}

const REFERENCE_DAY = dayNumber(REFERENCE_DATE);

// ---------------------------------------------------------------------------------------------------
// The spec: what a test patient has, in clinical terms
// ---------------------------------------------------------------------------------------------------

/** Who the patient is. */
export interface PersonSpec {
  readonly given: string;
  readonly family: string;
  readonly sex: 'male' | 'female';
  /** `YYYY-MM-DD`, 1900–2039. */
  readonly birthDate: string;
  /** Default `fnr`. */
  readonly kind?: 'fnr' | 'dnr';
  /** Which synthetic number for this date and sex (see `syntheticPersonNumber`). Default 0. */
  readonly sequence?: number;
  /** Index into MUNICIPALITIES. Default 0. */
  readonly municipality?: number;
  readonly street?: string;
}

/** Verification statuses of Kjernejournal allergies (Sannsynlighet) plus entered-in-error. */
export type AllergyVerification = 'confirmed' | 'unconfirmed' | 'presumed' | 'refuted' | 'entered-in-error';

/** A Kjernejournal allergy or drug reaction. */
export interface AllergySpec {
  /** Key into DRUG_ALLERGENS or OTHER_ALLERGENS. */
  readonly allergen: string;
  readonly reactions: readonly ReactionKey[];
  readonly criticality: 'low' | 'high' | 'unable-to-assess';
  readonly verification: AllergyVerification;
  readonly recorded: string;
  readonly type?: 'allergy' | 'intolerance';
  readonly note?: string;
}

/** A Kjernejournal critical medical condition (category 5) or transplant (category 7). */
export interface KjConditionSpec {
  readonly kind: 'critical' | 'transplant';
  /** Key into CRITICAL_CONDITIONS or TRANSPLANTS. */
  readonly condition: string;
  readonly recorded: string;
  readonly onset?: string;
  /** Default `confirmed`. */
  readonly verification?: 'confirmed' | 'refuted' | 'entered-in-error';
}

/** A Kjernejournal implant or device. `completed` is Kjernejournal's "Avkreftet" (explanted / not there). */
export interface DeviceSpec {
  /** Key into DEVICES. */
  readonly device: string;
  readonly implanted: string;
  readonly status: 'active' | 'completed' | 'entered-in-error';
  readonly recorded?: string;
}

/** One PLL treatment: the current prescription, and the earlier ones of its renewal chain. */
export interface MedicationUseSpec {
  /** Key into DRUGS. */
  readonly drug: string;
  /** Start of the current (head) prescription. */
  readonly start: string;
  /** Set when the treatment has ended: the head is then `completed`. */
  readonly end?: string;
  /** Start dates of earlier prescriptions in the renewal chain, oldest first (each ends when the next starts). */
  readonly renewedFrom?: readonly string[];
  /** Key into DISEASES: the reason (ICPC-2 when it has one). */
  readonly reason?: string;
}

/** One active prescription in Reseptformidleren (an M1). */
export interface PrescriptionSpec {
  /** Key into DRUGS. */
  readonly drug: string;
  /** Forskrivningsdato; the prescription is valid one year. */
  readonly written: string;
  /** Number of repeat dispensings. Default 0. */
  readonly reiterasjon?: number;
  /** Index into PRESCRIBERS. Default 0. */
  readonly prescriber?: number;
}

/** A diagnosis on an episode: a disease of DISEASES in the register's classification. */
export interface DiagnosisSpec {
  /** Key into DISEASES, or a code of its own (e.g. a critical condition seen in hospital). */
  readonly disease: string | { readonly system: 'icd10' | 'icpc2'; readonly code: string; readonly text: string };
  /** Default: ICD-10 in NPR, ICPC-2 in KPR. */
  readonly system?: 'icd10' | 'icpc2';
  readonly primary?: boolean;
}

/** One NPR episode or KPR contact. */
export interface EpisodeSpec {
  readonly institution: InstitutionDef;
  readonly start: string;
  readonly end?: string;
  readonly diagnoses: readonly DiagnosisSpec[];
  /** Keys into PROCEDURES, with the date when it is not the episode's start. */
  readonly procedures?: readonly { readonly procedure: string; readonly date?: string }[];
}

/** Everything one test patient has, in clinical terms. */
export interface PatientSpec {
  readonly slug: string;
  readonly person: PersonSpec;
  readonly allergies?: readonly AllergySpec[];
  readonly kjConditions?: readonly KjConditionSpec[];
  readonly devices?: readonly DeviceSpec[];
  /** The PLL; absent when the patient has none. An empty list is a PLL without treatments. */
  readonly pll?: readonly MedicationUseSpec[];
  /** Reseptformidleren's active prescriptions. */
  readonly prescriptions?: readonly PrescriptionSpec[];
  readonly npr?: readonly EpisodeSpec[];
  readonly kpr?: readonly EpisodeSpec[];
}

// ---------------------------------------------------------------------------------------------------
// Lookups
// ---------------------------------------------------------------------------------------------------

function byKey<T extends { readonly key: string }>(list: readonly T[], what: string): (key: string) => T {
  const map = new Map(list.map((t) => [t.key, t]));
  return (key) => {
    const found = map.get(key);
    if (!found) throw new Error(`unknown ${what} "${key}"`);
    return found;
  };
}

const drugOf = byKey(DRUGS, 'drug');
const diseaseOf = byKey(DISEASES, 'disease');
const procedureOf = byKey(PROCEDURES, 'procedure');
const allergenOf = byKey([...DRUG_ALLERGENS, ...OTHER_ALLERGENS, ...KNOWN_ABSENCE_ALLERGENS], 'allergen');
const criticalOf = byKey(CRITICAL_CONDITIONS, 'critical condition');
const transplantOf = byKey(TRANSPLANTS, 'transplant');
const deviceOf = byKey(DEVICES, 'device');

const PROCEDURE_OID = { ncsp: kodeverkOid(KODEVERK.ncspN), ncmp: kodeverkOid(KODEVERK.ncmp), ncrp: kodeverkOid(KODEVERK.ncrp) } as const;
const DIAGNOSIS_OID = { icd10: kodeverkOid(KODEVERK.icd10), icpc2: kodeverkOid(KODEVERK.icpc2) } as const;
const REACTION_SYSTEM = volvenSystem(KODEVERK.reaksjon);
const FORM_SYSTEM = volvenSystem(KODEVERK.legemiddelform);
const ICPC2_SYSTEM = volvenSystem(KODEVERK.icpc2);

// ---------------------------------------------------------------------------------------------------
// Builders: spec → source data
// ---------------------------------------------------------------------------------------------------

function at(date: string, time = '10:00:00'): string {
  return `${date}T${time}+01:00`;
}

function coded(system: string, c: CodedText, text?: string): CodeableConcept {
  return { coding: [{ system, code: c.code, display: c.text }], text: text ?? c.text };
}

function personNumber(p: PersonSpec): string {
  return syntheticPersonNumber({ birthDate: p.birthDate, sex: p.sex, kind: p.kind ?? 'fnr', sequence: p.sequence ?? 0 });
}

function kjPatient(p: PersonSpec, number: string, id: string): Patient {
  const place = MUNICIPALITIES[p.municipality ?? 0] ?? MUNICIPALITIES[0]!;
  return {
    resourceType: 'Patient',
    id,
    identifier: [{ system: p.kind === 'dnr' ? IDENTIFIER_SYSTEM.dnr : IDENTIFIER_SYSTEM.fnr, value: number }],
    name: [{ use: 'official', family: p.family, given: [p.given] }],
    gender: p.sex,
    birthDate: p.birthDate,
    address: [{ use: 'home', line: [p.street ?? `${place.streets[0]} 1`], postalCode: place.postalCode, city: place.city, district: place.name }],
  };
}

const VERIFICATION_DISPLAY: Readonly<Record<AllergyVerification, string>> = {
  confirmed: 'Confirmed', unconfirmed: 'Unconfirmed', presumed: 'Presumed', refuted: 'Refuted', 'entered-in-error': 'Entered in Error',
};

function allergyResource(a: AllergySpec, patientRef: string, id: string): AllergyIntolerance {
  const agent: Allergen = allergenOf(a.allergen);
  const system = agent.system === 'atc' ? SYSTEM.atc : SYSTEM.snomed;
  const resource: AllergyIntolerance = {
    resourceType: 'AllergyIntolerance',
    id,
    meta: { versionId: '1', lastUpdated: at(a.recorded), profile: [KJ_PROFILE.allergy] },
    // Base FHIR ait-1/ait-2: a clinical status except when entered in error; a refuted allergy is inactive.
    ...(a.verification === 'entered-in-error'
      ? {}
      : { clinicalStatus: { coding: [{ system: SYSTEM.allergyClinical, code: a.verification === 'refuted' ? 'inactive' : 'active' }] } }),
    verificationStatus: { coding: [{ system: SYSTEM.allergyVerification, code: a.verification, display: VERIFICATION_DISPLAY[a.verification] }] },
    type: a.type ?? 'allergy',
    category: [agent.category],
    criticality: a.criticality,
    code: { coding: [{ system, code: agent.code, display: agent.display, userSelected: true }], text: agent.text },
    patient: { reference: patientRef },
    recordedDate: a.recorded,
    ...(a.reactions.length ? { reaction: [{ manifestation: a.reactions.map((r) => coded(REACTION_SYSTEM, REACTIONS[r])) }] } : {}),
  };
  if (a.note) resource.note = [{ text: a.note }];
  return resource;
}

function kjConditionResource(c: KjConditionSpec, patientRef: string, id: string): Condition {
  const def: KjConditionDef = c.kind === 'critical' ? criticalOf(c.condition) : transplantOf(c.condition);
  const verification = c.verification ?? 'confirmed';
  const category = c.kind === 'critical'
    ? { code: KJ_CATEGORY.criticalCondition, display: 'Kritisk medisinsk tilstand' }
    : { code: KJ_CATEGORY.implant, display: 'Implantat' };
  return {
    resourceType: 'Condition',
    id,
    meta: { versionId: '1', lastUpdated: at(c.recorded), profile: [c.kind === 'critical' ? KJ_PROFILE.criticalCondition : KJ_PROFILE.transplant] },
    // Base FHIR con-5: no clinical status on a condition entered in error.
    ...(verification === 'entered-in-error'
      ? {}
      : { clinicalStatus: { coding: [{ system: SYSTEM.conditionClinical, code: verification === 'refuted' ? 'inactive' : 'active' }] } }),
    verificationStatus: { coding: [{ system: SYSTEM.conditionVerification, code: verification }] },
    category: [{ coding: [{ system: KJ_CATEGORY.system, ...category }] }],
    code: coded(SYSTEM.icd10no, def.icd10, def.text),
    subject: { reference: patientRef },
    ...(c.onset ? { onsetDateTime: c.onset } : {}),
    recordedDate: c.recorded,
  };
}

const CONTAINED_DEVICE_ID = 'device';

function deviceUseResource(d: DeviceSpec, patientRef: string, id: string): DeviceUseStatement {
  const def = deviceOf(d.device);
  const device: Device = {
    resourceType: 'Device',
    id: CONTAINED_DEVICE_ID,
    deviceName: [{ name: def.text, type: 'user-friendly-name' }],
    type: coded(SYSTEM.snomed, def.snomed, def.text),
  };
  const recorded = d.recorded ?? d.implanted;
  return {
    resourceType: 'DeviceUseStatement',
    id,
    meta: { versionId: '1', lastUpdated: at(recorded), profile: [KJ_PROFILE.deviceUse] },
    contained: [device],
    status: d.status,
    subject: { reference: patientRef },
    timingDateTime: d.implanted,
    recordedOn: at(recorded),
    device: { reference: `#${CONTAINED_DEVICE_ID}`, display: def.text },
  };
}

function medicationResource(drug: Drug, id: string): Medication {
  return {
    resourceType: 'Medication',
    id,
    meta: { profile: [SFM_PROFILE.medication] },
    code: { coding: [{ system: SYSTEM.atc, code: drug.atc.code, display: drug.atc.text }], text: drug.name },
    form: coded(FORM_SYSTEM, drug.form),
  };
}

function reasonOf(diseaseKey: string | undefined): CodeableConcept[] | undefined {
  if (!diseaseKey) return undefined;
  const disease = diseaseOf(diseaseKey);
  return [disease.icpc2 ? coded(ICPC2_SYSTEM, disease.icpc2) : coded(SYSTEM.icd10no, disease.icd10)];
}

/** The SFM medication Bundle (document) of one patient's PLL. */
function pllBundle(uses: readonly MedicationUseSpec[], patient: Patient, rng: Random): Bundle {
  const patientUrl = uuidUrn(patient.id!);
  const medications = new Map<string, BundleEntry<Medication>>();
  const statements: BundleEntry<MedicationStatement>[] = [];
  for (const use of uses) {
    const drug = drugOf(use.drug);
    let med = medications.get(drug.key);
    if (!med) {
      const id = rng.uuid();
      med = { fullUrl: uuidUrn(id), resource: medicationResource(drug, id) };
      medications.set(drug.key, med);
    }
    const treatmentId = rng.uuid();
    const reason = reasonOf(use.reason);
    const statement = (id: string, status: 'active' | 'completed', start: string, end: string | undefined, partOf?: string): MedicationStatement => ({
      resourceType: 'MedicationStatement',
      id,
      meta: { profile: [SFM_PROFILE.medicationStatement] },
      identifier: [
        { system: PLL_IDENTIFIER_SYSTEM.pllId, value: rng.uuid() },
        { system: PLL_IDENTIFIER_SYSTEM.treatmentId, value: treatmentId },
        { system: PROJECT_IDENTIFIER_SYSTEM.reseptId, value: rng.uuid() },
      ],
      ...(partOf ? { partOf: [{ reference: partOf }] } : {}),
      status,
      medicationReference: { reference: med.fullUrl!, display: drug.name },
      subject: { reference: patientUrl },
      effectivePeriod: end ? { start, end } : { start },
      dateAsserted: start,
      ...(reason ? { reasonCode: reason } : {}),
      dosage: [{ text: drug.dosage, ...(drug.use === 'behov' ? { asNeededBoolean: true } : {}) }],
    });
    const headId = rng.uuid();
    const head = statement(headId, use.end ? 'completed' : 'active', use.start, use.end);
    statements.push({ fullUrl: uuidUrn(headId), resource: head });
    // Earlier links of a renewal chain: completed, each ending when the next one starts, partOf → head.
    const links = use.renewedFrom ?? [];
    links.forEach((start, i) => {
      const id = rng.uuid();
      const end = links[i + 1] ?? use.start;
      statements.push({ fullUrl: uuidUrn(id), resource: statement(id, 'completed', start, end, uuidUrn(headId)) });
    });
  }
  const compositionId = rng.uuid();
  const timestamp = at(REFERENCE_DATE, '08:00:00');
  const composition: Composition = {
    resourceType: 'Composition',
    id: compositionId,
    meta: { profile: [SFM_PROFILE.composition] },
    status: 'final',
    type: { coding: [PLL_DOCUMENT_TYPE] },
    subject: { reference: patientUrl },
    date: timestamp,
    author: [{ display: 'Sentral forskrivningsmodul (SFM)' }],
    title: 'Pasientens legemiddelliste',
    // FHIR cmp-1: a section needs entries (or text), so a PLL without treatments has no section.
    ...(statements.length > 0 ? { section: [{ title: 'Legemidler i bruk', entry: statements.map((s) => ({ reference: s.fullUrl! })) }] } : {}),
  };
  const bundleId = rng.uuid();
  return {
    resourceType: 'Bundle',
    id: bundleId,
    meta: { profile: [SFM_PROFILE.bundle] },
    identifier: { system: URI_IDENTIFIER_SYSTEM, value: uuidUrn(bundleId) },
    type: 'document',
    timestamp,
    entry: [
      { fullUrl: uuidUrn(compositionId), resource: composition },
      { fullUrl: patientUrl, resource: patient },
      ...statements,
      ...medications.values(),
    ],
  };
}

function registerRecord(register: RegisterName, patient: PatientKey, e: EpisodeSpec, episodeId: string): RegisterRecord {
  const diagnoses: RegisterDiagnosis[] = e.diagnoses.map((d) => {
    if (typeof d.disease !== 'string') {
      return { system: DIAGNOSIS_OID[d.disease.system], code: d.disease.code, text: d.disease.text, ...(d.primary ? { primary: true } : {}) };
    }
    const disease = diseaseOf(d.disease);
    const system = d.system ?? (register === 'NPR' ? 'icd10' : 'icpc2');
    const c = system === 'icpc2' ? disease.icpc2 : disease.icd10;
    if (!c) throw new Error(`disease "${disease.key}" has no ICPC-2 code`);
    return { system: DIAGNOSIS_OID[system], code: c.code, text: c.text, ...(d.primary ? { primary: true } : {}) };
  });
  const procedures: RegisterProcedure[] = (e.procedures ?? []).map((p) => {
    const def = procedureOf(p.procedure);
    return { system: PROCEDURE_OID[def.classification], code: def.code, text: def.text, ...(p.date ? { date: p.date } : {}) };
  });
  const institution = { ...(e.institution.enh ? { enh: e.institution.enh } : {}), ...(e.institution.resh ? { resh: e.institution.resh } : {}), name: e.institution.name };
  return { register, patient, episodeId, institution, start: e.start, ...(e.end ? { end: e.end } : {}), diagnoses, procedures };
}

// ---------------------------------------------------------------------------------------------------
// M1: a template built once with the message layer, filled by substitution
// ---------------------------------------------------------------------------------------------------

const SLOT = (name: string) => `{{${name}}}`;
// Reiterasjon is an xs:int in the model: a number that cannot occur elsewhere stands in for its slot.
const REITERASJON_STAND_IN = 987654321;

function m1Model(withBirthDate: boolean): MsgHead {
  const orgIdent = (id: string, v: 'ENH' | 'HER', dn: string) => ({ id, typeId: { v, s: OID_ID_TYPE_ORGANISATION, dn } });
  const model: MsgHead = {
    msgInfo: {
      type: { v: 'ERM1', dn: 'Resept' },
      migVersion: 'v1.2 2006-05-24',
      genDate: SLOT('genDate'),
      msgId: SLOT('reseptId'),
      sender: {
        organisation: {
          organisationName: SLOT('orgName'),
          ident: [orgIdent(SLOT('orgEnh'), 'ENH', 'Organisasjonsnummer i Enhetsregisteret'), orgIdent(SLOT('orgHer'), 'HER', 'HER-id')],
          address: { type: { v: 'RES', dn: 'Besøksadresse' }, streetAdr: SLOT('orgStreet'), postalCode: SLOT('orgPostalCode'), city: SLOT('orgCity') },
          healthcareProfessional: {
            typeHealthcareProfessional: { v: 'LE', dn: 'Lege' },
            familyName: SLOT('hpFamily'),
            givenName: SLOT('hpGiven'),
            ident: [{ id: SLOT('hpr'), typeId: { v: 'HPR', s: OID_ID_TYPE_PERSON, dn: 'HPR-nummer' } }],
          },
        },
      },
      receiver: {
        organisation: {
          organisationName: RESEPTFORMIDLEREN.name,
          ident: [orgIdent(RESEPTFORMIDLEREN.enh, 'ENH', 'Organisasjonsnummer i Enhetsregisteret'), orgIdent(RESEPTFORMIDLEREN.her, 'HER', 'HER-id')],
        },
      },
      patient: {
        familyName: SLOT('family'),
        givenName: SLOT('given'),
        ...(withBirthDate ? { dateOfBirth: SLOT('birthDate') } : {}),
        sex: { v: SLOT('sexV'), dn: SLOT('sexDn') },
        ident: [{ id: SLOT('personNumber'), typeId: { v: SLOT('identType'), s: OID_ID_TYPE_PERSON, dn: SLOT('identTypeDn') } }],
        address: { type: { v: 'H', dn: 'Bostedsadresse' }, streetAdr: SLOT('street'), postalCode: SLOT('postalCode'), city: SLOT('city'), county: { v: SLOT('kommunenr'), dn: SLOT('kommune') } },
      },
    },
    document: [{
      refDoc: {
        msgType: { v: 'XML', dn: 'XML-instans' },
        content: {
          resept: {
            forskrivningsdato: SLOT('written'),
            utloper: SLOT('expires'),
            reseptDokLegemiddel: {
              varegruppekode: { v: 'L', dn: 'Legemiddel' },
              antall: 1,
              reiterasjon: REITERASJON_STAND_IN,
              forskrivning: {
                bruksomrade: SLOT('indication'),
                dosVeiledEnkel: SLOT('dosage'),
                bruk: { v: SLOT('brukV'), dn: SLOT('brukDn') },
                legemiddelpakning: {
                  atc: { v: SLOT('atc'), s: kodeverkOid(KODEVERK.atc), dn: SLOT('atcDn') },
                  navnFormStyrke: SLOT('name'),
                  reseptgruppe: { v: SLOT('reseptgruppe'), dn: SLOT('reseptgruppeDn') },
                  legemiddelformKort: { v: SLOT('form'), s: kodeverkOid(KODEVERK.legemiddelform), dn: SLOT('formDn') },
                  varenr: SLOT('varenr'),
                  pakningsinfoResept: [{ varenavn: SLOT('brand'), pakningsstr: SLOT('packSize'), enhetPakning: { v: SLOT('packUnit'), s: kodeverkOid(KODEVERK.enhetForPakning), dn: SLOT('packUnitDn') } }],
                },
              },
            },
            oppdatertFest: SLOT('festUpdated'),
          },
        },
      },
    }],
  };
  return model;
}

/** An M1 template: its static parts and, between them, the names of the values to fill in. */
interface M1Template {
  readonly parts: readonly string[];
  readonly slots: readonly string[];
}

function compileTemplate(withBirthDate: boolean): M1Template {
  const xml = writeMsgHead(m1Model(withBirthDate)).replace(`>${REITERASJON_STAND_IN}<`, `>${SLOT('reiterasjon')}<`);
  const pieces = xml.split(/\{\{(\w+)\}\}/);
  return { parts: pieces.filter((_, i) => i % 2 === 0), slots: pieces.filter((_, i) => i % 2 === 1) };
}

const templates: { withBirthDate?: M1Template; withoutBirthDate?: M1Template } = {};

const XML_ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };

function escapeXml(s: string): string {
  return s.replace(/[&<>"]/g, (c) => XML_ESCAPES[c]!);
}

function fill(t: M1Template, values: Readonly<Record<string, string>>): string {
  let out = t.parts[0]!;
  for (let i = 0; i < t.slots.length; i++) {
    const v = values[t.slots[i]!];
    if (v === undefined) throw new Error(`M1 template: no value for ${t.slots[i]}`);
    out += escapeXml(v) + t.parts[i + 1]!;
  }
  return out;
}

const BRUK: Readonly<Record<Drug['use'], { v: string; dn: string }>> = {
  fast: { v: '1', dn: 'Fast' },
  kur: { v: '2', dn: 'Kur' },
  behov: { v: '3', dn: 'Ved behov' },
};

/**
 * An M1 message for one prescription, filled into a template that was written once by `writeMsgHead`
 * (cheap: string concatenation per message).
 */
export function m1Xml(person: PersonSpec, number: string, p: PrescriptionSpec, reseptId: string): string {
  const dnr = person.kind === 'dnr';
  const template = dnr
    ? (templates.withBirthDate ??= compileTemplate(true))
    : (templates.withoutBirthDate ??= compileTemplate(false));
  const drug = drugOf(p.drug);
  const prescriber = PRESCRIBERS[p.prescriber ?? 0] ?? PRESCRIBERS[0]!;
  const place = MUNICIPALITIES[person.municipality ?? 0] ?? MUNICIPALITIES[0]!;
  const bruk = BRUK[drug.use];
  return fill(template, {
    genDate: at(p.written, '10:15:00'),
    reseptId,
    orgName: prescriber.org,
    orgEnh: prescriber.enh,
    orgHer: prescriber.her,
    orgStreet: prescriber.street,
    orgPostalCode: prescriber.postalCode,
    orgCity: prescriber.city,
    hpFamily: prescriber.family,
    hpGiven: prescriber.given,
    hpr: prescriber.hpr,
    family: person.family,
    given: person.given,
    birthDate: person.birthDate,
    sexV: person.sex === 'male' ? '1' : '2',
    sexDn: person.sex === 'male' ? 'Mann' : 'Kvinne',
    personNumber: number,
    identType: dnr ? 'DNR' : 'FNR',
    identTypeDn: dnr ? 'D-nummer' : 'Fødselsnummer',
    street: person.street ?? `${place.streets[0]} 1`,
    postalCode: place.postalCode,
    city: place.city,
    kommunenr: place.kommunenr,
    kommune: place.name,
    written: p.written,
    expires: addYears(p.written, 1),
    reiterasjon: String(p.reiterasjon ?? 0),
    indication: drug.indication,
    dosage: drug.dosage,
    brukV: bruk.v,
    brukDn: bruk.dn,
    atc: drug.atc.code,
    atcDn: drug.atc.text,
    name: drug.name,
    reseptgruppe: drug.reseptgruppe,
    reseptgruppeDn: `Reseptgruppe ${drug.reseptgruppe}`,
    form: drug.form.code,
    formDn: drug.form.text,
    varenr: drug.varenr,
    brand: drug.brand,
    packSize: drug.packSize,
    packUnit: drug.packUnit.code,
    packUnitDn: drug.packUnit.text,
    festUpdated: at(p.written, '06:00:00'),
  });
}

/**
 * Builds a patient's data for all five sources from its spec.
 * @param rng the source of ids; default: seeded from the slug, so a hand-written scenario is stable
 */
export function buildPatient(spec: PatientSpec, rng: Random = new Random(hashString(spec.slug))): PatientSourceData {
  const person = spec.person;
  const number = personNumber(person);
  const patient = kjPatient(person, number, rng.uuid());
  const patientRef = `Patient/${patient.id}`;
  const resources: KjernejournalResource[] = [
    ...(spec.allergies ?? []).map((a) => allergyResource(a, patientRef, rng.uuid())),
    ...(spec.kjConditions ?? []).map((c) => kjConditionResource(c, patientRef, rng.uuid())),
    ...(spec.devices ?? []).map((d) => deviceUseResource(d, patientRef, rng.uuid())),
  ];
  const bundle = spec.pll ? pllBundle(spec.pll, patient, rng) : undefined;
  // In ReseptId order, as a folder lists them, so that a patient read back from its folder is equal.
  const prescriptions: ActivePrescription[] = (spec.prescriptions ?? []).map((p) => {
    const reseptId = rng.uuid();
    return { reseptId, m1Xml: m1Xml(person, number, p, reseptId) };
  }).sort((a, b) => (a.reseptId < b.reseptId ? -1 : 1));
  const key: PatientKey = { system: patient.identifier![0]!.system!, value: number };
  const records = (register: RegisterName, episodes: readonly EpisodeSpec[] | undefined) =>
    (episodes ?? []).map((e) => registerRecord(register, key, e, `${register.toLowerCase()}-${rng.uuid()}`));
  return {
    slug: spec.slug,
    key,
    data: {
      kjernejournal: { patient, resources },
      pll: bundle ? { bundle } : {},
      reseptformidleren: { prescriptions },
      npr: { records: records('NPR', spec.npr) },
      kpr: { records: records('KPR', spec.kpr) },
    },
  };
}

// ---------------------------------------------------------------------------------------------------
// The seeded generator
// ---------------------------------------------------------------------------------------------------

/** Options of {@link generatePatients}. */
export interface GeneratePatientsOptions {
  /** Any 32-bit integer; the same seed gives the same patients. */
  readonly seed: number;
  /** How many patients. */
  readonly count: number;
  /** Index of the first patient (default 0): patient `i` is the same whatever the start. */
  readonly startIndex?: number;
}

// Birth dates span 95 years before the reference date, so every (day, sex) pair is one identity slot.
const FIRST_BIRTH_DAY = REFERENCE_DAY - Math.floor(95 * 365.25);
const SLOTS = (REFERENCE_DAY - FIRST_BIRTH_DAY) * 2;
/** Sequences below this are the generator's; hand-written scenarios use higher ones, so no number is shared. */
export const GENERATED_SEQUENCE_LIMIT = 50;

// A keyed permutation of [0, 2^18) (a 4-round Feistel network), walked until it lands inside [0, SLOTS):
// a shuffled but one-to-one index → slot map, so identities look random yet never repeat within a seed.
const HALF_BITS = 9;
const HALF_MASK = (1 << HALF_BITS) - 1;

function feistel(x: number, keys: readonly number[]): number {
  let left = x >>> HALF_BITS;
  let right = x & HALF_MASK;
  for (const key of keys) {
    const next = left ^ (mix32(right, key) & HALF_MASK);
    left = right;
    right = next;
  }
  return (left << HALF_BITS) | right;
}

function identitySlot(keys: readonly number[], index: number): { day: number; sex: 'male' | 'female'; sequence: number } {
  let slot = index % SLOTS;
  do slot = feistel(slot, keys); while (slot >= SLOTS);
  return { day: FIRST_BIRTH_DAY + (slot >> 1), sex: slot & 1 ? 'male' : 'female', sequence: Math.floor(index / SLOTS) };
}

function slotKeys(seed: number): number[] {
  return [1, 2, 3, 4].map((round) => mix32(seed, round));
}

function randomDay(rng: Random, from: number, to: number): string {
  return isoDate(from >= to ? from : rng.int(from, to));
}

interface DiseaseCourse {
  readonly disease: Disease;
  readonly onset: number;
}

function drawDiseases(rng: Random, age: number, birthDay: number): DiseaseCourse[] {
  const eligible = DISEASES.filter((d) => d.weight > 0 && age >= d.minAge && (d.maxAge === undefined || age - 5 <= d.maxAge));
  const chronic = eligible.filter((d) => d.chronic);
  const acute = eligible.filter((d) => !d.chronic);
  const out: DiseaseCourse[] = [];
  const taken = new Set<string>();
  const add = (pool: readonly Disease[], n: number) => {
    for (let i = 0; i < n && pool.length > 0; i++) {
      const d = rng.weighted(pool, (x) => x.weight);
      if (taken.has(d.key) && d.chronic) continue;
      taken.add(d.key);
      const first = Math.max(birthDay + d.minAge * 365, birthDay);
      const last = d.maxAge === undefined ? REFERENCE_DAY - 1 : Math.min(REFERENCE_DAY - 1, birthDay + (d.maxAge + 1) * 365);
      out.push({ disease: d, onset: rng.int(Math.min(first, last), last) });
    }
  };
  add(chronic, rng.poisson(Math.max(0, (age - 15) / 22)));
  add(acute, rng.poisson(0.6 + age / 40));
  return out.sort((x, y) => x.onset - y.onset);
}

function episodesFor(rng: Random, course: DiseaseCourse, others: readonly DiseaseCourse[]): { npr: EpisodeSpec[]; kpr: EpisodeSpec[]; implanted?: string } {
  const { disease, onset } = course;
  const npr: EpisodeSpec[] = [];
  const kpr: EpisodeSpec[] = [];
  let implanted: string | undefined;
  const gp = rng.pick(PRIMARY_CARE);
  if (disease.icpc2) {
    const contacts = disease.chronic ? 1 + Math.min(9, rng.poisson((REFERENCE_DAY - onset) / 365)) : rng.int(1, 2);
    for (let i = 0; i < contacts; i++) {
      const day = i === 0 ? onset : rng.int(onset, REFERENCE_DAY - 1);
      kpr.push({ institution: rng.chance(0.85) ? gp : rng.pick(PRIMARY_CARE), start: isoDate(day), diagnoses: [{ disease: disease.key, primary: true }] });
    }
    // A municipal acute unit (KAD) reports ICD-10 to KPR: the register rule that lets KPR carry ICD-10.
    if (!disease.chronic && rng.chance(0.03)) {
      const start = onset + 1;
      kpr.push({ institution: MUNICIPAL_ACUTE_UNIT, start: isoDate(start), end: isoDate(start + rng.int(1, 4)), diagnoses: [{ disease: disease.key, system: 'icd10', primary: true }] });
    }
  }
  if (rng.chance(disease.nprShare)) {
    const hospital = rng.pick(HOSPITALS);
    const count = disease.chronic ? rng.int(1, 4) : 1;
    for (let i = 0; i < count; i++) {
      const start = i === 0 ? onset + rng.int(0, 30) : rng.int(onset, REFERENCE_DAY - 1);
      if (start >= REFERENCE_DAY) continue;
      const inpatient = !disease.chronic || i === 0;
      const end = Math.min(REFERENCE_DAY - 1, start + (inpatient ? rng.int(0, 6) : 0));
      const secondary = others.filter((o) => o.disease.chronic && o.onset < start && o.disease !== disease && rng.chance(0.3));
      const procedures = i === 0 && disease.procedures ? disease.procedures.map((p) => ({ procedure: p })) : [];
      if (i === 0 && disease.device) implanted = isoDate(start);
      npr.push({
        institution: hospital,
        start: isoDate(start),
        end: isoDate(end),
        diagnoses: [{ disease: disease.key, primary: true }, ...secondary.map((o) => ({ disease: o.disease.key }))],
        procedures,
      });
    }
  }
  return { npr, kpr, ...(implanted ? { implanted } : {}) };
}

const VERIFICATIONS: readonly { v: AllergyVerification; w: number }[] = [
  { v: 'confirmed', w: 70 }, { v: 'unconfirmed', w: 9 }, { v: 'presumed', w: 8 }, { v: 'refuted', w: 8 }, { v: 'entered-in-error', w: 5 },
];
const DRUG_REACTIONS: readonly ReactionKey[] = ['anafylaksi', 'angioodem', 'hudreaksjon', 'tungPust', 'blodtrykksfall', 'mageTarm', 'sjs', 'annenMindre'];
const OTHER_REACTIONS: readonly ReactionKey[] = ['anafylaksi', 'angioodem', 'larynxodem', 'astma', 'hudreaksjon', 'irritasjon'];

function drawAllergies(rng: Random, birthDay: number): AllergySpec[] {
  const n = rng.chance(0.22) ? 1 + rng.poisson(0.4) : 0;
  const out: AllergySpec[] = [];
  const used = new Set<string>();
  for (let i = 0; i < n; i++) {
    const drug = rng.chance(0.7);
    const allergen = rng.pick(drug ? DRUG_ALLERGENS : OTHER_ALLERGENS);
    if (used.has(allergen.key)) continue;
    used.add(allergen.key);
    const severe = rng.chance(0.35);
    const reactions = rng.chance(0.2)
      ? [rng.pick(drug ? DRUG_REACTIONS : OTHER_REACTIONS), rng.pick(drug ? DRUG_REACTIONS : OTHER_REACTIONS)].filter((r, j, a) => a.indexOf(r) === j)
      : [severe ? 'anafylaksi' as const : rng.pick(drug ? DRUG_REACTIONS : OTHER_REACTIONS)];
    out.push({
      allergen: allergen.key,
      reactions,
      criticality: severe ? 'high' : rng.chance(0.85) ? 'low' : 'unable-to-assess',
      verification: rng.weighted(VERIFICATIONS, (x) => x.w).v,
      recorded: randomDay(rng, Math.max(birthDay + 365, dayNumber('2014-01-01')), REFERENCE_DAY - 1),
      ...(drug ? {} : { type: rng.chance(0.9) ? 'allergy' : 'intolerance' }),
    });
  }
  return out;
}

function medicationsFor(rng: Random, courses: readonly DiseaseCourse[], age: number): { current: { drug: Drug; since: number; reason: string }[]; ended: { drug: Drug; start: number; end: number; reason: string }[] } {
  const current: { drug: Drug; since: number; reason: string }[] = [];
  const ended: { drug: Drug; start: number; end: number; reason: string }[] = [];
  const seen = new Set<string>();
  for (const { disease, onset } of courses) {
    const drugs = disease.drugs.map(drugOf).filter((d) => age >= 12 || !['metformin', 'ibuprofen', 'paracetamol'].includes(d.key));
    if (drugs.length === 0) continue;
    if (disease.chronic) {
      const n = Math.min(drugs.length, rng.int(1, 2));
      for (const d of drugs.slice(0, n)) {
        if (seen.has(d.key)) continue;
        seen.add(d.key);
        current.push({ drug: d, since: onset + rng.int(0, 60), reason: disease.key });
      }
    } else {
      const d = drugs[0]!;
      if (seen.has(d.key)) continue;
      const start = onset + rng.int(0, 2);
      if (start >= REFERENCE_DAY) continue;
      seen.add(d.key);
      const end = start + (d.use === 'kur' ? rng.int(5, 10) : rng.int(14, 90));
      if (end < REFERENCE_DAY - 1) ended.push({ drug: d, start, end, reason: disease.key });
      else current.push({ drug: d, since: start, reason: disease.key });
    }
  }
  return { current, ended };
}

function randomSpec(rng: Random, keys: readonly number[], index: number): PatientSpec {
  const slot = identitySlot(keys, index);
  const birthDate = isoDate(slot.day);
  const age = ageAt(birthDate, REFERENCE_DATE);
  const kind = age >= 18 && age <= 65 && rng.chance(0.04) ? 'dnr' : 'fnr';
  const municipality = rng.int(0, MUNICIPALITIES.length - 1);
  const place = MUNICIPALITIES[municipality]!;
  const person: PersonSpec = {
    given: rng.pick(GIVEN_NAMES[slot.sex]),
    family: rng.pick(FAMILY_NAMES),
    sex: slot.sex,
    birthDate,
    kind,
    sequence: slot.sequence,
    municipality,
    street: `${rng.pick(place.streets)} ${rng.int(1, 120)}`,
  };
  const courses = drawDiseases(rng, age, slot.day);
  const npr: EpisodeSpec[] = [];
  const kpr: EpisodeSpec[] = [];
  const devices: DeviceSpec[] = [];
  for (const course of courses) {
    const e = episodesFor(rng, course, courses);
    npr.push(...e.npr);
    kpr.push(...e.kpr);
    if (e.implanted && course.disease.device && rng.chance(0.85)) {
      devices.push({ device: course.disease.device, implanted: e.implanted, status: rng.chance(0.1) ? 'completed' : rng.chance(0.04) ? 'entered-in-error' : 'active' });
    }
  }
  const kjConditions: KjConditionSpec[] = [];
  if (rng.chance(0.015)) {
    const def = rng.pick(CRITICAL_CONDITIONS);
    kjConditions.push({ kind: 'critical', condition: def.key, recorded: randomDay(rng, Math.max(slot.day + 180, dayNumber('2014-01-01')), REFERENCE_DAY - 1), verification: rng.chance(0.08) ? 'refuted' : 'confirmed' });
  }
  if (age >= 18 && rng.chance(0.005)) {
    const def = rng.pick(TRANSPLANTS);
    kjConditions.push({ kind: 'transplant', condition: def.key, recorded: randomDay(rng, Math.max(slot.day + 18 * 365, dayNumber('2014-01-01')), REFERENCE_DAY - 1) });
  }
  const { current, ended } = medicationsFor(rng, courses, age);
  const hasMeds = current.length + ended.length > 0;
  const route = hasMeds ? rng.next() : 1;
  let pll: MedicationUseSpec[] | undefined;
  let prescriptions: PrescriptionSpec[] | undefined;
  if (route < 0.6 || (!hasMeds && rng.chance(0.08))) {
    pll = [
      ...current.map((m) => {
        // A treatment older than a year has been renewed: earlier prescriptions form a renewal chain.
        const years = Math.floor((REFERENCE_DAY - m.since) / 365);
        const renewals = Math.min(years, rng.chance(0.35) ? rng.int(1, 3) : 0);
        const headStart = renewals > 0 ? REFERENCE_DAY - rng.int(20, 330) : m.since;
        const renewedFrom = Array.from({ length: renewals }, (_, i) => isoDate(headStart - (renewals - i) * 365));
        return { drug: m.drug.key, start: isoDate(headStart), reason: m.reason, ...(renewals > 0 ? { renewedFrom } : {}) };
      }),
      ...ended.map((m) => ({ drug: m.drug.key, start: isoDate(m.start), end: isoDate(m.end), reason: m.reason })),
    ];
  } else if (route < 0.95) {
    prescriptions = current.map((m) => ({
      drug: m.drug.key,
      written: isoDate(REFERENCE_DAY - rng.int(3, 120)),
      reiterasjon: m.drug.use === 'kur' ? 0 : rng.int(0, 3),
      prescriber: rng.int(0, PRESCRIBERS.length - 1),
    }));
  }
  return {
    slug: `generated-${String(index).padStart(6, '0')}`,
    person,
    allergies: drawAllergies(rng, slot.day),
    kjConditions,
    devices,
    ...(pll ? { pll } : {}),
    ...(prescriptions ? { prescriptions } : {}),
    npr: npr.sort((x, y) => x.start.localeCompare(y.start)),
    kpr: kpr.sort((x, y) => x.start.localeCompare(y.start)),
  };
}

/**
 * Streams synthetic patients: patient `i` depends only on (seed, i), so a stream can start anywhere and
 * nothing is held. Identities are unique within a seed (different from the hand-written scenarios').
 * @example for (const p of generatePatients({ seed: 42, count: 100_000 })) load(p);
 */
export function* generatePatients(options: GeneratePatientsOptions): Generator<PatientSourceData> {
  const start = options.startIndex ?? 0;
  const keys = slotKeys(options.seed >>> 0);
  for (let i = start; i < start + options.count; i++) {
    const rng = new Random(mix32(options.seed, i));
    yield buildPatient(randomSpec(rng, keys, i), rng);
  }
}
