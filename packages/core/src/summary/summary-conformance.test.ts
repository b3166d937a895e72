import type { Bundle } from '@medplum/fhirtypes';
import { REPO_ROOT } from '../test-support/eresept-fixtures.js';
import { baseFhirErrors } from '../test-support/fhir-validation.js';
import { loadPatientFolders } from './sources/patient-folders.js';
import { summaryRuleViolations } from '../test-support/summary-rules.js';
import { generatePatients } from '../test-support/patient-generator.js';
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

describe('summaries of freshly generated patients conform too', () => {
  const generated = [...generatePatients({ seed: 7, count: 60 })];
  it.each(generated.map((p) => [p.slug, p] as const))('%s', (_slug, p) => {
    const doc = renderSummary(summaryOf(p), 'en');
    expect(summaryRuleViolations(doc)).toEqual([]);
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

describe('the named scenarios come out as a clinician expects', () => {
  const bySlug = (slug: string) => {
    const p = patients.find((x) => x.slug === slug);
    if (!p) throw new Error(`no scenario ${slug}`);
    return summaryOf(p);
  };
  const section = (b: Bundle, loinc: string) => (b.entry?.[0]?.resource as { section: { code: { coding: { code: string }[] }; entry?: { reference: string }[]; emptyReason?: { coding: { code: string }[] } }[] }).section.find((s) => s.code.coding[0]?.code === loinc)!;
  const resources = (b: Bundle, loinc: string) => (section(b, loinc).entry ?? []).map((e) => b.entry?.find((x) => x.fullUrl === e.reference)?.resource as unknown as Record<string, unknown>);

  it('nobody-knows-anything: six sections, each "none registered" (nilknown)', () => {
    const b = bySlug('nobody-knows-anything');
    for (const code of ['46264-8', '104605-1', '48765-2', '10160-0', '11450-4', '47519-4']) expect(section(b, code).emptyReason?.coding[0]?.code).toBe('nilknown');
  });

  it('no-known-allergies-statement: the explicit statement is an entry, not an empty section', () => {
    const b = bySlug('no-known-allergies-statement');
    expect(section(b, '48765-2').emptyReason).toBeUndefined();
    expect(JSON.stringify(resources(b, '48765-2')[0])).toContain('716186003');
  });

  it('same-diagnosis-npr-kpr-repeated: E11.9 ×5 in NPR and T90 ×8 in KPR are one problem with every record', () => {
    const b = bySlug('same-diagnosis-npr-kpr-repeated');
    const diabetes = resources(b, '11450-4').find((c) => JSON.stringify(c).includes('T90'))!;
    expect(JSON.stringify(diabetes)).toContain('E11');
    const ref = section(b, '11450-4').entry!.find((e) => b.entry!.find((x) => x.fullUrl === e.reference)!.resource === (diabetes as unknown))!.reference;
    const provenance = b.entry!.map((e) => e.resource).find((r) => r?.resourceType === 'Provenance' && (r as { target: { reference: string }[] }).target[0]?.reference === ref) as { entity: unknown[] };
    expect(provenance.entity.length).toBeGreaterThanOrEqual(13);
  });

  it('refuted-and-confirmed-allergy: the refuted penicillin allergy is left out', () => {
    const text = JSON.stringify(resources(bySlug('refuted-and-confirmed-allergy'), '48765-2'));
    expect(text).not.toContain('refuted');
    expect(resources(bySlug('refuted-and-confirmed-allergy'), '48765-2')).toHaveLength(2);
  });

  it('pll-renewal-chain: one entry per treatment (the chain heads), the ended course left out', () => {
    const meds = resources(bySlug('pll-renewal-chain'), '10160-0');
    expect(meds).toHaveLength(2);
    expect(meds.every((m) => m.status === 'active')).toBe(true);
  });

  it('no-pll-reseptformidleren-only: medicines from the active M1s', () => {
    const meds = resources(bySlug('no-pll-reseptformidleren-only'), '10160-0');
    expect(meds.length).toBeGreaterThan(0);
    expect(section(bySlug('no-pll-reseptformidleren-only'), '10160-0').entry?.length).toBe(meds.length);
  });

  it('bleeding-disorder-haemophilia: an alert Flag about the condition', () => {
    const [flag] = resources(bySlug('bleeding-disorder-haemophilia'), '104605-1');
    expect(flag?.resourceType).toBe('Flag');
  });

  it('pacemaker-and-kidney-transplant: the pacemaker under devices, the transplant under problems', () => {
    const b = bySlug('pacemaker-and-kidney-transplant');
    expect(resources(b, '46264-8')[0]?.resourceType).toBe('DeviceUseStatement');
    expect(JSON.stringify(resources(b, '11450-4'))).toContain('Transplantert nyre');
  });

  it('explanted-device-completed: the explanted pacemaker and the erroneous hip are left out, the ICD stays', () => {
    expect(resources(bySlug('explanted-device-completed'), '46264-8')).toHaveLength(1);
  });
});
