import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { OperationOutcomeIssue } from '@medplum/fhirtypes';
import type { EreseptXsdValidator } from '../eresept/xsd-validator.js';
import { REPO_ROOT, xsdAvailable, xsdValidator } from '../test-support/eresept-fixtures.js';
import { issueLine } from './issues.js';
import { validatePayload } from './validate-payload.js';
import { FhirValidator } from './validate-fhir.js';

interface Manifest {
  readonly options: { readonly allowSyntheticIdentities: boolean };
  readonly valid: readonly { file: string; what: string }[];
  readonly invalid: readonly { file: string; base: string; defect: string; expect: { severity: string; expression?: string; location?: string } }[];
}

const DIR = join(REPO_ROOT, 'test-data/validation');
const manifest = JSON.parse(readFileSync(join(DIR, 'manifest.json'), 'utf8')) as Manifest;
const validator = new FhirValidator();
let xsd: EreseptXsdValidator | undefined;

beforeAll(async () => {
  if (xsdAvailable()) xsd = await xsdValidator();
});

function validate(file: string) {
  return validatePayload(readFileSync(join(DIR, file)), { ...manifest.options, validator, ...(xsd ? { xsd } : {}) }).issue ?? [];
}

const where = (i: OperationOutcomeIssue) => i.expression?.[0] ?? i.location?.[0];

describe('the validation corpus (test-data/validation)', () => {
  it('is what scripts/validation/make-corpus.mjs writes', () => {
    expect(() => execFileSync(process.execPath, [join(REPO_ROOT, 'scripts/validation/make-corpus.mjs'), '--check'], { stdio: 'pipe' })).not.toThrow();
  }, 60_000);

  it('has valid documents of every kind and at least 60 invalid ones, each with one expected location', () => {
    expect(manifest.valid.length).toBeGreaterThanOrEqual(10);
    expect(manifest.invalid.length).toBeGreaterThanOrEqual(60);
    for (const d of manifest.invalid) expect(where({ severity: 'error', code: 'invalid', ...(d.expect.expression ? { expression: [d.expect.expression] } : { location: [d.expect.location ?? ''] }) })).toBeTruthy();
  });

  it.each(manifest.valid.map((v) => [v.file, v]))('valid: %s passes with no error and no warning', (file) => {
    const problems = validate(file).filter((i) => i.severity !== 'information').map(issueLine);
    expect(problems).toEqual([]);
  });

  it.each(manifest.invalid.map((d) => [d.file, d]))('invalid: %s is reported at the expected place', (file, d) => {
    const issues = validate(file);
    const errors = issues.filter((i) => i.severity === 'error' || i.severity === 'fatal');
    const expected = d.expect.expression ?? d.expect.location;
    // Every issue is located: FHIRPath for FHIR, XPath for e-resept XML.
    expect(issues.every((i) => where(i))).toBe(true);
    expect({ defect: d.defect, reported: errors.map(where) }).toEqual({ defect: d.defect, reported: expect.arrayContaining([expected]) });
  });
});
