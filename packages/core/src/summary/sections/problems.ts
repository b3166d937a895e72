/**
 * Problems (LOINC 11450-4): diagnoses from NPR (specialist care, ICD-10) and KPR (primary care, ICPC-2),
 * collapsed across episodes and registers (dedupe.ts), plus Kjernejournal's transplants. The registers
 * carry no clinical status: a status derived from register activity is marked as derived, and none is
 * given when the rule cannot tell. Every register diagnosis is included: the registers hold no refuted or
 * erroneous diagnoses, and EHDS merges past problems into this section.
 */
import type { CodeableConcept, Condition, Resource } from '@medplum/fhirtypes';
import { SYSTEM } from '../../terminology/fhir-systems.js';
import { collapseDiagnoses, registerItems, type CollapsedGroup } from '../dedupe.js';
import { KJ_CATEGORY, SUMMARY_EXTENSION } from '../summary-codes.js';
import { snapshotOf, type Localized, type SectionContext, type SectionDefinition, type SectionEntry } from '../summary-model.js';
import { hasKjCategory } from './alerts.js';
import { conceptText, dateText, firstCode, isDerived, label } from './cell-text.js';
import { isRefutedOrOver } from './clinical-status.js';
import { recordOf, withoutSourceIdentity } from './source-copy.js';

/** A diagnosis seen in a register within this many months counts as active (derived, and marked so). */
export const ACTIVE_WITHIN_MONTHS = 24;

/** Inclusion rule for Kjernejournal conditions: a transplant (category 7) that is not refuted or over. */
export function includeTransplant(c: Condition): boolean {
  return hasKjCategory(c, KJ_CATEGORY.implant) && !isRefutedOrOver(c.verificationStatus, c.clinicalStatus);
}

const ENCOUNTER_DIAGNOSIS: CodeableConcept = { coding: [{ system: SYSTEM.conditionCategory, code: 'encounter-diagnosis', display: 'Encounter Diagnosis' }] };

const STATUS: Readonly<Record<string, Localized>> = {
  active: { nb: 'Aktiv', en: 'Active' },
  recurrence: { nb: 'Tilbakefall', en: 'Recurrence' },
  relapse: { nb: 'Tilbakefall', en: 'Relapse' },
  remission: { nb: 'Remisjon', en: 'Remission' },
  unknown: { nb: 'Ukjent', en: 'Unknown' },
};

const DERIVED_NOTE: Localized = { nb: '(utledet fra registeraktivitet)', en: '(derived from register activity)' };

function monthsBefore(now: Date, months: number): string {
  const d = new Date(now);
  d.setUTCMonth(d.getUTCMonth() - months);
  return d.toISOString().slice(0, 10);
}

function registerCondition(g: CollapsedGroup, ctx: SectionContext): Condition {
  const condition: Condition = {
    resourceType: 'Condition',
    category: [ENCOUNTER_DIAGNOSIS],
    code: { coding: [...g.codings], text: conceptText({ coding: [...g.codings] }) },
    subject: { reference: ctx.patientRef },
    onsetDateTime: g.firstSeen,
    recordedDate: g.lastSeen,
  };
  if (g.lastSeen >= monthsBefore(ctx.now, ACTIVE_WITHIN_MONTHS)) {
    condition.clinicalStatus = {
      extension: [{ url: SUMMARY_EXTENSION.derived, valueString: `derived: reported to a register within the last ${ACTIVE_WITHIN_MONTHS} months` }],
      coding: [{ system: SYSTEM.conditionClinical, code: 'active', display: 'Active' }],
    };
  }
  return condition;
}

/** The problems section. */
export const problemsSection: SectionDefinition = {
  code: { system: SYSTEM.loinc, code: '11450-4', display: 'Problem list - Reported' },
  title: { nb: 'Helseproblemer og diagnoser', en: 'Problems' },
  columns: {
    nb: ['Problem / diagnose', 'Først registrert', 'Sist registrert', 'Status'],
    en: ['Problem / diagnosis', 'First seen', 'Last seen', 'Status'],
  },
  build(ctx) {
    const npr = snapshotOf(ctx.outcomes.npr);
    const kpr = snapshotOf(ctx.outcomes.kpr);
    const items = registerItems([npr, kpr], (r) => r.diagnoses);
    const entries: SectionEntry[] = collapseDiagnoses(items, ctx.maps).map((g) => ({
      key: `problem|${g.key}`,
      resource: registerCondition(g, ctx),
      related: [],
      records: g.records,
    }));
    const kj = snapshotOf(ctx.outcomes.kjernejournal);
    for (const r of kj?.data.resources ?? []) {
      if (r.resourceType !== 'Condition' || !includeTransplant(r)) continue;
      entries.push({
        key: `problem|kjernejournal|${r.id ?? ''}`,
        resource: { ...withoutSourceIdentity(r), subject: { reference: ctx.patientRef } },
        related: [],
        records: [recordOf(kj!, r)],
      });
    }
    return { entries, sources: ['npr', 'kpr', 'kjernejournal'] };
  },
  sortDate(resource) {
    const c = resource as Condition;
    return c.recordedDate ?? c.onsetDateTime;
  },
  row(resource: Resource, _lookup, language) {
    const c = resource as Condition;
    const status = label(STATUS, firstCode(c.clinicalStatus) ?? 'unknown', language);
    const derived = isDerived(c.clinicalStatus) ? ` ${DERIVED_NOTE[language]}` : '';
    return [conceptText(c.code), dateText(c.onsetDateTime), dateText(c.recordedDate), `${status}${derived}`];
  },
};
