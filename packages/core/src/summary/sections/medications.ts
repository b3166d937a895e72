/**
 * Medication summary (LOINC 10160-0): the patient's current medicines from Pasientens legemiddelliste
 * (PLL). For a patient without a PLL, or while PLL cannot be reached, Reseptformidleren's active
 * prescriptions (M1) are used instead, each converted with the step-1 M1 conversion.
 */
import type { Bundle, Medication, MedicationRequest, MedicationStatement, Reference, Resource } from '@medplum/fhirtypes';
import { convertM1ToEuPrescription } from '../../conversion/m1-to-eu-prescription.js';
import { resolveInBundle } from '../../conversion/fhir-bundle.js';
import { readM1 } from '../../eresept/messages.js';
import { SYSTEM } from '../../terminology/fhir-systems.js';
import { markAbsent } from '../summary-codes.js';
import { snapshotOf, type Localized, type SectionContext, type SectionDefinition, type SectionEntry } from '../summary-model.js';
import type { SourceName, SourceSnapshot } from '../sources/source-data.js';
import { conceptText, dateText, label } from './cell-text.js';
import { recordOf, withoutSourceIdentity } from './source-copy.js';

/**
 * Inclusion rule: a PLL treatment that is current: status active, intended, on-hold or unknown. Completed
 * ones (ended treatments, and the earlier prescriptions of a renewal chain) and stopped, not-taken or
 * entered-in-error ones are left out.
 */
export function includeMedicationStatement(s: MedicationStatement): boolean {
  return s.status === 'active' || s.status === 'intended' || s.status === 'on-hold' || s.status === 'unknown';
}

const STATUS: Readonly<Record<string, Localized>> = {
  active: { nb: 'Aktiv', en: 'Active' },
  intended: { nb: 'Planlagt', en: 'Intended' },
  'on-hold': { nb: 'Pause', en: 'On hold' },
  unknown: { nb: 'Ukjent', en: 'Unknown' },
};

/** The summary's MedicationStatement: only fields that stand on their own (no references into the PLL). */
function statement(source: MedicationStatement, medication: Reference<Medication> | undefined, ctx: SectionContext): MedicationStatement {
  const s: MedicationStatement = {
    resourceType: 'MedicationStatement',
    ...(source.identifier ? { identifier: source.identifier } : {}),
    status: source.status,
    ...(medication ? { medicationReference: medication } : { medicationCodeableConcept: source.medicationCodeableConcept ?? { text: source.medicationReference?.display ?? '' } }),
    subject: { reference: ctx.patientRef },
    ...(source.effectiveDateTime ? { effectiveDateTime: source.effectiveDateTime } : {}),
    ...(source.effectivePeriod ? { effectivePeriod: source.effectivePeriod } : {}),
    ...(source.dateAsserted ? { dateAsserted: source.dateAsserted } : {}),
    ...(source.reasonCode ? { reasonCode: source.reasonCode } : {}),
    ...(source.dosage ? { dosage: source.dosage } : {}),
  };
  // MedicationStatement-eu-eps requires effective[x]: say "unknown" rather than invent a date.
  if (!s.effectiveDateTime && !s.effectivePeriod) markAbsent(s, 'effectiveDateTime');
  return s;
}

function inBundle(bundle: Bundle, reference: string | undefined): Resource | undefined {
  return resolveInBundle(bundle, reference ? { reference } : undefined)?.resource;
}

function fromPll(snapshot: SourceSnapshot<'pll'>, bundle: Bundle, ctx: SectionContext): SectionEntry[] {
  const entries: SectionEntry[] = [];
  for (const e of bundle.entry ?? []) {
    const r = e.resource;
    if (r?.resourceType !== 'MedicationStatement' || !includeMedicationStatement(r)) continue;
    const key = `medication|pll|${r.id ?? e.fullUrl ?? ''}`;
    const med = inBundle(bundle, r.medicationReference?.reference);
    const related = med?.resourceType === 'Medication' ? [{ key: `${key}|medication`, resource: withoutSourceIdentity(med) }] : [];
    const ref = related[0] ? { reference: ctx.refFor(related[0].key) } : undefined;
    const s = statement(r, ref, ctx);
    entries.push({ key, resource: s, related, records: [recordOf(snapshot, r)] });
  }
  return entries;
}

