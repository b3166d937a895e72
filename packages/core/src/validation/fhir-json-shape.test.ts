import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Bundle } from '@medplum/fhirtypes';
import { REPO_ROOT } from '../test-support/eresept-fixtures.js';
import { readFhirResource } from './fhir-json-shape.js';

const EU_DIR = join(REPO_ROOT, 'test-data/eu');
const fixture = (name: string): Record<string, unknown> => JSON.parse(readFileSync(join(EU_DIR, name), 'utf8')) as Record<string, unknown>;
const PRESCRIPTION = 'ep-se-amoxicillin-valid.json';

/** The findings of reading `value` as a Bundle, as "FHIRPath: message" lines. */
function findings(value: unknown): string[] {
  const r = readFhirResource<Bundle>(value, 'Bundle');
  return r.ok ? [] : (r.outcome.issue ?? []).map((i) => `${i.expression?.[0]}: ${i.diagnostics}`);
}

/** The prescription fixture with one change made to its first entry's resource (the MedicationRequest). */
function withRequest(change: (mr: Record<string, unknown>) => void): Record<string, unknown> {
  const b = fixture(PRESCRIPTION);
  change((b.entry as { resource: Record<string, unknown> }[])[0]!.resource);
  return b;
}

describe('readFhirResource', () => {
  it.each(readdirSync(EU_DIR).filter((f) => f.endsWith('.json')))('accepts the EU fixture %s', (name) => {
    expect(findings(fixture(name))).toEqual([]);
  });

  it.each<[string, (mr: Record<string, unknown>) => void, string]>([
    ['an object where a string belongs', (mr) => { mr.status = { code: 'active' }; }, 'Bundle.entry[0].resource.status: a string (code) is required here, not an object'],
    ['an array where one value belongs', (mr) => { mr.authoredOn = ['2024-06-01']; }, 'Bundle.entry[0].resource.authoredOn: authoredOn holds one value, not an array'],
    ['one value where an array belongs', (mr) => { mr.identifier = { value: 'x' }; }, 'Bundle.entry[0].resource.identifier: identifier repeats: its value must be an array, not an object'],
    ['a number where a string belongs', (mr) => { (mr.identifier as { value: unknown }[])[0]!.value = 123; }, 'Bundle.entry[0].resource.identifier[0].value: a string (string) is required here, not a number'],
    ['a control character', (mr) => { (mr.dosageInstruction as { text: string }[])[0]!.text = 'a\u0001b'; }, 'Bundle.entry[0].resource.dosageInstruction[0].text: the text holds a character FHIR does not allow (a control character, a lone surrogate, or U+FFFE/U+FFFF)'],
    ['NUL', (mr) => { (mr.dosageInstruction as { text: string }[])[0]!.text = 'a\u0000'; }, 'Bundle.entry[0].resource.dosageInstruction[0].text: the text holds a character FHIR does not allow (a control character, a lone surrogate, or U+FFFE/U+FFFF)'],
    ['a lone surrogate', (mr) => { (mr.dosageInstruction as { text: string }[])[0]!.text = 'a\uD800b'; }, 'Bundle.entry[0].resource.dosageInstruction[0].text: the text holds a character FHIR does not allow (a control character, a lone surrogate, or U+FFFE/U+FFFF)'],
    ['a date off the calendar', (mr) => { mr.authoredOn = '2024-02-30'; }, 'Bundle.entry[0].resource.authoredOn: 2024-02-30 is not a date on the calendar'],
    ['a malformed dateTime', (mr) => { mr.authoredOn = '2024-99-99'; }, 'Bundle.entry[0].resource.authoredOn: "2024-99-99" is not a valid dateTime'],
    ['an unknown element', (mr) => { mr.colour = 'blue'; }, 'Bundle.entry[0].resource.colour: colour is not an element of MedicationRequest'],
    ['null', (mr) => { mr.intent = null; }, 'Bundle.entry[0].resource.intent: null is not allowed in FHIR JSON'],
    ['an empty object', (mr) => { mr.identifier = [{}]; }, 'Bundle.entry[0].resource.identifier[0]: an empty object is not allowed in FHIR JSON'],
    ['an empty array', (mr) => { mr.reasonCode = []; }, 'Bundle.entry[0].resource.reasonCode: an empty array is not allowed in FHIR JSON: leave reasonCode out instead'],
    ['a fraction where a whole number belongs', (mr) => { (mr.dispenseRequest as Record<string, unknown>).numberOfRepeatsAllowed = 1.5; }, 'Bundle.entry[0].resource.dispenseRequest.numberOfRepeatsAllowed: a whole number from 0 to 2147483647 (unsignedInt) is required here, not 1.5'],
  ])('finds %s at its FHIRPath', (_what, change, expected) => {
    expect(findings(withRequest(change))).toEqual([expected]);
  });

  it('checks a resource inside another by the resourceType it names', () => {
    const b = fixture(PRESCRIPTION);
    (b.entry as { resource: Record<string, unknown> }[])[1]!.resource = { resourceType: 'Bogus', id: 'x' };
    expect(findings(b)).toEqual(['Bundle.entry[1].resource.resourceType: "Bogus" is not a FHIR R4 resource type']);
  });

  it('accepts the id and extensions of primitive values in `_x`, and nulls paired with them', () => {
    const b = withRequest((mr) => {
      mr._authoredOn = { extension: [{ url: 'http://example.org/x', valueString: 'y' }] };
    });
    expect(findings(b)).toEqual([]);
    const patient = (b.entry as { resource: Record<string, unknown> }[]).find((e) => e.resource.resourceType === 'Patient')!.resource;
    patient.name = [{ given: [null, 'Anna'], _given: [{ extension: [{ url: 'http://example.org/x', valueString: 'y' }] }, null] }];
    expect(findings(b)).toEqual([]);
  });

  it('holds a code bound `required` to its ValueSet, unless the caller checks bindings itself', () => {
    const b = fixture(PRESCRIPTION);
    const patient = (b.entry as { resource: Record<string, unknown> }[]).find((e) => e.resource.resourceType === 'Patient')!.resource;
    const at = (b.entry as { resource: unknown }[]).findIndex((e) => e.resource === patient);
    patient.gender = 'mann';
    expect(findings(b)).toEqual([`Bundle.entry[${at}].resource.gender: "mann" is not a code of the required ValueSet administrative-gender`]);
    expect(readFhirResource(b, 'Bundle', { requiredCodes: false }).ok).toBe(true);
    patient.gender = 'female';
    expect(findings(b)).toEqual([]);
  });

  it('refuses what is not a resource of the asked type', () => {
    expect(findings(null)).toEqual(['Bundle: the body must be a FHIR Bundle (a JSON object), not null']);
    expect(findings([1])).toEqual(['Bundle: the body must be a FHIR Bundle (a JSON object), not an array']);
    expect(findings({ resourceType: 'Patient' })).toEqual(['Bundle.resourceType: a Bundle is required here, not a Patient']);
  });

  it('refuses a string of only whitespace, which says nothing and would be copied on as a value FHIR validators refuse', () => {
    for (const blank of [' ', '\n\t', '\u00a0']) {
      const b = withRequest((mr) => {
        (mr.identifier as { value: string }[])[0]!.value = blank;
      });
      expect(findings(b)).toEqual([expect.stringMatching(/^Bundle\.entry\[0\]\.resource\.identifier\[0\]\.value: a string of only whitespace/)]);
    }
    expect(findings(withRequest((mr) => { (mr.identifier as { value: string }[])[0]!.value = ' Ø '; }))).toEqual([]);
  });

  it('refuses a value nested deeper than any FHIR resource, before its walk (or a conversion after it) runs out of stack', () => {
    const deep = withRequest((mr) => {
      let ext: Record<string, unknown> = { url: 'urn:x', valueString: 'x' };
      for (let i = 0; i < 5000; i++) ext = { url: 'urn:x', extension: [ext] };
      mr.extension = [ext];
    });
    const found = findings(deep);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/^Bundle\.entry\[0\]\.resource(\.extension\[0\])+: the value nests deeper than 100 levels/);
  });

  it('stops after twenty findings', () => {
    const b = withRequest((mr) => {
      for (let i = 0; i < 50; i++) mr[`unknown${i}`] = i;
    });
    expect(findings(b)).toHaveLength(20);
  });

  it('reads a Parameters resource with resources inside', () => {
    const p = { resourceType: 'Parameters', parameter: [{ name: 'prescription', resource: fixture(PRESCRIPTION) }, { name: 'dispense', resource: { resourceType: 'Binary', contentType: 'application/xml', data: 7 } }] };
    const r = readFhirResource(p, 'Parameters');
    expect(r.ok ? [] : r.outcome.issue?.map((i) => i.expression?.[0])).toEqual(['Parameters.parameter[1].resource.data']);
  });
});
