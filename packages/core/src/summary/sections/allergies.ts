/**
 * Allergies and intolerances (LOINC 48765-2), from Kjernejournal's critical information: drug reactions
 * (legemiddelreaksjoner) and other allergies. An explicit "no known allergy" record (SNOMED) is an entry.
 */
import type { AllergyIntolerance, Resource } from '@medplum/fhirtypes';
import { SYSTEM } from '../../terminology/fhir-systems.js';
import { snapshotOf, type Localized, type SectionDefinition, type SectionEntry } from '../summary-model.js';
import { conceptText, dateText, firstCode, label } from './cell-text.js';
import { isRefutedOrOver } from './clinical-status.js';
import { recordOf, withoutSourceIdentity } from './source-copy.js';

/**
 * Inclusion rule: every allergy except those the source says are wrong or over: verification
 * `refuted` (avkreftet) or `entered-in-error`, clinical status `inactive` or `resolved`.
 */
export function includeAllergy(a: AllergyIntolerance): boolean {
  return !isRefutedOrOver(a.verificationStatus, a.clinicalStatus);
}

const CRITICALITY: Readonly<Record<string, Localized>> = {
  high: { nb: 'Høy', en: 'High' },
  low: { nb: 'Lav', en: 'Low' },
  'unable-to-assess': { nb: 'Kan ikke vurderes', en: 'Unable to assess' },
};

const VERIFICATION: Readonly<Record<string, Localized>> = {
  confirmed: { nb: 'Bekreftet', en: 'Confirmed' },
  unconfirmed: { nb: 'Mistenkt', en: 'Suspected' },
  presumed: { nb: 'Sannsynlig', en: 'Likely' },
};

/** The allergies section. */
export const allergiesSection: SectionDefinition = {
  code: { system: SYSTEM.loinc, code: '48765-2', display: 'Allergies and adverse reactions Document' },
  title: { nb: 'Allergier og intoleranser', en: 'Allergies and intolerances' },
  columns: {
    nb: ['Allergen / legemiddel', 'Reaksjon', 'Alvorlighetsgrad', 'Sikkerhet', 'Registrert'],
    en: ['Allergen / medicine', 'Reaction', 'Criticality', 'Certainty', 'Recorded'],
  },
  build(ctx) {
    const snapshot = snapshotOf(ctx.outcomes.kjernejournal);
    const entries: SectionEntry[] = [];
    for (const r of snapshot?.data.resources ?? []) {
      if (r.resourceType !== 'AllergyIntolerance' || !includeAllergy(r)) continue;
      const resource: AllergyIntolerance = { ...withoutSourceIdentity(r), patient: { reference: ctx.patientRef } };
      entries.push({
        key: `allergy|kjernejournal|${r.id ?? ''}`,
        resource,
        related: [],
        records: [recordOf(snapshot!, r)],
      });
    }
    return { entries, sources: ['kjernejournal'] };
  },
  sortDate: (resource) => (resource as AllergyIntolerance).recordedDate,
  row(resource: Resource, _lookup, language) {
    const a = resource as AllergyIntolerance;
    const reactions = (a.reaction ?? []).flatMap((x) => (x.manifestation ?? []).map(conceptText)).join(', ');
    return [conceptText(a.code), reactions, label(CRITICALITY, a.criticality, language), label(VERIFICATION, firstCode(a.verificationStatus), language), dateText(a.recordedDate)];
  },
};
