/**
 * Step 1, back home: an EU eDispensation (FHIR Bundle with a MedicationDispense-eu-mpd) for a Norwegian
 * prescription that was released to the EU → a Norwegian M10 Utleveringsrapport for Reseptformidleren.
 *
 * The dispensation must match what was released: the ReseptId (authorizingPrescription), before the
 * expiry date, and no more packages than are left (Antall × (1 + Reiterasjon) less what was dispensed).
 * The foreign pharmacy is reported under the national placeholder identity for "foreign pharmacy via
 * MyHealth@EU", with its real name and country carried beside it.
 *
 * Pure: the caller supplies the release record and the earlier dispensings, and stores the result.
 */
import type { Bundle, Coding, Identifier, Location, Medication, MedicationRequest, Patient, MedicationDispense, OperationOutcome, Organization, Practitioner, PractitionerRole, Quantity } from '@medplum/fhirtypes';
import type { Forskrivning, LegemiddelMerkevare, Legemiddelpakning } from '../eresept/forskrivning.js';
import type { ReseptDokLegemiddel } from '../eresept/m1/resept.js';
import type { Intervensjon } from '../eresept/m10/utlevering.js';
import type { Utleveringsrapport } from '../eresept/m10/utleveringsrapport.js';
import { MSG_TYPE_M10, writeMsgHead, type MsgHead } from '../eresept/messages.js';
import { MSGHEAD_MIG_VERSION, ORGANISATION_ID_TYPES } from '../eresept/msghead.js';
import { defaultConceptMaps, type ConceptMapIndex } from '../terminology/concept-maps.js';
import { EXTENSION, PROJECT_IDENTIFIER_SYSTEM, SYSTEM, volvenSystem } from '../terminology/fhir-systems.js';
import { KODEVERK, OID_ID_TYPE_ORGANISATION, kodeverkOid } from '../terminology/oids.js';
import { activeDispensings } from './active-dispensings.js';
import type { CodeContext } from './coded-values.js';
import { BundleReferences, bundleFhirPath, bundleReferences, entriesOfType, referencedInBundle, repeatedFullUrl, repeatedFullUrlMessage, resolveInBundle, type Located } from './fhir-bundle.js';
import type { ReleasedPrescription } from './m1-to-eu-prescription.js';
import { Refused, refuse, type RefusalKind } from './refusal.js';
import { below } from './covered-paths.js';
import { ConversionReport, FHIR_STRUCTURAL_KEYS, type SourcePath } from './report.js';
import { norwegianDateOf } from './norwegian-date.js';
import { isPackageQuantity } from './package-quantity.js';
import { stableUuid } from './stable-id.js';

/** A dispensing already stored in Reseptformidleren for the prescription. */
export interface StoredDispensing {
  /** MsgId of its M10. */
  readonly msgId: string;
  /** Identity of the EU dispense it came from (see {@link dispenseKey}). */
  readonly dispenseKey: string;
  /** Packages (or prescribed units) dispensed; 0 for an annulment. */
  readonly quantity: number;
  /** True for an annulment report. */
  readonly annulment: boolean;
  /** For an annulment: the MsgId it annuls. */
  readonly annuls?: string;
}

/** The national placeholder identity a foreign pharmacy is reported under (configured by the service). */
export interface ForeignPharmacyIdentity {
  /** Organisation number (ENH) of the placeholder. */
  readonly enh: string;
  /** HER-id of the placeholder. */
  readonly her: string;
  /** Its name, e.g. "Utenlandsk apotek via MyHealth@EU". */
  readonly name: string;
}

/** Default placeholder: numbers not yet assigned by Norsk helsenett, so all zeros; configure real ones. */
export const DEFAULT_FOREIGN_PHARMACY: ForeignPharmacyIdentity = { enh: '000000000', her: '0', name: 'Utenlandsk apotek via MyHealth@EU' };

/** What the conversion needs besides the Bundle. */
export interface EuDispenseToM10Options {
  /** The release record of the prescription (undefined: never released, refused). */
  readonly release: ReleasedPrescription | undefined;
  /** Earlier dispensings of the prescription, from the store. */
  readonly previous: readonly StoredDispensing[];
  readonly now?: Date;
  readonly maps?: ConceptMapIndex;
  readonly foreignPharmacy?: ForeignPharmacyIdentity;
}

export type { RefusalKind } from './refusal.js';

