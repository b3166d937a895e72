import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Bundle } from '@medplum/fhirtypes';
import { preloadReferenceData, preloadValidation } from './preload-reference-data.js';
import { REPO_ROOT } from './test-support/eresept-fixtures.js';
import { defaultProfileRegistry } from './validation/profile-registry.js';
import { FhirValidator } from './validation/validate-fhir.js';

// This file's module state starts empty, so the order the service uses at startup is the one exercised:
// validation's definitions first, then the readers' (which then index R4 core from those, unread again).
describe('preloading at startup', () => {
  const prepared = preloadValidation();
  preloadReferenceData();

  it('prepares every profile of profiles/generated', () => {
    expect(prepared.length).toBeGreaterThanOrEqual(14);
    expect([...prepared].sort()).toEqual(defaultProfileRegistry().profileUrls().sort());
  });

  it('leaves validation as it is: an MPD prescription is valid, and a broken one is reported where it breaks', () => {
    const bundle = JSON.parse(readFileSync(join(REPO_ROOT, 'test-data/eu/ep-se-amoxicillin-valid.json'), 'utf8')) as Bundle;
    const validator = new FhirValidator();
    expect(validator.validate(bundle).issue).toEqual([{ severity: 'information', code: 'informational', diagnostics: 'No issues found', expression: ['Bundle'] }]);
    const request = bundle.entry?.find((e) => e.resource?.resourceType === 'MedicationRequest')?.resource as { intent?: string };
    request.intent = 'not-an-intent';
    const errors = (validator.validate(bundle).issue ?? []).filter((i) => i.severity === 'error');
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.some((i) => (i.expression?.[0] ?? '').includes('.intent'))).toBe(true);
  });
});
