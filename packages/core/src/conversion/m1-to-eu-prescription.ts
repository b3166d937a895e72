/**
 * Step 1, outward: a Norwegian M1 Resept → an EU ePrescription (FHIR R4 collection Bundle per HL7 Europe
 * MPD 1.0.0): MedicationRequest, Medication, Patient, Practitioner, PractitionerRole, Organization.
 * Done only when the prescription is to be dispensed abroad; the result says what to record as
 * "released to the EU" so that the dispensation coming back can be matched.
 *
 * Field by field (docs/conversion.md has the table):
 * - ReseptId (MsgId) → MedicationRequest.identifier; Forskrivningsdato → authoredOn;
 *   Forskrivningsdato–Utloper → dispenseRequest.validityPeriod; Reiterasjon → numberOfRepeatsAllowed;
 *   Antall (packages) or Mengde → prescribedQuantity extension; BytteresRekvirent → substitution.allowedBoolean;
 *   RefKode → reasonCode; Bruk → courseOfTherapyType / asNeeded; Merknad → note.
 * - the product → Medication (see eu-medication.ts); the dosage → dosageInstruction (see eu-dosage.ts);
 * - MsgHead Patient → Patient; Sender HealthcareProfessional + Organisation → Practitioner,
 *   PractitionerRole (requester), Organization (see eu-parties.ts).
 */
import type { Bundle, BundleEntry, CodeableConcept, MedicationRequest, OperationOutcome, Resource } from '@medplum/fhirtypes';
import type { M1Message } from '../eresept/messages.js';
import type { ReseptDokLegemiddel } from '../eresept/m1/resept.js';
import type { Organisation, Patient as MsgHeadPatient } from '../eresept/msghead.js';
import { defaultConceptMaps, type ConceptMapIndex } from '../terminology/concept-maps.js';
import { ACTIONABLE_TAG, EXTENSION, MPD_PROFILE, PROJECT_IDENTIFIER_SYSTEM, SYSTEM, URI_IDENTIFIER_SYSTEM, volvenSystem } from '../terminology/fhir-systems.js';
import { KODEVERK } from '../terminology/oids.js';
import { coding, csCoding, cvSystem, originalCoding, quantity, type CodeContext } from './coded-values.js';
import { euDosage } from './eu-dosage.js';
import { euMedication } from './eu-medication.js';
import { euPatient, euPrescriber } from './eu-parties.js';
import { msgHeadXPath, reseptPath, sweepMsgHead } from './m1-paths.js';
import { below } from './covered-paths.js';
import { ConversionReport, type SourcePath } from './report.js';
import { norwegianDate } from './norwegian-date.js';
import { stableUrns, uuidOfUrn } from './stable-id.js';

/** Options for {@link convertM1ToEuPrescription}. */
export interface M1ToEuOptions {
  /** The conversion time (Bundle.timestamp, expiry check). Default: now. */
  readonly now?: Date;
  /** Code mappings; default: the project's ConceptMaps. */
  readonly maps?: ConceptMapIndex;
}

/** What the caller records when a prescription is released to the EU (the dispensation must match it). */
export interface ReleasedPrescription {
  readonly reseptId: string;
  /** The patient as the M1 names them (for the M10 that comes back). */
  readonly patient: MsgHeadPatient;
  /** Reseptformidleren as the M1 addressed it (the receiver of the M10 that comes back). */
  readonly reseptformidleren: Organisation;
  /** The prescribed product, quantities and repeats, as in the M1. */
  readonly reseptDokLegemiddel: ReseptDokLegemiddel;
  readonly forskrivningsdato: string;
  readonly utloper: string;
  readonly tidligsteUtlevering?: string;
  /** When it was released (ISO date-time). */
  readonly releasedAt: string;
}

/** The EU ePrescription, its conversion report, and the release record (absent when refused). */
export interface EuPrescriptionResult {
  readonly bundle: Bundle;
  readonly report: OperationOutcome;
  /** XPath of every source field the conversion accounted for (carried, approximated or reported); computed on call. */
  readonly accounted: () => readonly string[];
  readonly release?: ReleasedPrescription;
}

/** A MedicationRequest identifier for a ReseptId. */
export function reseptIdIdentifier(reseptId: string) {
  return { use: 'official' as const, type: { text: 'ReseptId' }, system: PROJECT_IDENTIFIER_SYSTEM.reseptId, value: reseptId };
}

const REASON_SYSTEMS: Record<string, string> = {
  [volvenSystem(KODEVERK.icpc2)]: SYSTEM.icpc2,
  [volvenSystem(KODEVERK.icd10)]: SYSTEM.icd10no,
};