/** The M10 (model and XML) with its report, or the refusal. */
export type EuDispenseToM10Result =
  | {
      readonly ok: true;
      readonly m10: MsgHead;
      readonly xml: string;
      readonly stored: StoredDispensing;
      readonly reseptId: string;
      readonly report: OperationOutcome;
      /** FHIRPath of every source field the conversion accounted for; computed on call. */
      readonly accounted: () => readonly string[];
    }
  | { readonly ok: false; readonly refusal: RefusalKind; readonly report: OperationOutcome; readonly reseptId?: string };

const JA = { v: '1', dn: 'Ja' };
const NEI = { v: '2', dn: 'Nei' };
const VALGT_ANNEN_VARE = { v: 'V', dn: 'Valgt annen vare' };
const VAREGRUPPE_LEGEMIDDEL = { v: 'L', dn: 'Legemiddel' };
const EPSILON = 1e-9;


/**
 * The identity of an EU dispense for idempotency: its first identifier (system|value) and status, or, when
 * it has none, a hash of the whole MedicationDispense.
 */
export function dispenseKey(dispense: MedicationDispense): string {
  const id = dispense.identifier?.find((i) => i.value);
  const basis = id ? `${id.system ?? ''}|${id.value}` : stableUuid(JSON.stringify(dispense));
  return `${basis}#${dispense.status}`;
}

/**
 * The Norwegian ReseptId an EU dispensation fulfils: the first identifier in the Norwegian ReseptId system
 * among its authorizingPrescription references and the MedicationRequests they resolve to in the Bundle.
 * The service locks and looks up the prescription by it, so it must be the one the conversion reads.
 * @example authorizingReseptId(bundle, dispense) // '240a3213-df60-4662-9180-5b2088c69077', or undefined
 */
export function authorizingReseptId(bundle: Bundle | BundleReferences, dispense: MedicationDispense): string | undefined {
  const refs = bundleReferences(bundle);
  const ids: Identifier[] = [];
  for (const ref of dispense.authorizingPrescription ?? []) {
    if (ref.identifier) ids.push(ref.identifier);
    for (const i of refs.resolve<MedicationRequest>(ref, 'MedicationRequest')?.resource.identifier ?? []) ids.push(i);
  }
  return ids.find((i) => i.system === PROJECT_IDENTIFIER_SYSTEM.reseptId && i.value)?.value;
}

/** The ReseptId the dispense fulfils ({@link authorizingReseptId}), or the refusal saying what is missing. */
function reseptIdOf(bundle: BundleReferences, dispense: Located<MedicationDispense>, report: ConversionReport): string {
  const path: SourcePath = below(dispense.path, 'authorizingPrescription');
  if (!dispense.resource.authorizingPrescription?.length) refuse('business-rule', 'required', path, 'authorizingPrescription is required: it names the Norwegian prescription (ReseptId) that was dispensed');
  const reseptId = authorizingReseptId(bundle, dispense.resource);
  if (!reseptId) {
    refuse('business-rule', 'not-found', path, `authorizingPrescription does not carry a Norwegian ReseptId (identifier system ${PROJECT_IDENTIFIER_SYSTEM.reseptId})`);
  }
  // One M10 reports one prescription: a dispensation of several is sent as one MedicationDispense each.
  dispense.resource.authorizingPrescription.forEach((ref, i) => {
    const named = authorizingReseptId(bundle, { ...dispense.resource, authorizingPrescription: [ref] });
    if (named && named !== reseptId) refuse('business-rule', 'business-rule', below(path, i), `authorizingPrescription names two Norwegian prescriptions (${reseptId}, ${named}): send one MedicationDispense for each`);
    if (named) report.carried(below(path, i));
  });
  return reseptId;
}

/** The prescribed amount per dispensing, in packages (Antall) or in the prescribed quantity unit (Mengde). */
function prescribedPerDispensing(dok: ReseptDokLegemiddel): { amount: number; unit: 'package' | string } | undefined {
  if (dok.antall !== undefined) return { amount: dok.antall, unit: 'package' };
  if (dok.mengde?.v !== undefined) return { amount: dok.mengde.v, unit: dok.mengde.u ?? '' };
  return undefined;
}

/** Antall is written in thousandths of a package, as M10s write it (`1.000`, `2.5`). */
const PACKAGE_FRACTIONS = 1000;

/** `packages` in thousandths of a package; a quantity below one thousandth is refused (it would be written as 0). */
function inThousandths(packages: number, path: SourcePath): number {
  const rounded = Math.round(packages * PACKAGE_FRACTIONS) / PACKAGE_FRACTIONS;
  if (rounded <= 0) refuse('invalid', 'value', path, `quantity ${packages} is less than a thousandth of a package; Antall is written in thousandths`);
  return rounded;
}

