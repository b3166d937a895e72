/**
 * Step 1, inward: an EU ePrescription is not converted into a Norwegian e-resept. Norwegian pharmacy staff
 * get a readable view of it, in Norwegian bokmål: patient, prescriber and country, product (EDQM terms in
 * Norwegian where a mapping exists, the original text always kept), dosage, quantity, repeats, validity,
 * substitution, and warnings (expired, not yet valid, already dispensed).
 */
import type { Bundle, Dosage, Medication, MedicationRequest, Organization, Patient, Practitioner, PractitionerRole, Quantity } from '@medplum/fhirtypes';
import { defaultConceptMaps, type ConceptMapIndex } from '../terminology/concept-maps.js';
import { EXTENSION, SYSTEM, volvenSystem } from '../terminology/fhir-systems.js';
import { KODEVERK } from '../terminology/oids.js';
import { euPrescriptionIdentifier } from './eu-prescription-id.js';
import { prescribedQuantity } from './eu-prescribed-quantity.js';
import { substitutionAllowed } from './eu-substitution.js';
import { BundleReferences, entriesOfType, repeatedFullUrl, repeatedFullUrlMessage, resolveInBundle } from './fhir-bundle.js';
import { norwegianDate } from './norwegian-date.js';
import { isPackageQuantity } from './package-quantity.js';

/** A coded term shown with its Norwegian name when one is known; the original is always kept. */
export interface ViewTerm {
  readonly original: string;
  readonly code?: string;
  readonly system?: string;
  readonly norwegian?: string;
}

/** A warning for the pharmacist. */
export interface ViewWarning {
  readonly code: 'expired' | 'not-yet-valid' | 'already-dispensed' | 'not-active' | 'no-identifier' | 'no-patient' | 'not-in-packages';
  readonly message: string;
}

/** An earlier dispensing of the EU prescription in Norway. */
export interface EarlierDispensing {
  readonly date: string;
  readonly packages: number;
}

/** The view model of an EU ePrescription for Norwegian pharmacy staff. */
export interface PharmacyView {
  readonly prescriptionId: string;
  readonly country?: string;
  readonly status: string;
  readonly authoredOn?: string;
  readonly patient: { readonly name: string; readonly birthDate?: string; readonly gender?: string; readonly identifier?: string };
  readonly prescriber: { readonly name: string; readonly identifier?: string; readonly organisation?: string; readonly country?: string };
  readonly product: {
    readonly name: string;
    readonly code?: ViewTerm;
    readonly atc?: ViewTerm;
    readonly form?: ViewTerm;
    readonly strength?: string;
    readonly packageSize?: string;
  };
  readonly dosage: { readonly lines: readonly string[]; readonly originalText: readonly string[]; readonly route?: ViewTerm };
  readonly quantity?: string;
  readonly repeats: number;
  readonly validity: { readonly from?: string; readonly to?: string };
  readonly substitution: { readonly allowed?: boolean; readonly text: string };
  readonly notes: readonly string[];
  readonly warnings: readonly ViewWarning[];
}

/** Options for {@link euPrescriptionView}. */
export interface ViewOptions {
  readonly now?: Date;
  readonly maps?: ConceptMapIndex;
  /** Dispensings of this prescription already made in Norway. */
  readonly dispensed?: readonly EarlierDispensing[];
}

/** The problem when a Bundle is not an EU ePrescription the view can show. */
export class ViewInputError extends Error {
  constructor(
    readonly expression: string,
    message: string,
  ) {
    super(message);
    this.name = 'ViewInputError';
  }
}

const GENDER_NB: Record<string, string> = { male: 'mann', female: 'kvinne', other: 'annet', unknown: 'ukjent' };
const UCUM_TIME_NB: Record<string, string> = { s: 'sekund', min: 'minutt', h: 'time', d: 'døgn', wk: 'uke', mo: 'måned', a: 'år' };
const WHEN_NB: Record<string, string> = { MORN: 'om morgenen', NOON: 'midt på dagen', AFT: 'om ettermiddagen', EVE: 'om kvelden', NIGHT: 'om natten', HS: 'før sengetid', WAKE: 'ved oppvåkning', C: 'til måltid', AC: 'før måltid', PC: 'etter måltid' };

function term(maps: ConceptMapIndex, coding: { system?: string; code?: string; display?: string } | undefined, text: string | undefined, norwegianSystem: string): ViewTerm | undefined {
  if (!coding && !text) return undefined;
  const original = text ?? coding?.display ?? coding?.code ?? '';
  const nb = coding?.system && coding.code ? norwegianDisplay(maps, coding.system, coding.code, norwegianSystem) : undefined;
  return { original, code: coding?.code || undefined, system: coding?.system || undefined, norwegian: nb || undefined };
}