const COURSE = volvenSystem(KODEVERK.legemiddelbruk);
const AS_NEEDED_BRUK = '3';
const BYTTERESERVASJON_JA = '1';
const NO_EU_ELEMENT = 'the EU ePrescription (MPD) has no element for it';

/** Checks that refuse a release: the caller answers 422 with the report. */
function refusals(m1: M1Message, base: SourcePath, report: ConversionReport, now: Date): void {
  const r = m1.resept;
  if (!r.reseptDokLegemiddel) {
    report.refuse(below(base, 'reseptDokHandelsvare'), 'not-supported', 'only medicinal products (ReseptDokLegemiddel) can be dispensed abroad through MyHealth@EU; this is a prescription for a commercial product (handelsvare)');
  }
  // Utloper is a date in Norway: the prescription has expired when that date has passed there.
  if (r.utloper.slice(0, 10) < norwegianDate(now)) {
    report.refuse(below(base, 'utloper'), 'business-rule', `the prescription expired on ${r.utloper} and cannot be released for dispensing abroad`);
  }
  const ids = m1.msgHead.msgInfo.patient?.ident ?? [];
  if (!ids.some((i) => i.typeId.v === 'FNR' || i.typeId.v === 'DNR')) {
    report.refuse(['msgInfo', 'patient', 'ident'], 'required', 'the patient has no fødselsnummer or D-nummer, so a dispensation abroad could not be matched to them');
  }
}

/**
 * Converts a read M1 into an EU ePrescription Bundle with its report.
 * @example
 * const m1 = readM1OrThrow(xml, { allowSyntheticIdentities: true });
 * const { bundle, report, release } = convertM1ToEuPrescription(m1, { now: new Date() });
 */
export function convertM1ToEuPrescription(m1: M1Message, options: M1ToEuOptions = {}): EuPrescriptionResult {
  const now = options.now ?? new Date();
  const nowIso = now.toISOString();
  const report = new ConversionReport(msgHeadXPath());
  const ctx: CodeContext = { maps: options.maps ?? defaultConceptMaps(), report };
  const base = reseptPath(m1);
  const urns = stableUrns('eu-eprescription', m1.reseptId);
  const id = urns.of;
  refusals(m1, base, report, now);

  const r = m1.resept;
  const dok = r.reseptDokLegemiddel;
  const dokPath: SourcePath = below(base, 'reseptDokLegemiddel');
  const entries: BundleEntry[] = [];
  const add = (fullUrl: string, resource: Resource) => entries.push({ fullUrl, resource });

  const patientUrl = id('Patient');
  const patient = m1.msgHead.msgInfo.patient;
  if (patient) add(patientUrl, euPatient(patient, ['msgInfo', 'patient'], ctx));

  const prescriber = euPrescriber(m1.msgHead.msgInfo.sender.organisation, ['msgInfo', 'sender', 'organisation'], r.spesialitet, below(base, 'spesialitet'), ctx, id);
  for (const e of prescriber.entries) entries.push(e);

  const request: MedicationRequest = {
    resourceType: 'MedicationRequest',
    meta: { profile: [MPD_PROFILE.medicationRequest], tag: [{ ...ACTIONABLE_TAG }] },
    identifier: [reseptIdIdentifier(m1.reseptId)],
    status: 'active',
    intent: 'order',
    subject: { reference: patientUrl },
    authoredOn: r.forskrivningsdato,
    requester: { reference: prescriber.roleUrl },
    dispenseRequest: { validityPeriod: { start: r.tidligsteUtlevering ?? r.forskrivningsdato, end: r.utloper } },
  };
  report.carried(['msgInfo', 'msgId'], below(base, 'forskrivningsdato'), below(base, 'utloper'));
  if (r.tidligsteUtlevering) report.carriedFields(base, 'tidligsteUtlevering');

  if (dok) {
    const medicationUrl = id('Medication');
    const medication = euMedication(dok.forskrivning, below(dokPath, 'forskrivning'), ctx);
    add(medicationUrl, medication.resource);
    request.medicationReference = { reference: medicationUrl };
    if (medication.notes.length > 0) request.note = medication.notes.map((text) => ({ text }));
    prescriptionFields(dok, dokPath, request, ctx);
    const dosage = euDosage(dok.forskrivning, below(dokPath, 'forskrivning'), ctx);
    if (dosage.dosages.length > 0) request.dosageInstruction = dosage.dosages;
    if (dosage.rendered) request.extension = [{ url: EXTENSION.renderedDosageInstruction, valueMarkdown: dosage.rendered }];
  }
  entries.unshift({ fullUrl: id('MedicationRequest'), resource: request });

  report.carried(['msgInfo', 'type'], ['msgInfo', 'migVersion']);
  sweepMsgHead(m1.msgHead, report, NO_EU_ELEMENT);

  const bundleUrn = urns.urn;
  const bundle: Bundle = {
    resourceType: 'Bundle',
    id: uuidOfUrn(bundleUrn),
    identifier: { system: URI_IDENTIFIER_SYSTEM, value: bundleUrn },
    type: 'collection',
    timestamp: nowIso,
    entry: entries,
  };
  const release: ReleasedPrescription | undefined = report.refused || !dok || !patient
    ? undefined
    : {
        reseptId: m1.reseptId,
        patient,
        reseptformidleren: m1.msgHead.msgInfo.receiver.organisation,
        reseptDokLegemiddel: dok,
        forskrivningsdato: r.forskrivningsdato,
        utloper: r.utloper,
        ...(r.tidligsteUtlevering ? { tidligsteUtlevering: r.tidligsteUtlevering } : {}),
        releasedAt: nowIso,
      };
  return { bundle, report: report.toOperationOutcome(), accounted: () => report.coveredLocations(), ...(release ? { release } : {}) };
}

