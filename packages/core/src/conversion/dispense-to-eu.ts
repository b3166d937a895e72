/**
 * Step 1, back to the prescribing country: a Norwegian pharmacy dispenses an EU prescription and reports
 * it the way Norwegian pharmacy systems do, as an M10-style Utleveringsrapport whose ReseptId is the EU
 * prescription's id. It becomes an EU eDispensation: MedicationDispense-eu-mpd with the Norwegian
 * pharmacy (organisation number, licence AKO) and pharmacist (HPR) as performer, quantity in packages,
 * whenHandedOver, `recorded`, authorizingPrescription = the EU prescription's identifier, substitution,
 * and the Norwegian product as Medication (EDQM/ATC).
 */
import type { Bundle, BundleEntry, Medication, MedicationDispense, MedicationRequest, OperationOutcome, Patient, Practitioner, PractitionerRole } from '@medplum/fhirtypes';
import type { M10Message } from '../eresept/messages.js';
import { ORGANISATION_ID_TYPES } from '../eresept/msghead.js';
import { defaultConceptMaps, type ConceptMapIndex } from '../terminology/concept-maps.js';
import { EXTENSION, MPD_PROFILE, PROJECT_IDENTIFIER_SYSTEM, SYSTEM, URI_IDENTIFIER_SYSTEM } from '../terminology/fhir-systems.js';
import { IDENTIFIER_SYSTEM } from '../terminology/oids.js';
import { activeDispensings } from './active-dispensings.js';
import type { CodeContext } from './coded-values.js';
import { euMedication } from './eu-medication.js';
import { euPrescriptionIdentifier } from './eu-prescription-id.js';
import { familyNamesAgree } from './family-name.js';
import { organization } from './eu-parties.js';
import { bundleFhirPath, entriesOfType, repeatedFullUrl, repeatedFullUrlMessage, resolveInBundle } from './fhir-bundle.js';
import { contentPath, msgHeadXPath, sweepMsgHead } from './m1-paths.js';
import { below } from './covered-paths.js';
import { ConversionReport, type SourcePath } from './report.js';
import { prescribedQuantity } from './eu-prescribed-quantity.js';
import { substitutionAllowed } from './eu-substitution.js';
import { isPackageQuantity } from './package-quantity.js';
import { stableUrns } from './stable-id.js';
import { Refused, refuse, type RefusalKind } from './refusal.js';

/** A dispensing of an EU prescription already made in Norway. */
export interface NorwegianDispensing {
  readonly dispenseKey: string;
  readonly packages: number;
  readonly annulment: boolean;
  /** MsgId of the M10 it annuls, for an annulment. */
  readonly annuls?: string;
}

/** Options for {@link convertDispenseToEu}. */
export interface DispenseToEuOptions {
  readonly previous: readonly NorwegianDispensing[];
  readonly now?: Date;
  readonly maps?: ConceptMapIndex;
}

/** The EU eDispensation with its report and what to store, or the refusal. */
export type DispenseToEuResult =
  | {
      readonly ok: true;
      readonly bundle: Bundle;
      readonly report: OperationOutcome;
      readonly prescriptionId: string;
      /** The dispensing date (Utleveringsdato as a calendar date, without a time zone). */
      readonly dispensedOn: string;
      readonly stored: NorwegianDispensing;
      /** XPath of every source field the conversion accounted for; computed on call. */
      readonly accounted: () => readonly string[];
    }
  | { readonly ok: false; readonly refusal: RefusalKind; readonly report: OperationOutcome };

const VALGT_ANNEN_VARE = 'V';
const EPSILON = 1e-9;


/** FHIR dateTime of a MsgHead GenDate: kept when it has a zone, else only its date (a time needs a zone in FHIR). */
function recordedOf(genDate: string, path: SourcePath, report: ConversionReport): string {
  if (/(Z|[+-]\d{2}:\d{2})$/.test(genDate)) {
    report.carried(path);
    return genDate;
  }
  report.approximated(path, 'GenDate has no time zone; only its date is carried as `recorded`');
  return genDate.slice(0, 10);
}

/** A calendar date of our era, with or without the time zone xs:date allows. */
const CALENDAR_DATE = /^(\d{4}-\d{2}-\d{2})(?:Z|[+-]\d{2}:\d{2})?$/;

/** An HPR number (Helsepersonellregisteret): digits only. */
const HPR_NUMBER = /^\d{1,9}$/;

/**
 * Converts a Norwegian pharmacy's dispensing (M10) of an EU prescription into an EU eDispensation.
 * @param prescription the EU ePrescription Bundle that was dispensed
 * @param m10 the pharmacy's dispensing report, read with `readM10`
 */