/**
 * Equivalences under which the Norwegian term is true of the original: the same, or broader ("Capsule,
 * hard" → "Kapsel"). A narrower or inexact term would tell the pharmacist something the prescription does
 * not say (a "System" shown as "vaginalring").
 */
const TRUE_OF_ORIGINAL: ReadonlySet<string> = new Set(['equal', 'equivalent', 'wider', 'subsumes']);

/** The Norwegian name of a code where it is true of the original ({@link TRUE_OF_ORIGINAL}). */
function norwegianDisplay(maps: ConceptMapIndex, system: string, code: string, target: string): string | undefined {
  return maps.translate(system, code, target).find((t) => TRUE_OF_ORIGINAL.has(t.equivalence))?.display;
}

/** What the view shows where the prescription leaves a value out. */
const UNKNOWN = 'ukjent';

function unitText(q: Quantity, maps: ConceptMapIndex): string {
  const unit = q.system && q.code ? norwegianDisplay(maps, q.system, q.code, volvenSystem(KODEVERK.enhetForDosering)) : undefined;
  return unit ?? q.unit ?? q.code ?? '';
}

function quantityText(q: Quantity | undefined, maps: ConceptMapIndex): string {
  if (!q) return '';
  return `${q.value ?? `${UNKNOWN} mengde`} ${unitText(q, maps)}`.trim();
}

/** "1–2 tablett" for a Range, "1 tablett" when both ends are the same. */
function rangeText(low: Quantity | undefined, high: Quantity | undefined, maps: ConceptMapIndex): string {
  if (!low && !high) return '';
  if (!low || !high) return `${low ? 'minst' : 'høyst'} ${quantityText(low ?? high, maps)}`;
  return low.value === high.value ? quantityText(low, maps) : `${low.value ?? UNKNOWN}–${quantityText(high, maps)}`;
}

const WEEKDAY_NB: Record<string, string> = { mon: 'mandag', tue: 'tirsdag', wed: 'onsdag', thu: 'torsdag', fri: 'fredag', sat: 'lørdag', sun: 'søndag' };

/** The parts of Timing.repeat that the dosage line writes out; any other makes the line say it is incomplete. */
const RENDERED_REPEAT: ReadonlySet<string> = new Set(['frequency', 'frequencyMax', 'period', 'periodMax', 'periodUnit', 'when', 'timeOfDay', 'boundsDuration', 'boundsPeriod', 'count', 'dayOfWeek']);

function personName(p: Patient | Practitioner | undefined): string {
  const n = p?.name?.[0];
  const name = n ? (n.text ?? [n.given?.join(' '), n.family].filter(Boolean).join(' ')).trim() : '';
  return name || UNKNOWN;
}

function dosageLine(d: Dosage, maps: ConceptMapIndex): string {
  const parts: string[] = [];
  const doseAndRate = d.doseAndRate?.[0];
  if (doseAndRate?.doseQuantity) parts.push(quantityText(doseAndRate.doseQuantity, maps));
  else if (doseAndRate?.doseRange) parts.push(rangeText(doseAndRate.doseRange.low, doseAndRate.doseRange.high, maps));
  const r = d.timing?.repeat;
  if (r?.frequency !== undefined && r.period !== undefined && r.periodUnit) {
    const times = r.frequencyMax !== undefined && r.frequencyMax !== r.frequency ? `${r.frequency}–${r.frequencyMax} ganger` : `${r.frequency} ${r.frequency === 1 ? 'gang' : 'ganger'}`;
    const period = r.periodMax !== undefined && r.periodMax !== r.period ? `${r.period}–${r.periodMax} ` : r.period === 1 ? '' : `${r.period} `;
    parts.push(`${times} per ${period}${UCUM_TIME_NB[r.periodUnit] ?? r.periodUnit}`);
  }
  if (r?.dayOfWeek?.length) parts.push(`på ${r.dayOfWeek.map((w) => WEEKDAY_NB[w] ?? w).join(', ')}`);
  for (const w of r?.when ?? []) parts.push(WHEN_NB[w] ?? w);
  if (r?.timeOfDay?.length) parts.push(`kl. ${r.timeOfDay.map((t) => t.slice(0, 5)).join(', ')}`);
  if (r?.boundsDuration?.value !== undefined) parts.push(`i ${r.boundsDuration.value} ${UCUM_TIME_NB[r.boundsDuration.code ?? ''] ?? r.boundsDuration.unit ?? ''}`.trim());
  if (r?.boundsPeriod?.start || r?.boundsPeriod?.end) parts.push([r.boundsPeriod.start ? `fra ${r.boundsPeriod.start.slice(0, 10)}` : '', r.boundsPeriod.end ? `til ${r.boundsPeriod.end.slice(0, 10)}` : ''].filter(Boolean).join(' '));
  if (r?.count !== undefined) parts.push(`${r.count} ${r.count === 1 ? 'gang' : 'ganger'} i alt`);
  if (!r && d.timing?.code) parts.push(d.timing.code.text ?? d.timing.code.coding?.[0]?.display ?? d.timing.code.coding?.[0]?.code ?? '');
  if (d.asNeededBoolean || d.asNeededCodeableConcept) parts.push('ved behov');
  const max = d.maxDosePerPeriod;
  if (max?.numerator) parts.push(`høyst ${quantityText(max.numerator, maps)} per ${max.denominator?.value === 1 ? '' : `${max.denominator?.value ?? ''} `}${UCUM_TIME_NB[max.denominator?.code ?? ''] ?? max.denominator?.unit ?? ''}`.replace('  ', ' ').trim());
  // A timing this line cannot write out in full says so: the original text beside it is what counts.
  const unrendered = Object.keys(r ?? {}).some((k) => !RENDERED_REPEAT.has(k)) || (d.doseAndRate?.length ?? 0) > 1 || !!doseAndRate?.rateQuantity || !!doseAndRate?.rateRatio || !!doseAndRate?.rateRange;
  if (unrendered) parts.push('(ikke fullstendig: se originalteksten)');
  return parts.filter(Boolean).join(', ');
}

