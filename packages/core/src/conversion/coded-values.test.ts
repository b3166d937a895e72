/**
 * Quantities whose value FHIR cannot carry: kith:PQ's V is an xs:double, so INF and NaN read fine, but a
 * FHIR decimal has no such values (JSON.stringify would write null). They are reported, never emitted.
 */
import type { MedicationRequest } from '@medplum/fhirtypes';
import { readM1OrThrow } from '../eresept/messages.js';
import { fixture } from '../test-support/eresept-fixtures.js';
import { baseFhirErrors } from '../test-support/fhir-validation.js';
import { convertM1ToEuPrescription } from './m1-to-eu-prescription.js';

const NOW = new Date('2024-06-10T08:00:00Z');

describe.each(['INF', '-INF', 'NaN'])('a dose Mengde of %s', (value) => {
  const xml = fixture('m1-pakning-dosering.xml').replace(/(<(?:\w+:)?DoseFastTidspunkt>\s*<(?:\w+:)?Mengde V=")[^"]*"/, `$1${value}"`);
  const result = convertM1ToEuPrescription(readM1OrThrow(xml, { allowSyntheticIdentities: true }), { now: NOW });

  it('is left out of the FHIR dose, which stays valid FHIR', () => {
    expect(xml).toContain(`Mengde V="${value}"`);
    const request = result.bundle.entry?.find((e) => e.resource?.resourceType === 'MedicationRequest')?.resource as MedicationRequest;
    expect(request.dosageInstruction?.[0]?.doseAndRate?.[0]?.doseQuantity).not.toHaveProperty('value');
    expect(JSON.stringify(result.bundle)).not.toContain('null');
    expect(baseFhirErrors(result.bundle)).toEqual([]);
  });

  it('is reported as not carried at its XPath', () => {
    expect(result.report.issue).toContainEqual(expect.objectContaining({
      code: 'not-supported',
      location: [expect.stringMatching(/fs:DoseFastTidspunkt\[1\]\/fs:Mengde\/@V$/)],
      diagnostics: expect.stringContaining('not a finite number'),
    }));
  });
});