/** What one dispensed package holds (Medication.amount, numerator per denominator), when the Medication says. */
function packageContents(medication: Medication | undefined): { value: number; unit: string } | undefined {
  const numerator = medication?.amount?.numerator;
  const per = medication?.amount?.denominator?.value ?? 1;
  const unit = (numerator?.unit ?? numerator?.code ?? '').toLowerCase();
  return numerator?.value !== undefined && numerator.value > 0 && per > 0 && unit ? { value: numerator.value / per, unit } : undefined;
}

/**
 * `value` packages of the dispensed product in prescribed packages: a package of another size counts by what
 * it holds (two packs of 56 against a prescribed pack of 168 are 0.667 of it), when the units compare.
 */
function inPrescribedPackages(value: number, dispensed: Medication | undefined, dok: ReseptDokLegemiddel, path: SourcePath, report: ConversionReport): number {
  const contents = packageContents(dispensed);
  if (!contents) return value;
  const size = packageSizeIn(dok, contents.unit);
  if (size === undefined) {
    report.approximated(path, `the dispensed package holds ${contents.value} ${contents.unit}, which cannot be compared with the prescribed package: counted as whole packages`);
    return value;
  }
  if (size === contents.value) return value;
  const packages = (value * contents.value) / size;
  report.approximated(path, `${value} packages of ${contents.value} ${contents.unit} counted as ${packages} prescribed packages of ${size} ${contents.unit}`);
  return packages;
}

function dispensedAmount(q: Quantity, dispensed: Medication | undefined, dok: ReseptDokLegemiddel, path: SourcePath, report: ConversionReport): number {
  const value = q.value;
  if (typeof value !== 'number' || !(value > 0)) refuse('invalid', 'value', below(path, 'value'), 'quantity.value must be a positive number');
  const prescribed = prescribedPerDispensing(dok);
  if (prescribed?.unit === 'package') {
    if (isPackageQuantity(q)) {
      const counted = inPrescribedPackages(value, dispensed, dok, path, report);
      const packages = inThousandths(counted, below(path, 'value'));
      if (packages !== counted) report.approximated(path, `quantity ${counted} packages written as Antall ${packages} (thousandths of a package)`);
      return packages;
    }
    const unit = (q.unit ?? q.code ?? '').toLowerCase();
    const size = packageSizeIn(dok, unit);
    if (size !== undefined) {
      const packages = inThousandths(value / size, below(path, 'value'));
      report.approximated(path, `quantity ${value} ${unit} counted as ${packages} packages of ${size} ${unit}${packages !== value / size ? ' (in thousandths of a package)' : ''}`);
      return packages;
    }
    refuse('business-rule', 'value', path, 'quantity must be in packages ({package}) or in the unit of the prescribed package, so that what is left of the prescription can be counted');
  }
  if (!prescribed) {
    // Neither Antall nor Mengde: nothing to count against, but what is written must still mean packages.
    if (isPackageQuantity(q)) return inThousandths(value, below(path, 'value'));
    refuse('business-rule', 'value', path, `the prescription states neither Antall nor Mengde: a quantity in "${q.unit ?? q.code ?? ''}" cannot be reported as a number of packages`);
  }
  if (prescribed.unit.toLowerCase() !== (q.unit ?? q.code ?? '').toLowerCase()) {
    refuse('business-rule', 'value', path, `quantity must be in the prescribed unit "${prescribed.unit}"`);
  }
  return value;
}

/**
 * How much of `unit` one prescribed package holds: the package's Pakningsstr when its unit is `unit`, or for a
 * prescription of Antall packages of Mengde in all (a magistral preparation: 1 × 100 g), Mengde / Antall.
 */
function packageSizeIn(dok: ReseptDokLegemiddel, unit: string): number | undefined {
  const pack = dok.forskrivning.legemiddelpakning?.pakningsinfoResept?.[0];
  if (pack && [pack.enhetPakning.v, pack.enhetPakning.dn].some((u) => (u ?? '').toLowerCase() === unit)) {
    const size = Number(pack.pakningsstr.replace(',', '.'));
    if (Number.isFinite(size) && size > 0) return size;
  }
  const total = dok.mengde?.v;
  if (total !== undefined && total > 0 && dok.antall && (dok.mengde?.u ?? '').toLowerCase() === unit) return total / dok.antall;
  return undefined;
}