/**
 * Builds the pharmacy view of an EU ePrescription Bundle.
 * @throws ViewInputError (with a FHIRPath) when the Bundle has no MedicationRequest
 */
export function euPrescriptionView(bundle: Bundle, options: ViewOptions = {}): PharmacyView {
  const maps = options.maps ?? defaultConceptMaps();
  // The pharmacy is in Norway: "expired" and "not yet valid" are decided by today's date there.
  const today = norwegianDate(options.now ?? new Date());
  if (bundle?.resourceType !== 'Bundle') throw new ViewInputError('Bundle', 'the body must be a FHIR Bundle with a MedicationRequest');
  const repeated = repeatedFullUrl(bundle);
  if (repeated) throw new ViewInputError(`Bundle.entry[${repeated.index}].fullUrl`, repeatedFullUrlMessage(repeated.first));
  const requests = entriesOfType<MedicationRequest>(bundle, 'MedicationRequest');
  if (requests.length !== 1) throw new ViewInputError('Bundle.entry', requests.length === 0 ? 'the Bundle has no MedicationRequest' : 'one MedicationRequest per view: the Bundle has several');
  const mr = requests[0]!.resource;
  const refs = new BundleReferences(bundle);
  const medication = resolveInBundle<Medication>(refs, mr.medicationReference, 'Medication')?.resource;
  const patient = resolveInBundle<Patient>(refs, mr.subject, 'Patient')?.resource;
  // The requester may be a PractitionerRole (as MPD has it), a Practitioner or an Organization.
  const requester = resolveInBundle<PractitionerRole | Practitioner | Organization>(refs, mr.requester)?.resource;
  const role = requester?.resourceType === 'PractitionerRole' ? requester : undefined;
  const practitioner = role ? resolveInBundle<Practitioner>(refs, role.practitioner, 'Practitioner')?.resource : requester?.resourceType === 'Practitioner' ? requester : undefined;
  const organisation = role ? resolveInBundle<Organization>(refs, role.organization, 'Organization')?.resource : requester?.resourceType === 'Organization' ? requester : undefined;
  const country = organisation?.address?.map((a) => a.country?.trim()).find((c) => c);

  const concept = medication?.code ?? mr.medicationCodeableConcept;
  const name = medication?.extension?.find((e) => e.url === EXTENSION.productName)?.valueString ?? concept?.text ?? concept?.coding?.[0]?.display ?? 'ukjent legemiddel';
  const atcCoding = medication?.extension?.find((e) => e.url === EXTENSION.classification)?.valueCodeableConcept?.coding?.[0] ?? concept?.coding?.find((c) => c.system === SYSTEM.atc);
  const formCoding = medication?.form?.coding?.find((c) => c.system === SYSTEM.edqm) ?? medication?.form?.coding?.[0];
  const strength = medication?.ingredient?.map((i) => (i.strength?.numerator ? `${quantityText(i.strength.numerator, maps)}${i.strength.denominator && i.strength.denominator.value !== undefined ? `/${quantityText(i.strength.denominator, maps)}` : ''}` : '')).filter(Boolean).join(' + ');
  const amount = medication?.amount?.numerator ? quantityText(medication.amount.numerator, maps) : undefined;
  const routeDosage = mr.dosageInstruction?.find((d) => d.route);
  const routeCoding = routeDosage?.route?.coding?.find((c) => c.system === SYSTEM.edqm) ?? routeDosage?.route?.coding?.[0];

  const validity = mr.dispenseRequest?.validityPeriod ?? {};
  const warnings: ViewWarning[] = [];
  if (mr.status !== 'active') warnings.push({ code: 'not-active', message: mr.status ? `Resepten har status «${mr.status}» og skal ikke ekspederes.` : 'Resepten oppgir ingen status og skal ikke ekspederes.' });
  if (validity.end && validity.end.slice(0, 10) < today) warnings.push({ code: 'expired', message: `Resepten gikk ut ${validity.end.slice(0, 10)}.` });
  if (validity.start && validity.start.slice(0, 10) > today) warnings.push({ code: 'not-yet-valid', message: `Resepten er gyldig først fra ${validity.start.slice(0, 10)}.` });
  if (!patient) warnings.push({ code: 'no-patient', message: 'Resepten viser ikke til en pasient i dokumentet: pasientens identitet må bekreftes på annen måte før utlevering.' });
  const identifier = euPrescriptionIdentifier(mr);
  if (!identifier) warnings.push({ code: 'no-identifier', message: 'Resepten mangler identifikator: en utlevering kan ikke rapporteres tilbake til landet som utstedte den.' });
  for (const d of options.dispensed ?? []) warnings.push({ code: 'already-dispensed', message: `Allerede utlevert i Norge ${d.date}: ${d.packages} pakning(er).` });

  const prescribed = prescribedQuantity(mr)?.quantity;
  if (prescribed && !isPackageQuantity(prescribed)) {
    warnings.push({ code: 'not-in-packages', message: `Forskrevet mengde er oppgitt i «${prescribed.unit ?? prescribed.code ?? ''}», ikke i pakninger: en utlevering i pakninger kan ikke regnes mot den og rapporteres ikke tilbake.` });
  }
  const allowed = substitutionAllowed(mr.substitution);
  const code = concept?.coding?.[0];
  // Absent parts are undefined properties (JSON leaves them out), not spread-in objects: a dozen conditional
  // spreads made building the view cost as much as reading the Bundle.
  return {
    prescriptionId: identifier?.value ?? UNKNOWN,
    country: country || undefined,
    status: mr.status ?? UNKNOWN,
    authoredOn: mr.authoredOn || undefined,
    patient: {
      name: personName(patient),
      birthDate: patient?.birthDate || undefined,
      gender: patient?.gender ? GENDER_NB[patient.gender] ?? patient.gender : undefined,
      identifier: patient?.identifier?.[0]?.value || undefined,
    },
    prescriber: {
      name: personName(practitioner),
      identifier: practitioner?.identifier?.[0]?.value || undefined,
      organisation: organisation?.name || undefined,
      country: country || undefined,
    },
    product: {
      name,
      code: code ? { original: code.display ?? code.code ?? '', code: code.code || undefined, system: code.system || undefined } : undefined,
      atc: atcCoding ? { original: atcCoding.display ?? atcCoding.code ?? '', code: atcCoding.code || undefined, system: SYSTEM.atc } : undefined,
      form: formCoding || medication?.form?.text ? term(maps, formCoding, medication?.form?.text ?? formCoding?.display, volvenSystem(KODEVERK.legemiddelform)) : undefined,
      strength: strength || undefined,
      packageSize: amount || undefined,
    },
    dosage: {
      lines: (mr.dosageInstruction ?? []).map((d) => dosageLine(d, maps)).filter(Boolean),
      originalText: (mr.dosageInstruction ?? []).map((d) => d.text ?? d.patientInstruction).filter((t): t is string => !!t),
      route: routeCoding ? term(maps, routeCoding, routeDosage?.route?.text ?? routeCoding.display, volvenSystem(KODEVERK.administrasjonsvei)) : undefined,
    },
    quantity: prescribed ? (prescribed.code === '{package}' ? `${prescribed.value ?? `${UNKNOWN} antall`} pakning(er)` : quantityText(prescribed, maps)) : undefined,
    repeats: mr.dispenseRequest?.numberOfRepeatsAllowed ?? 0,
    validity: { from: validity.start || undefined, to: validity.end || undefined },
    substitution: { allowed, text: allowed === false ? 'Bytte er IKKE tillatt' : allowed ? 'Bytte er tillatt' : 'Ikke oppgitt om bytte er tillatt' },
    notes: (mr.note ?? []).map((n) => n.text).filter((t): t is string => !!t),
    warnings,
  };
}