/** Quantities, repeats, substitution, reason, course of therapy and note of the prescription document. */
function prescriptionFields(dok: ReseptDokLegemiddel, path: SourcePath, request: MedicationRequest, ctx: CodeContext): void {
  const dr = request.dispenseRequest ?? {};
  request.dispenseRequest = dr;
  dr.numberOfRepeatsAllowed = dok.reiterasjon;
  ctx.report.carriedFields(path, 'reiterasjon');

  if (dok.antall !== undefined) {
    // Antall counts packages of the prescribed package (MPD: "number of packages when Medication implies a pack size").
    dr.extension = [{ url: EXTENSION.prescribedQuantity, valueQuantity: { value: dok.antall, unit: 'package', system: SYSTEM.ucum, code: '{package}' } }];
    ctx.report.carriedFields(path, 'antall');
  } else if (dok.mengde) {
    const q = quantity(dok.mengde, below(path, 'mengde'), 'Mengde', ctx);
    dr.extension = [{ url: EXTENSION.prescribedQuantity, valueQuantity: q }];
    dr.quantity = q;
  }
  if (dok.antall !== undefined && dok.mengde) {
    ctx.report.notCarried(below(path, 'mengde'), 'the amount in all (Mengde) beside the number of packages (Antall): the prescribed quantity is the packages, and one quantity is all MPD has');
  }

  const reserved = dok.bytteresRekvirent?.v === BYTTERESERVASJON_JA;
  request.substitution = { allowedBoolean: !reserved };
  if (dok.bytteresRekvirent) ctx.report.carriedFields(path, 'bytteresRekvirent');

  if (dok.refKode) {
    const system = cvSystem(dok.refKode);
    const fhirSystem = system ? REASON_SYSTEMS[system] : undefined;
    const reason: CodeableConcept = { coding: [fhirSystem ? coding(fhirSystem, dok.refKode.v, dok.refKode.dn) : originalCoding(dok.refKode)] };
    if (dok.refKode.dn) reason.text = dok.refKode.dn;
    request.reasonCode = [reason];
    if (fhirSystem) ctx.report.carriedFields(path, 'refKode');
    else ctx.report.approximated(below(path, 'refKode'), 'a reimbursement code list (not a diagnosis code system) is carried as reason with its Norwegian system');
  }
  if (dok.refHjemmel) ctx.report.notCarried(below(path, 'refHjemmel'), 'Norwegian reimbursement (refusjonshjemmel) does not apply abroad');

  const bruk = dok.forskrivning.bruk;
  if (bruk?.v) {
    const t = ctx.maps.translate(COURSE, bruk.v, SYSTEM.courseOfTherapy)[0];
    if (t) {
      request.courseOfTherapyType = { coding: [coding(t.system, t.code, t.display), csCoding(bruk, KODEVERK.legemiddelbruk)] };
      ctx.report.carried(below(path, 'forskrivning', 'bruk'));
    } else if (bruk.v !== AS_NEEDED_BRUK) {
      ctx.report.notCarried(below(path, 'forskrivning', 'bruk'), `use "${bruk.dn ?? bruk.v}" has no course-of-therapy code`);
    }
  }
  if (dok.merknad) {
    request.note = [...(request.note ?? []), { text: dok.merknad }];
    ctx.report.carriedFields(path, 'merknad');
  }
  ctx.report.carriedFields(path, 'varegruppekode');
}