function codingOf(medication: Medication | undefined, concept: MedicationDispense['medicationCodeableConcept']): Coding[] {
  return [...(medication?.code?.coding ?? []), ...(concept?.coding ?? [])];
}

function extensionCoding(medication: Medication | undefined, url: string): Coding | undefined {
  return medication?.extension?.find((e) => e.url === url)?.valueCodeableConcept?.coding?.[0];
}

function productName(medication: Medication | undefined, concept: MedicationDispense['medicationCodeableConcept']): string {
  return medication?.extension?.find((e) => e.url === EXTENSION.productName)?.valueString ?? medication?.code?.text ?? concept?.text ?? codingOf(medication, concept).find((c) => c.display)?.display ?? 'ukjent legemiddel';
}

/** A Norwegian varenummer: the six-digit number of a package in FEST. */
const VARENUMMER = /^\d{6}$/;

/** What was dispensed, as an M10 Forskrivning product: the Norwegian package when it is one, else by name/form/strength + ATC. */
function dispensedProduct(
  dispense: Located<MedicationDispense>,
  bundle: BundleReferences,
  prescribed: ReseptDokLegemiddel,
  ctx: CodeContext,
): Pick<Forskrivning, 'legemiddelpakning' | 'legemiddelMerkevare'> {
  const d = dispense.resource;
  const medRef = referencedInBundle<Medication>(bundle, d.medicationReference, 'Medication', below(dispense.path, 'medicationReference'), 'medicationReference');
  if (!medRef && !d.medicationCodeableConcept) refuse('invalid', 'required', below(dispense.path, 'medication[x]'), 'medication[x] is required');
  const medication = medRef?.resource;
  const medPath = medRef?.path ?? below(dispense.path, 'medicationCodeableConcept');
  const codings = codingOf(medication, d.medicationCodeableConcept);
  const prescribedProduct = prescribed.forskrivning.legemiddelpakning ?? prescribed.forskrivning.legemiddelMerkevare ?? prescribed.forskrivning.legemiddelVirkestoff ?? prescribed.forskrivning.legemiddeldose;
  const reseptgruppe = prescribedProduct?.reseptgruppe ?? { v: 'C' };
  const atcCoding = extensionCoding(medication, EXTENSION.classification) ?? codings.find((c) => c.system === SYSTEM.atc);
  const atc = atcCoding?.code ? { v: atcCoding.code, s: kodeverkOid(KODEVERK.atc), ...(atcCoding.display ? { dn: atcCoding.display } : {}) } : undefined;
  const name = productName(medication, d.medicationCodeableConcept);
  ctx.report.carried(medPath, below(dispense.path, 'medicationReference'));

  const varenr = codings.find((c) => c.system === PROJECT_IDENTIFIER_SYSTEM.varenummer)?.code;
  if (varenr !== undefined && !VARENUMMER.test(varenr)) {
    const own = medication?.code?.coding?.findIndex((c) => c.system === PROJECT_IDENTIFIER_SYSTEM.varenummer) ?? -1;
    const at: SourcePath = own >= 0 ? below(medPath, 'code', 'coding', own, 'code') : below(medPath, 'coding', d.medicationCodeableConcept?.coding?.findIndex((c) => c.system === PROJECT_IDENTIFIER_SYSTEM.varenummer) ?? 0, 'code');
    refuse('invalid', 'value', at, `"${varenr.slice(0, 40)}" is not a Norwegian varenummer (six digits)`);
  }
  if (varenr) {
    const same = prescribed.forskrivning.legemiddelpakning?.varenr === varenr ? prescribed.forskrivning.legemiddelpakning : undefined;
    const pakning: Legemiddelpakning = same ?? {
      ...(atc ? { atc } : {}),
      navnFormStyrke: name,
      reseptgruppe,
      varenr,
    };
    return { legemiddelpakning: pakning };
  }
  const formCoding = medication?.form?.coding?.find((c) => c.system === SYSTEM.edqm);
  const norwegianForm = formCoding?.code ? ctx.maps.translate(SYSTEM.edqm, formCoding.code, volvenSystem(KODEVERK.legemiddelform))[0] : undefined;
  const formText = medication?.form?.text ?? formCoding?.display ?? '';
  const strength = medication?.ingredient?.map((i) => i.strength?.numerator).filter((q): q is Quantity => !!q).map((q) => `${q.value ?? ''} ${q.unit ?? q.code ?? ''}`.trim()).join(' + ') ?? '';
  const merkevare: LegemiddelMerkevare = {
    ...(atc ? { atc } : {}),
    navnFormStyrke: [name, formText, strength].filter(Boolean).join(' '),
    reseptgruppe,
    ...(norwegianForm ? { legemiddelformKort: { v: norwegianForm.code, s: kodeverkOid(KODEVERK.legemiddelform), ...(norwegianForm.display ? { dn: norwegianForm.display } : {}) } } : {}),
    varenavn: name,
  };
  ctx.report.approximated(medPath, 'the product dispensed abroad has no Norwegian varenummer; it is reported by name, form and strength (LegemiddelMerkevare) with its ATC code');
  if (formCoding && !norwegianForm) {
    const why = formCoding.code ? `EDQM dose form ${formCoding.code} has no Norwegian dose form mapping` : 'the EDQM dose form coding has no code';
    ctx.report.approximated(below(medPath, 'form'), `${why}; kept in the product text`);
  }
  return { legemiddelMerkevare: merkevare };
}