function fromReseptformidleren(snapshot: SourceSnapshot<'reseptformidleren'>, ctx: SectionContext, allowSyntheticIdentities: boolean): SectionEntry[] {
  const entries: SectionEntry[] = [];
  for (const p of snapshot.data.prescriptions) {
    const m1 = readM1(p.m1Xml, { allowSyntheticIdentities });
    if (!m1.ok) continue;
    // The step-1 conversion refuses expired prescriptions and non-medicines: neither belongs here.
    const converted = convertM1ToEuPrescription(m1.message, { now: ctx.now, maps: ctx.maps });
    if (!converted.release) continue;
    const request = converted.bundle.entry?.find((e) => e.resource?.resourceType === 'MedicationRequest')?.resource as MedicationRequest | undefined;
    const med = inBundle(converted.bundle, request?.medicationReference?.reference) as Medication | undefined;
    if (!request) continue;
    const key = `medication|reseptformidleren|${p.reseptId}`;
    const related = med ? [{ key: `${key}|medication`, resource: withoutSourceIdentity(med) }] : [];
    const validity = request.dispenseRequest?.validityPeriod;
    const source: MedicationStatement = {
      resourceType: 'MedicationStatement',
      identifier: request.identifier ?? [],
      status: 'active',
      subject: {},
      ...(validity ? { effectivePeriod: validity } : {}),
      ...(request.authoredOn ? { dateAsserted: request.authoredOn } : {}),
      ...(request.reasonCode ? { reasonCode: request.reasonCode } : {}),
      ...(request.dosageInstruction ? { dosage: request.dosageInstruction } : {}),
    };
    const s = statement(source, related[0] ? { reference: ctx.refFor(related[0].key) } : undefined, ctx);
    entries.push({ key, resource: s, related, records: [{ source: 'reseptformidleren', id: p.reseptId, fetchedAt: snapshot.fetchedAt }] });
  }
  return entries;
}

/** Options of the medication section that come from the deployment. */
export interface MedicationSectionOptions {
  /** Accept synthetic test person numbers in Reseptformidleren's M1s (test environments only). */
  readonly allowSyntheticIdentities: boolean;
}

/** The medication summary section. */
export function medicationsSection(options: MedicationSectionOptions): SectionDefinition {
  return {
    code: { system: SYSTEM.loinc, code: '10160-0', display: 'History of Medication use Narrative' },
    title: { nb: 'Legemiddeloppsummering', en: 'Medication summary' },
    columns: { nb: ['Legemiddel', 'Dosering', 'Fra', 'Status'], en: ['Medicine', 'Dosage', 'Since', 'Status'] },
    build(ctx) {
      const pll = snapshotOf(ctx.outcomes.pll);
      if (pll?.data.bundle) return { entries: fromPll(pll, pll.data.bundle, ctx), sources: ['pll'] };
      // No PLL for this patient (or PLL unreachable): the active prescriptions stand in.
      const rf = snapshotOf(ctx.outcomes.reseptformidleren);
      const sources: SourceName[] = pll ? ['reseptformidleren'] : ['pll', 'reseptformidleren'];
      return { entries: rf ? fromReseptformidleren(rf, ctx, options.allowSyntheticIdentities) : [], sources };
    },
    sortDate(resource) {
      const s = resource as MedicationStatement;
      return s.effectivePeriod?.start ?? s.effectiveDateTime ?? s.dateAsserted;
    },
    row(resource, lookup, language) {
      const s = resource as MedicationStatement;
      const med = lookup(s.medicationReference?.reference) as Medication | undefined;
      const name = med ? conceptText(med.code) : conceptText(s.medicationCodeableConcept);
      const dosage = (s.dosage ?? []).map((d) => d.text ?? '').filter(Boolean).join('; ');
      return [name, dosage, dateText(s.effectivePeriod?.start ?? s.effectiveDateTime), label(STATUS, s.status, language)];
    },
  };
}