export function convertDispenseToEu(prescription: Bundle, m10: M10Message, options: DispenseToEuOptions): DispenseToEuResult {
  const report = new ConversionReport(msgHeadXPath());
  const ctx: CodeContext = { maps: options.maps ?? defaultConceptMaps(), report };
  const now = options.now ?? new Date();
  const base = contentPath(m10.msgHead, 'utleveringsrapport', m10.utleveringsrapport);
  const uPath: SourcePath = below(base, 'utlevering');
  const u = m10.utleveringsrapport.utlevering;
  try {
    const repeated = repeatedFullUrl(prescription);
    if (repeated) refuse('invalid', 'structure', ['entry', repeated.index, 'fullUrl'], repeatedFullUrlMessage(repeated.first), bundleFhirPath);
    const requests = entriesOfType<MedicationRequest>(prescription, 'MedicationRequest');
    // Refusals about the prescription point into its Bundle (FHIRPath), the others into the M10 (XPath).
    if (requests.length !== 1) refuse('invalid', 'structure', ['entry'], 'the prescription Bundle must hold exactly one MedicationRequest', bundleFhirPath);
    const { resource: mr, path: mrPath } = requests[0]!;
    const euId = euPrescriptionIdentifier(mr);
    if (!euId?.value) refuse('invalid', 'required', below(mrPath, 'identifier'), 'the EU MedicationRequest has no identifier to refer to', bundleFhirPath);
    if (u.reseptId !== euId.value) refuse('business-rule', 'business-rule', below(uPath, 'reseptId'), `the dispensing refers to ${u.reseptId}, not to the EU prescription ${euId.value}`);
    report.carriedFields(uPath, 'reseptId');
    if (!mr.status) refuse('invalid', 'required', below(mrPath, 'status'), 'the EU MedicationRequest has no status (FHIR requires one)', bundleFhirPath);
    if (mr.status !== 'active') refuse('business-rule', 'business-rule', below(mrPath, 'status'), `the EU prescription has status ${mr.status} and cannot be dispensed`, bundleFhirPath);

    // xs:date also allows a time zone: the dispensing date is the calendar date as written, which is compared
    // with the validity dates and stored. (Years outside 0001–9999 are refused by the M10 reader; an M10
    // built in code is held to the same four digits here.)
    const dispensedOn = CALENDAR_DATE.exec(u.utleveringsdato)?.[1];
    if (!dispensedOn) refuse('invalid', 'value', below(uPath, 'utleveringsdato'), `Utleveringsdato "${u.utleveringsdato}" is not a calendar date (YYYY-MM-DD)`);
    report.carriedFields(uPath, 'utleveringsdato');
    const key = `${m10.msgHead.msgInfo.msgId}`;
    let packages = 0;
    // The MedicationDispense's identifier: the dispensing's MsgId; an annulment names the dispensing it annuls.
    let dispenseId = key;
    if (u.annullering) {
      const original = options.previous.find((p) => p.dispenseKey === u.annulleringsId && !p.annulment);
      if (!original) refuse('business-rule', 'business-rule', below(uPath, 'annulleringsId'), 'the annulment names a dispensing of this prescription that is not stored');
      if (options.previous.some((p) => p.annulment && p.annuls === original.dispenseKey)) refuse('conflict', 'conflict', below(uPath, 'annulleringsId'), 'this dispensing has already been annulled');
      // In the EU an annulment is the same dispensation again, with status entered-in-error: same identifier,
      // same quantity.
      dispenseId = original.dispenseKey;
      packages = original.packages;
      report.carriedFields(uPath, 'annullering', 'annulleringsId');
    } else {
      const validity = mr.dispenseRequest?.validityPeriod;
      if (validity?.end && dispensedOn > validity.end.slice(0, 10)) refuse('business-rule', 'business-rule', below(uPath, 'utleveringsdato'), `the EU prescription expired on ${validity.end.slice(0, 10)}`);
      if (validity?.start && dispensedOn < validity.start.slice(0, 10)) refuse('business-rule', 'business-rule', below(uPath, 'utleveringsdato'), `the EU prescription is valid only from ${validity.start.slice(0, 10)}`);
      packages = u.reseptDokLegemiddel?.antall ?? 0;
      if (!(packages > 0)) refuse('invalid', 'required', below(uPath, 'reseptDokLegemiddel', 'antall'), 'Antall (number of packages dispensed) is required');
      const prescribed = prescribedQuantity(mr);
      // Antall counts packages; counted against tablets or millilitres it would let a prescription of 30
      // tablets be dispensed 30 times.
      if (prescribed && !isPackageQuantity(prescribed.quantity)) {
        const { unit, code } = prescribed.quantity;
        refuse('business-rule', 'not-supported', below(mrPath, ...prescribed.path), `the EU prescription's quantity is in "${unit ?? code ?? ''}", not in packages: a dispensing in packages (Antall) cannot be counted against it`, bundleFhirPath);
      }
      const perDispensing = prescribed?.quantity.value;
      if (prescribed && perDispensing !== undefined && !(perDispensing > 0)) {
        refuse('invalid', 'value', below(mrPath, ...prescribed.path, 'value'), `the prescribed quantity must be above zero, not ${perDispensing}`, bundleFhirPath);
      }
      const allowed = perDispensing !== undefined ? perDispensing * (1 + (mr.dispenseRequest?.numberOfRepeatsAllowed ?? 0)) : Infinity;
      const used = activeDispensings(options.previous, (p) => p.dispenseKey).reduce((s, p) => s + p.packages, 0);
      if (allowed - used <= EPSILON) refuse('conflict', 'conflict', below(uPath, 'reseptId'), 'the EU prescription is already fully dispensed');
      if (packages > allowed - used + EPSILON) refuse('conflict', 'conflict', below(uPath, 'reseptDokLegemiddel', 'antall'), `Antall ${packages} exceeds what is left of the EU prescription (${allowed - used})`);
      report.carried(below(uPath, 'utleveringsdato'), below(uPath, 'reseptDokLegemiddel', 'antall'), below(uPath, 'annullering'));
    }
    // Only "valgt annen vare" has an EU element (substitution); other interventions (changed dosage,
    // reimbursement, personal data) are left to the report's sweep.
    const substitutions = (u.intervensjon ?? []).map((i, at) => ({ i, at })).filter(({ i }) => i.endringsType?.v === VALGT_ANNEN_VARE);
    const substituted = substitutions.length > 0;
    if (substituted && substitutionAllowed(mr.substitution) === false) {
      refuse('business-rule', 'business-rule', below(uPath, 'intervensjon'), 'the EU prescriber does not allow substitution, but the dispensing records another product (valgt annen vare)');
    }

    const urns = stableUrns('eu-edispensation', key);
    const id = urns.of;
    const patientUrl = id('Patient');
    const pharmacyUrl = id('Organization');
    const pharmacistUrl = id('Practitioner');
    const roleUrl = id('PractitionerRole');
    const entries: BundleEntry[] = [];
    const patient = resolveInBundle<Patient>(prescription, mr.subject, 'Patient')?.resource;
    if (mr.subject?.reference && !patient) refuse('invalid', 'structure', below(mrPath, 'subject'), 'the EU MedicationRequest.subject does not refer to a Patient in the prescription Bundle', bundleFhirPath);
    if (patient) entries.push({ fullUrl: patientUrl, resource: patient });
    const bornM10 = m10.msgHead.msgInfo.patient?.dateOfBirth;
    if (bornM10 && patient?.birthDate && bornM10.slice(0, 10) !== patient.birthDate.slice(0, 10)) {
      refuse('business-rule', 'business-rule', ['msgInfo', 'patient', 'dateOfBirth'], `the dispensing names a patient born ${bornM10}, the EU prescription one born ${patient.birthDate}`);
    }
    // The M10's patient has no identifier an EU Patient carries: beside the birth date, the family name must
    // agree (the names themselves are not repeated in the answer).
    const familyM10 = m10.msgHead.msgInfo.patient?.familyName;
    const familiesEu: string[] = [];
    for (const n of patient?.name ?? []) if (n.family) familiesEu.push(n.family);
    if (familyM10 && !familyNamesAgree(familyM10, familiesEu)) {
      refuse('business-rule', 'business-rule', ['msgInfo', 'patient', 'familyName'], "the dispensing names a patient whose family name is not that of the EU prescription's patient (compared without case, accents or hyphens, any one part of it enough)");
    }

    const sender = m10.msgHead.msgInfo.sender.organisation;
    // MedicationDispense-eu-mpd's performer is the Norwegian pharmacy by organisation number and licence
    // (AKO), and its pharmacist by HPR number, which AnsattId holds for pharmacists.
    const senderTypes = new Set(sender.ident.map((i) => i.typeId.v));
    for (const required of [ORGANISATION_ID_TYPES.enh, ORGANISATION_ID_TYPES.ako]) {
      if (!senderTypes.has(required)) refuse('invalid', 'required', ['msgInfo', 'sender', 'organisation'], `the pharmacy (MsgHead Sender) must be identified by ${required === ORGANISATION_ID_TYPES.enh ? 'organisation number (ENH)' : 'pharmacy licence (AKO)'}`);
    }
    const ansattId = m10.utleveringsrapport.ansattId.trim();
    if (!HPR_NUMBER.test(ansattId)) refuse('invalid', 'value', below(base, 'ansattId'), 'AnsattId must be the pharmacist\'s HPR number (digits)');
    const pharmacy = organization(sender, ['msgInfo', 'sender', 'organisation'], ctx);
    pharmacy.address = (pharmacy.address ?? [{}]).map((a) => ({ ...a, country: a.country ?? 'NO' }));
    entries.push({ fullUrl: pharmacyUrl, resource: pharmacy });
    const pharmacist: Practitioner = { resourceType: 'Practitioner', identifier: [{ system: IDENTIFIER_SYSTEM.hpr, value: ansattId }] };
    report.carriedFields(base, 'ansattId');
    entries.push({ fullUrl: pharmacistUrl, resource: pharmacist });
    const role: PractitionerRole = { resourceType: 'PractitionerRole', practitioner: { reference: pharmacistUrl }, organization: { reference: pharmacyUrl } };
    entries.push({ fullUrl: roleUrl, resource: role });

    const dispense: MedicationDispense = {
      resourceType: 'MedicationDispense',
      meta: { profile: [MPD_PROFILE.medicationDispense] },
      extension: [{ url: EXTENSION.dispenseRecorded, valueDateTime: recordedOf(m10.msgHead.msgInfo.genDate, ['msgInfo', 'genDate'], report) }],
      identifier: [{ system: PROJECT_IDENTIFIER_SYSTEM.utleveringId, value: dispenseId }],
      status: u.annullering ? 'entered-in-error' : 'completed',
      ...(patient ? { subject: { reference: patientUrl } } : {}),
      performer: [{ actor: { reference: roleUrl } }],
      authorizingPrescription: [{ identifier: euId, display: 'EU ePrescription' }],
      quantity: { value: packages, unit: 'package', system: SYSTEM.ucum, code: '{package}' },
      whenHandedOver: dispensedOn,
      substitution: {
        wasSubstituted: substituted,
        ...(substituted ? { type: { coding: [{ system: SYSTEM.v3SubstanceAdminSubstitution, code: 'E', display: 'equivalent' }] } } : {}),
        ...(substitutions.some(({ i }) => i.begrunnelse) ? { reason: substitutions.filter(({ i }) => i.begrunnelse).map(({ i }) => ({ text: i.begrunnelse })) } : {}),
      },
    };
    if (u.annullering) report.approximated(['msgInfo', 'msgId'], "the annulment's own MsgId identifies the Bundle; its MedicationDispense carries the identifier of the dispensing it annuls");
    else report.carried(['msgInfo', 'msgId']);
    for (const { at } of substitutions) report.carriedFields(below(uPath, 'intervensjon', at), 'endringsType', 'begrunnelse');
    // Utleverer's name is the pharmacy's, which the Organization carries from the MsgHead sender.
    if (u.utleverer.navn.trim() === (sender.organisationName ?? '').trim()) report.carried(below(uPath, 'utleverer', 'navn'));
    const product = u.reseptDokLegemiddel?.forskrivning;
    if (product) {
      const medication: Medication = euMedication(product, below(uPath, 'reseptDokLegemiddel', 'forskrivning'), ctx).resource;
      const medicationUrl = id('Medication');
      entries.push({ fullUrl: medicationUrl, resource: medication });
      dispense.medicationReference = { reference: medicationUrl };
      if (product.dosVeiledEnkel) {
        dispense.dosageInstruction = [{ text: product.dosVeiledEnkel }];
        report.carried(below(uPath, 'reseptDokLegemiddel', 'forskrivning', 'dosVeiledEnkel'));
      }
    } else {
      dispense.medicationCodeableConcept = mr.medicationCodeableConcept ?? { text: 'se opprinnelig utlevering' };
    }
    entries.unshift({ fullUrl: id('MedicationDispense'), resource: dispense });
    report.carried(['msgInfo', 'type'], ['msgInfo', 'migVersion'], ['msgInfo', 'receiver']);
    report.approximated(['msgInfo', 'patient'], "the eDispensation refers to the EU prescription's Patient; the M10's patient is compared with it by date of birth and family name");
    sweepMsgHead(m10.msgHead, report, 'the EU eDispensation (MPD) has no element for it');
    return {
      ok: true,
      bundle: { resourceType: 'Bundle', type: 'collection', timestamp: now.toISOString(), identifier: { system: URI_IDENTIFIER_SYSTEM, value: urns.urn }, entry: entries },
      report: report.toOperationOutcome(),
      accounted: () => report.coveredLocations(),
      prescriptionId: euId.value,
      dispensedOn,
      stored: { dispenseKey: key, packages, annulment: u.annullering, ...(u.annullering && u.annulleringsId ? { annuls: u.annulleringsId } : {}) },
    };
  } catch (e) {
    if (!(e instanceof Refused)) throw e;
    report.refuse(e.path, e.code, e.message, e.renderer);
    return { ok: false, refusal: e.kind, report: report.refusalOutcome() };
  }
}