/** The resource types that can be a dispensation's performer here. */
const DISPENSER_TYPES: ReadonlySet<string> = new Set(['Practitioner', 'PractitionerRole', 'Organization']);

/** The prefix of a foreign pharmacist's AnsattId when the dispensation names no country. */
const FOREIGN_WITHOUT_COUNTRY = 'EU';

interface Pharmacy {
  readonly name: string;
  readonly country?: string;
  readonly id?: string;
  readonly pharmacist?: string;
}

function pharmacyOf(bundle: BundleReferences, dispense: Located<MedicationDispense>, ctx: CodeContext): Pharmacy {
  const performer = dispense.resource.performer?.[0];
  const actorPath: SourcePath = below(dispense.path, 'performer', 0, 'actor');
  if (!performer?.actor) refuse('invalid', 'required', actorPath, 'performer.actor (the dispenser) is required by MedicationDispense-eu-mpd');
  const actor = resolveInBundle<PractitionerRole | Organization | Practitioner>(bundle, performer.actor);
  // A dispenser is a pharmacist or a pharmacy: any other resource (a Patient) would be reported as carried while nothing of it is.
  if (performer.actor.reference && !actor) refuse('invalid', 'structure', actorPath, 'performer.actor does not refer to a resource in the Bundle: the dispensing pharmacist or pharmacy must be in it');
  if (actor && !DISPENSER_TYPES.has(actor.resource.resourceType)) {
    refuse('invalid', 'structure', actorPath, `performer.actor must be the pharmacist (Practitioner, PractitionerRole) or the pharmacy (Organization), not a ${actor.resource.resourceType}`);
  }
  ctx.report.carried(actorPath);
  const role = actor?.resource.resourceType === 'PractitionerRole' ? actor.resource : undefined;
  const roleOrg = actor && role ? referencedInBundle<Organization>(bundle, role.organization, 'Organization', below(actor.path, 'organization'), 'PractitionerRole.organization') : undefined;
  const rolePractitioner = actor && role ? referencedInBundle<Practitioner>(bundle, role.practitioner, 'Practitioner', below(actor.path, 'practitioner'), 'PractitionerRole.practitioner') : undefined;
  const orgAt = roleOrg ?? (actor?.resource.resourceType === 'Organization' ? (actor as Located<Organization>) : undefined);
  const org = orgAt?.resource;
  const practitioner = rolePractitioner?.resource ?? (actor?.resource.resourceType === 'Practitioner' ? actor.resource : undefined);
  // MPD leaves it open whether the pharmacy is the performer's organisation or MedicationDispense.location.
  const locatedAt = referencedInBundle<Location>(bundle, dispense.resource.location, 'Location', below(dispense.path, 'location'), 'location');
  const location = locatedAt?.resource;
  if (locatedAt) ctx.report.carried(below(dispense.path, 'location'), below(locatedAt.path, 'name'), below(locatedAt.path, 'address', 'country'));
  const name = org?.name ?? location?.name ?? performer.actor.display ?? 'ukjent apotek';
  for (const r of [actor, roleOrg, rolePractitioner]) {
    if (r) ctx.report.carriedFields(r.path, 'name', 'identifier', 'practitioner', 'organization');
  }
  (org?.address ?? []).forEach((_, i) => {
    if (orgAt) ctx.report.carried(below(orgAt.path, 'address', i, 'country'));
  });
  const country = org?.address?.find((a) => a.country)?.country ?? location?.address?.country;
  const pharmacistId = practitioner?.identifier?.[0]?.value ?? role?.identifier?.[0]?.value;
  const pharmacistName = practitioner?.name?.[0] ? [practitioner.name[0].given?.join(' '), practitioner.name[0].family].filter(Boolean).join(' ') : undefined;
  return {
    name,
    ...(country ? { country } : {}),
    ...(org?.identifier?.[0]?.value ? { id: org.identifier[0].value } : {}),
    // AnsattId holds an HPR number for Norwegian pharmacists: a foreign identity always gets its country
    // (or EU) as prefix, so that it is never taken for one.
    ...(pharmacistId || pharmacistName ? { pharmacist: `${country ?? FOREIGN_WITHOUT_COUNTRY}:${pharmacistId ?? pharmacistName}` } : {}),
  };
}

