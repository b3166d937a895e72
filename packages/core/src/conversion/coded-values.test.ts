/**
 * Quantities whose value FHIR cannot carry: kith:PQ's V is an xs:double, so INF and NaN read fine where the
 * reader has no rule against them, but a FHIR decimal has no such values (JSON.stringify would write null).
 * They are reported, never emitted. (Doses and time spans are refused by the reader already.)
 */
import { defaultConceptMaps } from '../terminology/concept-maps.js';
import { quantity, type CodeContext } from './coded-values.js';
import { bundleFhirPath } from './fhir-bundle.js';
import { ConversionReport } from './report.js';

describe.each([Infinity, -Infinity, NaN])('a quantity of %d', (value) => {
  const report = new ConversionReport(bundleFhirPath);
  const ctx: CodeContext = { maps: defaultConceptMaps(), report };
  const q = quantity({ v: value, u: 'tablett' }, ['entry', 0, 'resource', 'strength'], 'strength', ctx);

  it('is left out of the FHIR Quantity, which keeps its unit', () => {
    expect(q).not.toHaveProperty('value');
    expect(q.unit).toBe('tablett');
    expect(JSON.stringify(q)).not.toContain('null');
  });

  it('is reported as not carried at its path', () => {
    expect(report.toOperationOutcome().issue).toContainEqual(expect.objectContaining({
      code: 'not-supported',
      expression: ['Bundle.entry[0].resource.strength.v'],
      diagnostics: expect.stringContaining('not a finite number'),
    }));
  });
});
