/**
 * Alerts (LOINC 104605-1), from Kjernejournal's critical information other than allergies: a critical
 * medical condition (e.g. a bleeding disorder) becomes an alert `Flag` that points at the `Condition` it
 * is about (flag-detail); Kjernejournal's own Flags are taken as they are.
 */
import type { Condition, Flag, Resource } from '@medplum/fhirtypes';
import { SYSTEM } from '../../terminology/fhir-systems.js';
import { KJ_CATEGORY, SUMMARY_EXTENSION } from '../summary-codes.js';
import { snapshotOf, type SectionDefinition, type SectionEntry } from '../summary-model.js';
import { conceptText, dateText } from './cell-text.js';
import { isRefutedOrOver } from './clinical-status.js';
import { recordOf, withoutSourceIdentity } from './source-copy.js';

/** True when a Kjernejournal Condition is in the given critical-information category. */
export function hasKjCategory(c: Condition, code: string): boolean {
  return (c.category ?? []).some((cat) => (cat.coding ?? []).some((x) => x.system === KJ_CATEGORY.system && x.code === code));
}

/**
 * Inclusion rule: a Kjernejournal critical medical condition (category 5) that is not refuted, entered in
 * error, inactive or resolved; and every active Kjernejournal Flag.
 */
export function includeAlert(r: Resource): r is Condition | Flag {
  if (r.resourceType === 'Flag') return r.status === 'active';
  return r.resourceType === 'Condition' && hasKjCategory(r, KJ_CATEGORY.criticalCondition) && !isRefutedOrOver(r.verificationStatus, r.clinicalStatus);
}

const CLINICAL_FLAG = { coding: [{ system: SYSTEM.flagCategory, code: 'clinical', display: 'Clinical' }] };

/** The alerts section. */
export const alertsSection: SectionDefinition = {
  code: { system: SYSTEM.loinc, code: '104605-1', display: 'Alert' },
  title: { nb: 'Kritisk informasjon (varsler)', en: 'Alerts' },
  columns: { nb: ['Varsel', 'Gjelder', 'Fra'], en: ['Alert', 'About', 'Since'] },
  build(ctx) {
    const snapshot = snapshotOf(ctx.outcomes.kjernejournal);
    const entries: SectionEntry[] = [];
    for (const r of snapshot?.data.resources ?? []) {
      if (!includeAlert(r)) continue;
      const key = `alert|kjernejournal|${r.resourceType}/${r.id ?? ''}`;
      if (r.resourceType === 'Flag') {
        entries.push({ key, resource: { ...withoutSourceIdentity(r), subject: { reference: ctx.patientRef } }, related: [], records: [recordOf(snapshot!, r)] });
        continue;
      }
      const conditionKey = `${key}|condition`;
      const since = r.onsetDateTime ?? r.recordedDate;
      const flag: Flag = {
        resourceType: 'Flag',
        extension: [{ url: SUMMARY_EXTENSION.flagDetail, valueReference: { reference: ctx.refFor(conditionKey) } }],
        status: 'active',
        category: [CLINICAL_FLAG],
        code: r.code ?? { text: conceptText(r.code) },
        subject: { reference: ctx.patientRef },
        ...(since ? { period: { start: since } } : {}),
      };
      const condition: Condition = { ...withoutSourceIdentity(r), subject: { reference: ctx.patientRef } };
      entries.push({ key, resource: flag, related: [{ key: conditionKey, resource: condition }], records: [recordOf(snapshot!, r)] });
    }
    return { entries, sources: ['kjernejournal'] };
  },
  sortDate: (resource) => (resource as Flag).period?.start,
  row(resource, lookup) {
    const flag = resource as Flag;
    const detail = flag.extension?.find((e) => e.url === SUMMARY_EXTENSION.flagDetail)?.valueReference?.reference;
    const about = lookup(detail) as Condition | undefined;
    return [conceptText(flag.code), about ? conceptText(about.code) : '', dateText(flag.period?.start)];
  },
};