/** The dispensation's patient, when given, must be the prescription's (same FNR or D-nummer). */
function samePatient(bundle: BundleReferences, dispense: Located<MedicationDispense>, release: ReleasedPrescription, ctx: CodeContext): void {
  const subject = dispense.resource.subject;
  if (!subject) return;
  const located = resolveInBundle<Patient>(bundle, subject, 'Patient');
  // A reference must find the Patient: one to another resource, or to nothing, names no patient to compare.
  if (subject.reference && !located) refuse('invalid', 'structure', below(dispense.path, 'subject'), 'subject does not refer to a Patient in the Bundle');
  const ids = [...(located?.resource.identifier ?? []), ...(subject.identifier ? [subject.identifier] : [])];
  const released = new Set((release.patient.ident ?? []).map((i) => i.id));
  if (ids.length > 0 && !ids.some((i) => i.value && released.has(i.value))) {
    refuse('business-rule', 'business-rule', below(dispense.path, 'subject'), 'the dispensation names another patient than the prescription');
  }
  ctx.report.carriedFields(dispense.path, 'subject');
  if (located) ctx.report.carried(located.path);
}

function dateOf(d: MedicationDispense, path: SourcePath, ctx: CodeContext): { handedOver: string; recorded: string } {
  const recordedAt = d.extension?.findIndex((e) => e.url === EXTENSION.dispenseRecorded) ?? -1;
  const recorded = d.extension?.[recordedAt]?.valueDateTime;
  if (!recorded) refuse('invalid', 'required', below(path, 'extension'), `the recorded extension (${EXTENSION.dispenseRecorded}) is required by MedicationDispense-eu-mpd`);
  // Only this extension: any other one is left to the report's sweep.
  ctx.report.carried(below(path, 'extension', recordedAt));
  // MPD: without whenHandedOver the time of dispensation is the time the record was issued.
  const handedOver = d.whenHandedOver ?? recorded;
  ctx.report.carriedFields(path, 'whenHandedOver');
  if (!/^\d{4}-\d{2}-\d{2}/.test(handedOver)) refuse('invalid', 'value', below(path, 'whenHandedOver'), 'whenHandedOver must be a FHIR dateTime');
  // Utleveringsdato, and the expiry and earliest dates it is compared with, are dates in Norway.
  return { handedOver: norwegianDateOf(handedOver), recorded };
}

/**
 * Converts an EU eDispensation into an M10 for Reseptformidleren, or refuses it.
 * @example
 * const r = convertEuDispenseToM10(bundle, { release, previous: await store.dispensings(reseptId) });
 * if (r.ok) await store.save(r.reseptId, r.stored, r.xml);
 */
