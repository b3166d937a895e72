/**
 * Every document the service produces from the test data passes its own profiles: each test patient's
 * summary in both languages, every step-1 conversion (M1 → EU on every M1 fixture, and the goldens of all
 * flows, the M10s included).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Bundle } from '@medplum/fhirtypes';
import { stableUuid } from '../conversion/stable-id.js';
import { convertM1ToEuPrescription } from '../conversion/m1-to-eu-prescription.js';
import { readM1OrThrow } from '../eresept/messages.js';
import type { EreseptXsdValidator } from '../eresept/xsd-validator.js';
import { assembleSummary } from '../summary/assemble.js';
import { NATIONAL_PROFILE } from '../terminology/fhir-systems.js';
import { renderSummary } from '../summary/narrative.js';
import { loadPatientFolders } from '../summary/sources/patient-folders.js';
import { SOURCE_NAMES, type PatientSourceData, type SourceOutcomes } from '../summary/sources/source-data.js';
import { fixture, fixtureNames, REPO_ROOT, xsdAvailable, xsdValidator } from '../test-support/eresept-fixtures.js';
import { issueLine } from './issues.js';
import { FhirValidator } from './validate-fhir.js';
import { validateEreseptXml } from './validate-eresept.js';

const NOW = new Date('2026-11-20T10:00:00Z');
const CONVERSION_NOW = new Date('2024-06-10T08:00:00Z');
const validator = new FhirValidator();
let xsd: EreseptXsdValidator | undefined;

beforeAll(async () => {
  if (xsdAvailable()) xsd = await xsdValidator();
});

/** Errors and warnings (information is allowed). */
function problems(resource: unknown): string[] {
  return (validator.validate(resource, { allowSyntheticIdentities: true }).issue ?? []).filter((i) => i.severity !== 'information').map(issueLine);
}

function summaryOf(p: PatientSourceData): Bundle {
  const outcomes = Object.fromEntries(SOURCE_NAMES.map((s) => [s, { status: 'fresh', snapshot: { source: s, fetchedAt: '2026-11-20T09:59:00.000Z', data: p.data[s] } }])) as unknown as SourceOutcomes;
  return assembleSummary({ patient: { id: stableUuid('test-patient', p.slug), key: p.key }, outcomes, now: NOW, allowSyntheticIdentities: true }).bundle;
}

const goldenDir = (flow: string) => join(REPO_ROOT, 'test-data/golden', flow);
const goldens = (flow: string) => readdirSync(goldenDir(flow)).filter((f) => f.endsWith('.json')).sort();
const golden = <T>(flow: string, name: string) => JSON.parse(readFileSync(join(goldenDir(flow), name), 'utf8')) as T;

describe('every patient summary the service produces passes no-ps-bundle (IPS / EPS)', () => {
  const patients = loadPatientFolders();

  it.each(patients.map((p) => [p.slug, p] as const))('%s, in nb and en', (_slug, p) => {
    const bundle = summaryOf(p);
    expect(bundle.meta?.profile).toEqual(expect.arrayContaining(['http://hl7.org/fhir/uv/ips/StructureDefinition/Bundle-uv-ips', 'http://hl7.eu/fhir/eps/StructureDefinition/bundle-eu-eps', NATIONAL_PROFILE.bundle]));
    for (const language of ['nb', 'en'] as const) expect(problems(renderSummary(bundle, language))).toEqual([]);
  });
});

describe('every step-1 conversion output passes its profiles', () => {
  it.each(fixtureNames('m1-'))('M1 → EU ePrescription: %s', (name) => {
    const result = convertM1ToEuPrescription(readM1OrThrow(fixture(name), { allowSyntheticIdentities: true }), { now: CONVERSION_NOW });
    expect(problems(result.bundle)).toEqual([]);
  });

  it.each([...goldens('m1-to-eu').map((f) => ['m1-to-eu', f]), ...goldens('dispense-to-eu').map((f) => ['dispense-to-eu', f])])('golden %s/%s', (flow, name) => {
    expect(problems(golden<{ bundle: Bundle }>(flow, name).bundle)).toEqual([]);
  });

  it.each(goldens('eu-dispense-to-m10'))('golden eu-dispense-to-m10/%s: the M10 passes the e-resept rules (and the XSDs when configured)', (name) => {
    const { m10 } = golden<{ m10: string }>('eu-dispense-to-m10', name);
    const issues = (validateEreseptXml(m10, { allowSyntheticIdentities: true, ...(xsd ? { xsd } : {}) }).issue ?? []).filter((i) => i.severity !== 'information');
    expect(issues.map(issueLine)).toEqual([]);
  });
});
