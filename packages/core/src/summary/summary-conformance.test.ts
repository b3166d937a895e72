import type { Bundle } from '@medplum/fhirtypes';
import { REPO_ROOT } from '../test-support/eresept-fixtures.js';
import { baseFhirErrors } from '../test-support/fhir-validation.js';
import { loadPatientFolders } from './sources/patient-folders.js';
import { summaryRuleViolations } from '../test-support/summary-rules.js';
import { join } from 'node:path';
import { assembleSummary } from './assemble.js';
import { renderSummary } from './narrative.js';
import { stableUuid } from '../conversion/stable-id.js';
import { SOURCE_NAMES, type PatientSourceData, type SourceOutcomes } from './sources/source-data.js';

const patients = loadPatientFolders(join(REPO_ROOT, 'test-data/patients'));
const NOW = new Date('2026-11-20T10:00:00Z');

function freshOutcomes(p: PatientSourceData): SourceOutcomes {
  return Object.fromEntries(SOURCE_NAMES.map((s) => [s, { status: 'fresh', snapshot: { source: s, fetchedAt: '2026-11-20T09:59:00.000Z', data: p.data[s] } }])) as unknown as SourceOutcomes;
}

function summaryOf(p: PatientSourceData, outcomes: SourceOutcomes = freshOutcomes(p)): Bundle {
  const { bundle } = assembleSummary({ patient: { id: stableUuid('test-patient', p.slug), key: p.key }, outcomes, now: NOW, allowSyntheticIdentities: true });
  return bundle;
}

describe('every test patient’s summary conforms', () => {
  it('has at least 30 test patients', () => {
    expect(patients.length).toBeGreaterThanOrEqual(30);
  });

  it.each(patients.map((p) => [p.slug, p] as const))('%s: base FHIR R4 and the IPS/EPS rules, in nb and en', (_slug, p) => {
    for (const language of ['nb', 'en'] as const) {
      const doc = renderSummary(summaryOf(p), language);
      expect(summaryRuleViolations(doc)).toEqual([]);
      expect(baseFhirErrors(doc)).toEqual([]);
    }
  });

  it.each(patients.slice(0, 5).map((p) => [p.slug, p] as const))('%s: still conforms with every source down', (_slug, p) => {
    const down = Object.fromEntries(SOURCE_NAMES.map((s) => [s, { status: 'unavailable', failure: 'HTTP 503' }])) as unknown as SourceOutcomes;
    const doc = renderSummary(summaryOf(p, down), 'nb');
    expect(summaryRuleViolations(doc).filter((v) => v !== 'ips-pat-1 Patient name and birthDate')).toEqual([]);
    expect(baseFhirErrors(doc)).toEqual([]);
  });
});

describe('the conformance rules catch what they check', () => {
  const doc = () => renderSummary(summaryOf(patients.find((p) => p.slug === 'multimorbid-elderly-rich-history') ?? patients[0]!), 'nb');

  it('a section with neither entry nor emptyReason breaks ips-comp-1', () => {
    const d = doc();
    const section = (d.entry?.[0]?.resource as { section: { entry?: unknown; emptyReason?: unknown }[] }).section[0]!;
    delete section.entry;
    delete section.emptyReason;
    expect(summaryRuleViolations(d)).toContain('ips-comp-1 on every section');
  });

  it('a Composition that is not first, a second Patient, a dangling reference, a missing section', () => {
    const d = doc();
    d.entry = [...d.entry!.slice(1), d.entry![0]!];
    expect(summaryRuleViolations(d)).toContain('bdl-ips-1 Composition first and only');
    const e = doc();
    const patient = e.entry!.find((x) => x.resource?.resourceType === 'Patient')!;
    e.entry!.push({ ...patient, fullUrl: 'urn:uuid:00000000-0000-4000-8000-000000000000' });
    expect(summaryRuleViolations(e)).toContain('exactly one Patient');
    const f = doc();
    (f.entry![0]!.resource as { subject: { reference: string } }).subject.reference = 'urn:uuid:nowhere';
    expect(summaryRuleViolations(f)).toContain('reference urn:uuid:nowhere does not resolve in the Bundle');
    const g = doc();
    (g.entry![0]!.resource as { section: unknown[] }).section.pop();
    expect(summaryRuleViolations(g)).toContain('six sections present');
  });
});