export function convertEuDispenseToM10(bundle: Bundle, options: EuDispenseToM10Options): EuDispenseToM10Result {
  const report = new ConversionReport(bundleFhirPath);
  const ctx: CodeContext = { maps: options.maps ?? defaultConceptMaps(), report };
  const now = options.now ?? new Date();
  let reseptId: string | undefined;
  try {
    if (bundle?.resourceType !== 'Bundle') refuse('invalid', 'structure', [], 'the body must be a FHIR Bundle');
    const repeated = repeatedFullUrl(bundle);
    if (repeated) refuse('invalid', 'structure', ['entry', repeated.index, 'fullUrl'], repeatedFullUrlMessage(repeated.first));
    const dispenses = entriesOfType<MedicationDispense>(bundle, 'MedicationDispense');
    const refs = new BundleReferences(bundle);
    if (dispenses.length !== 1) {
      refuse('invalid', 'structure', ['entry'], dispenses.length === 0 ? 'the Bundle has no MedicationDispense' : 'one MedicationDispense per request: the Bundle has several');
    }
    const dispense = dispenses[0]!;
    const d = dispense.resource;
    reseptId = reseptIdOf(refs, dispense, report);
    report.carried(below(dispense.path, 'identifier'), ['type'], ['timestamp']);
    // A release record of another prescription is no release of this one.
    const release = options.release?.reseptId === reseptId ? options.release : undefined;
    if (!release) refuse('business-rule', 'not-found', below(dispense.path, 'authorizingPrescription'), `prescription ${reseptId} was never released for dispensing in the EU`);
    samePatient(refs, dispense, release, ctx);
    if (!d.quantity) refuse('invalid', 'required', below(dispense.path, 'quantity'), 'quantity (the dispensed quantity) is required by MedicationDispense-eu-mpd');
    const { handedOver } = dateOf(d, dispense.path, ctx);
    const pharmacy = pharmacyOf(refs, dispense, ctx);
    const key = dispenseKey(d);
    const msgId = stableUuid('m10', reseptId, key);
    report.carriedFields(dispense.path, 'status');

    let annuls: StoredDispensing | undefined;
    let amount = 0;
    if (d.status === 'entered-in-error') {
      const originalKey = key.replace(/#entered-in-error$/, '#completed');
      annuls = options.previous.find((p) => p.dispenseKey === originalKey && !p.annulment);
      if (!annuls) refuse('business-rule', 'not-found', below(dispense.path, 'status'), 'entered-in-error annuls an earlier dispensing, but no dispensing with this identifier is stored');
      if (options.previous.some((p) => p.annulment && p.annuls === annuls?.msgId)) refuse('conflict', 'conflict', below(dispense.path, 'status'), 'this dispensing has already been annulled');
    } else if (d.status === 'completed') {
      if (handedOver > release.utloper.slice(0, 10)) refuse('business-rule', 'business-rule', below(dispense.path, 'whenHandedOver'), `the prescription expired on ${release.utloper}; it was dispensed on ${handedOver}`);
      const earliest = (release.tidligsteUtlevering ?? release.forskrivningsdato).slice(0, 10);
      if (handedOver < earliest) refuse('business-rule', 'business-rule', below(dispense.path, 'whenHandedOver'), `the prescription may not be dispensed before ${earliest}`);
      amount = dispensedAmount(d.quantity, refs.resolve<Medication>(d.medicationReference, 'Medication')?.resource, release.reseptDokLegemiddel, below(dispense.path, 'quantity'), report);
    } else {
      refuse('business-rule', 'not-supported', below(dispense.path, 'status'), `status ${d.status ?? '(none)'}: only completed dispensations and entered-in-error annulments are reported to Reseptformidleren`);
    }
    report.carriedFields(dispense.path, 'quantity');

    const per = prescribedPerDispensing(release.reseptDokLegemiddel);
    const allowed = per ? per.amount * (1 + release.reseptDokLegemiddel.reiterasjon) : Infinity;
    const used = activeDispensings(options.previous, (p) => p.msgId).reduce((sum, p) => sum + p.quantity, 0);
    const left = allowed - used;
    if (!annuls) {
      if (left <= EPSILON) refuse('conflict', 'conflict', below(dispense.path, 'authorizingPrescription'), `prescription ${reseptId} is already fully dispensed`);
      if (amount > left + EPSILON) refuse('conflict', 'conflict', below(dispense.path, 'quantity'), `quantity ${amount} exceeds what is left of the prescription (${left})`);
    }

    const product = dispensedProduct(dispense, refs, release.reseptDokLegemiddel, ctx);
    const intervensjon: Intervensjon[] = [];
    const substitutionPath: SourcePath = below(dispense.path, 'substitution');
    if (d.substitution?.wasSubstituted) {
      // The reasons' words go into Begrunnelse; the substitution's type, coded reasons and responsible party
      // have no M10 element and are left to the report's sweep.
      const reasons = (d.substitution.reason ?? []).map((r, i) => {
        if (r.text) report.carried(below(substitutionPath, 'reason', i, 'text'));
        else if (r.coding?.[0]?.display) report.carried(below(substitutionPath, 'reason', i, 'coding', 0, 'display'));
        return r.text ?? r.coding?.[0]?.display;
      });
      const reason = reasons.filter(Boolean).join('; ');
      intervensjon.push({ endringsType: VALGT_ANNEN_VARE, begrunnelse: `Byttet ved utlevering i ${pharmacy.country ?? 'annet EU/EØS-land'} (MyHealth@EU)${reason ? `: ${reason}` : ''}` });
    }
    if (d.substitution) report.carriedFields(substitutionPath, 'wasSubstituted');
    // Only the dosage's text has an M10 element (DosVeiledEnkel); a structured dosage is left to the sweep.
    const dosageText = d.dosageInstruction?.map((x) => x.text).filter(Boolean).join('; ');
    d.dosageInstruction?.forEach((x, i) => {
      if (x.text) report.carried(below(dispense.path, 'dosageInstruction', i, 'text'));
    });

    const fully = !annuls && left - amount <= EPSILON;
    const foreign = options.foreignPharmacy ?? DEFAULT_FOREIGN_PHARMACY;
    const rapport: Utleveringsrapport = {
      utlevering: {
        reseptId,
        utleveringsdato: handedOver,
        annullering: !!annuls,
        ...(annuls ? { annulleringsId: annuls.msgId } : { avsluttet: fully ? JA : NEI }),
        ...(annuls
          ? {}
          : {
              reseptDokLegemiddel: {
                varegruppekode: VAREGRUPPE_LEGEMIDDEL,
                // What was dispensed, counted as the prescription counts it: packages (Antall), or an amount
                // in the prescribed unit (Mengde) for a prescription by amount.
                ...(per && per.unit !== 'package' ? { mengde: { v: amount, u: per.unit } } : { antall: amount }),
                reiterasjon: release.reseptDokLegemiddel.reiterasjon,
                forskrivning: { ...(dosageText ? { dosVeiledEnkel: dosageText } : {}), ...product },
              },
            }),
        utleverer: {
          herId: { id: foreign.her, typeId: { v: ORGANISATION_ID_TYPES.her, s: OID_ID_TYPE_ORGANISATION, dn: 'HER-id' } },
          navn: `${pharmacy.name}${pharmacy.country ? ` (${pharmacy.country})` : ''} via MyHealth@EU`,
        },
        ...(intervensjon.length ? { intervensjon } : {}),
      },
      reservasjonRapportFastlege: false,
      ansattId: pharmacy.pharmacist ?? `${pharmacy.country ?? FOREIGN_WITHOUT_COUNTRY}:ukjent`,
    };
    if (!pharmacy.pharmacist) report.approximated(below(dispense.path, 'performer'), 'no pharmacist identity in the dispensation; AnsattId says so');

    const m10: MsgHead = {
      msgInfo: {
        type: { v: MSG_TYPE_M10, dn: 'Utleveringsrapport reseptbanken' },
        migVersion: MSGHEAD_MIG_VERSION,
        genDate: now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
        msgId,
        sender: {
          organisation: {
            organisationName: foreign.name,
            ident: [
              { id: foreign.enh, typeId: { v: ORGANISATION_ID_TYPES.enh, s: OID_ID_TYPE_ORGANISATION, dn: 'Organisasjonsnummeret i Enhetsregisteret' } },
              { id: foreign.her, typeId: { v: ORGANISATION_ID_TYPES.her, s: OID_ID_TYPE_ORGANISATION, dn: 'HER-id' } },
            ],
            organisation: {
              organisationName: pharmacy.name,
              ident: [{ id: pharmacy.id ?? pharmacy.name, typeId: { v: ORGANISATION_ID_TYPES.lok, s: OID_ID_TYPE_ORGANISATION, dn: 'Lokal identifikator (utenlandsk apotek)' } }],
              ...(pharmacy.country ? { address: { country: { v: pharmacy.country } } } : {}),
            },
          },
        },
        receiver: { organisation: release.reseptformidleren },
        patient: release.patient,
      },
      document: [{ refDoc: { msgType: { v: 'XML', dn: 'XML-instans' }, content: { utleveringsrapport: rapport } } }],
    };
    report.sweep(bundle, [], 'the M10 Utleveringsrapport has no element for it', () => false, FHIR_STRUCTURAL_KEYS);
    return {
      ok: true,
      m10,
      xml: writeMsgHead(m10),
      reseptId,
      stored: { msgId, dispenseKey: key, quantity: amount, annulment: !!annuls, ...(annuls ? { annuls: annuls.msgId } : {}) },
      report: report.toOperationOutcome(),
      accounted: () => report.coveredLocations(),
    };
  } catch (e) {
    if (!(e instanceof Refused)) throw e;
    report.refuse(e.path, e.code, e.message, e.renderer);
    return { ok: false, refusal: e.kind, report: report.refusalOutcome(), ...(reseptId ? { reseptId } : {}) };
  }
}
