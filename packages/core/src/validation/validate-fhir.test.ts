import { validateResource, OperationOutcomeError } from '@medplum/core';
import type { Bundle, OperationOutcomeIssue, Patient } from '@medplum/fhirtypes';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NATIONAL_PROFILE } from '../terminology/fhir-systems.js';
import { fixture, REPO_ROOT } from '../test-support/eresept-fixtures.js';
import { ensureCoreDefinitions } from './base-definitions.js';
import { defaultProfileRegistry } from './profile-registry.js';
import { FhirValidator } from './validate-fhir.js';
import { validatePayload } from './validate-payload.js';
import { ValueSetIndex } from './value-sets.js';

const validator = new FhirValidator();
const corpus = (file: string) => JSON.parse(readFileSync(join(REPO_ROOT, 'test-data/validation', file), 'utf8')) as Bundle;
const summary = () => corpus('valid/summary-explanted-device-completed-en.json');
const eu = (name: string) => JSON.parse(readFileSync(join(REPO_ROOT, 'test-data/eu', name), 'utf8')) as Bundle;
const notInformation = (issues: OperationOutcomeIssue[] | undefined) => (issues ?? []).filter((i) => i.severity !== 'information');
const patientOf = (b: Bundle) => b.entry?.find((e) => e.resource?.resourceType === 'Patient')?.resource as Patient;

describe('FhirValidator', () => {
  it('says "No issues found" for a valid document, as one information issue', () => {
    const outcome = validator.validate(summary(), { allowSyntheticIdentities: true });
    expect(outcome.issue).toEqual([{ severity: 'information', code: 'informational', diagnostics: 'No issues found', expression: ['Bundle'] }]);
  });

  it('raises no false "Invalid reference" warning for urn:uuid references, where bare Medplum does', () => {
    ensureCoreDefinitions();
    const bundle = eu('ep-se-amoxicillin-valid.json');
    let bare: OperationOutcomeIssue[];
    try {
      bare = validateResource(bundle);
    } catch (e) {
      bare = (e as OperationOutcomeError).outcome.issue ?? [];
    }
    expect(bare.some((i) => i.details?.text?.startsWith('Invalid reference'))).toBe(true);
    expect(notInformation(validator.validate(bundle).issue)).toEqual([]);
  });

  it('reports a required element inside a slice that bare Medplum misses (FNR identifier without value)', () => {
    ensureCoreDefinitions();
    const patient = { ...patientOf(summary()), identifier: [{ system: 'urn:oid:2.16.578.1.12.4.1.4.1' }] };
    const sd = defaultProfileRegistry().resolve(NATIONAL_PROFILE.patient)?.profile.sd;
    let bare: OperationOutcomeIssue[];
    try {
      bare = validateResource(patient, sd ? { profile: sd } : undefined);
    } catch (e) {
      bare = (e as OperationOutcomeError).outcome.issue ?? [];
    }
    expect(bare.map((i) => i.expression?.[0])).not.toContain('Patient.identifier[0].value');
    const ours = validator.validate(patient, { profile: NATIONAL_PROFILE.patient, allowSyntheticIdentities: true }).issue ?? [];
    expect(ours).toContainEqual(expect.objectContaining({ severity: 'error', expression: ['Patient.identifier[0].value'] }));
  });

  it('checks a resource on its own against an asked profile, and against base R4 without one', () => {
    const patient = patientOf(summary());
    delete patient.birthDate;
    expect(notInformation(validator.validate(patient, { allowSyntheticIdentities: true }).issue)).toEqual([]);
    const outcome = validator.validate(patient, { profile: NATIONAL_PROFILE.patient, allowSyntheticIdentities: true });
    expect(outcome.issue).toContainEqual(expect.objectContaining({ severity: 'error', expression: ['Patient.birthDate'] }));
  });

  it('holds a document that declares only the IPS/EPS canonicals to the national rules (the stand-ins)', () => {
    const doc = summary();
    doc.meta = { profile: ['http://hl7.org/fhir/uv/ips/StructureDefinition/Bundle-uv-ips'] };
    const composition = doc.entry?.[0]?.resource as { section: unknown[] };
    composition.section.splice(1, 1);
    expect(validator.validate(doc, { allowSyntheticIdentities: true }).issue).toContainEqual(expect.objectContaining({ severity: 'error', expression: ['Bundle.entry[0].resource.section'] }));
  });

  it('refuses an unknown asked profile and one for another resource type; an unknown declared one is information only', () => {
    const patient = patientOf(summary());
    expect(validator.validate(patient, { profile: 'http://example.org/StructureDefinition/nope' }).issue?.[0]).toMatchObject({ severity: 'error', code: 'not-supported' });
    expect(validator.validate(patient, { profile: NATIONAL_PROFILE.condition }).issue?.[0]).toMatchObject({ severity: 'error', code: 'structure' });
    const declared = validator.validate({ ...patient, meta: { profile: ['http://example.org/StructureDefinition/other'] } }, { allowSyntheticIdentities: true });
    expect(notInformation(declared.issue)).toEqual([]);
    expect(declared.issue?.[0]).toMatchObject({ severity: 'information', expression: ['Patient.meta.profile'] });
  });

  it('never throws on bad input: every answer is an OperationOutcome with located issues', () => {
    const numberIdentifier = summary();
    (patientOf(numberIdentifier) as unknown as Record<string, unknown>).identifier = { value: 1 };
    for (const input of [
      null, 42, 'text', [], {}, { resourceType: 'Nope' }, { resourceType: 'Bundle', entry: 'x' }, { resourceType: 'Bundle', type: 'document', entry: [null, { resource: 'x' }] },
      { resourceType: 'Patient', identifier: { system: 'urn:oid:2.16.578.1.12.4.1.4.1', value: '1' } }, numberIdentifier,
    ]) {
      const outcome = validator.validate(input);
      expect(outcome.resourceType).toBe('OperationOutcome');
      for (const i of outcome.issue ?? []) {
        expect(i.severity).toBeDefined();
        expect(i.code).toBeDefined();
        expect(i.expression?.[0]).toBeTruthy();
        expect(i.diagnostics).toBeTruthy();
      }
    }
  });

  it('resolves references of any length at once, and quotes a long one only in part', () => {
    const bundle = eu('ep-se-amoxicillin-valid.json');
    const request = bundle.entry?.[0]?.resource as unknown as { subject: { reference: string } };
    request.subject.reference = `http://example.org/fhir/${'A'.repeat(200_000)}`;
    const issues = validator.validate(bundle, { allowSyntheticIdentities: true }).issue ?? [];
    const unresolved = issues.find((i) => i.expression?.[0] === 'Bundle.entry[0].resource.subject.reference' && i.code === 'not-found');
    expect(unresolved?.diagnostics?.length).toBeLessThan(300);
  });

  it('refuses synthetic person numbers unless asked to accept them, and never echoes the number', () => {
    const doc = summary();
    const value = patientOf(doc).identifier?.[0]?.value ?? '';
    const refused = notInformation(validator.validate(doc).issue);
    expect(refused).toEqual([expect.objectContaining({ severity: 'error', expression: ['Bundle.entry[1].resource.identifier[0].value'] })]);
    expect(JSON.stringify(refused)).not.toContain(value);
  });

  it('reports a dangling RESTful reference as an error in a document and as a warning in a collection', () => {
    const collection = eu('ep-se-amoxicillin-valid.json');
    const mr = collection.entry?.[0]?.resource as { subject: { reference: string } };
    mr.subject.reference = 'Patient/elsewhere';
    expect(notInformation(validator.validate(collection).issue)).toEqual([expect.objectContaining({ severity: 'warning', code: 'not-found', expression: ['Bundle.entry[0].resource.subject.reference'] })]);
    const doc = summary();
    (doc.entry?.[0]?.resource as { subject: { reference: string } }).subject.reference = 'Patient/elsewhere';
    expect(validator.validate(doc, { allowSyntheticIdentities: true }).issue).toContainEqual(expect.objectContaining({ severity: 'error', expression: ['Bundle.entry[0].resource.subject.reference'] }));
  });
});

describe('validatePayload', () => {
  it('locates a JSON syntax error by line and column', () => {
    const outcome = validatePayload('{\n  "resourceType": "Patient",\n  "active": tru\n}');
    expect(outcome.issue?.[0]).toMatchObject({ severity: 'fatal', code: 'structure', location: ['line 3, column 13'] });
  });

  it('sends XML to the e-resept validation, located by XPath', () => {
    const outcome = validatePayload(fixture('m1-pakning-dosering.xml'), { allowSyntheticIdentities: true });
    expect(outcome.issue).toEqual([expect.objectContaining({ severity: 'information', location: ['/'] })]);
    const broken = validatePayload('<MsgHead xmlns="http://www.kith.no/xmlstds/msghead/2006-05-24"><MsgInfo/></MsgHead>');
    expect(broken.issue?.[0]).toMatchObject({ severity: 'error' });
    expect(broken.issue?.[0]?.location?.[0]).toMatch(/^\//);
  });
});

describe('ValueSetIndex', () => {
  const index = new ValueSetIndex(
    [
      { resourceType: 'ValueSet', status: 'active', url: 'urn:vs:whole', compose: { include: [{ system: 'urn:cs:complete' }, { system: 'urn:cs:fragment' }] } },
      { resourceType: 'ValueSet', status: 'active', url: 'urn:vs:tho', compose: { include: [{ system: 'http://terminology.hl7.org/CodeSystem/x' }] } },
    ],
    [
      { resourceType: 'CodeSystem', status: 'active', content: 'complete', url: 'urn:cs:complete', concept: [{ code: 'a', concept: [{ code: 'a1' }] }] },
      { resourceType: 'CodeSystem', status: 'active', content: 'fragment', url: 'urn:cs:fragment', concept: [{ code: 'f' }] },
      { resourceType: 'CodeSystem', status: 'active', content: 'complete', url: 'http://terminology.hl7.org/CodeSystem/x', concept: [{ code: 't' }] },
    ],
  );

  it('refuses only what it can prove is outside', () => {
    expect(index.contains('urn:vs:whole', 'urn:cs:complete', 'a1')).toBe('member');
    expect(index.contains('urn:vs:whole|1.0', 'urn:cs:complete', 'b')).toBe('not-member');
    expect(index.contains('urn:vs:whole', 'urn:cs:fragment', 'zzz')).toBe('unknown');
    expect(index.contains('urn:vs:whole', 'urn:cs:other', 'a')).toBe('not-member');
    expect(index.contains('urn:vs:missing', 'urn:cs:complete', 'a')).toBe('unknown');
  });

  it('treats an R4 copy of an HL7 Terminology code system as final only for bare codes', () => {
    expect(index.contains('urn:vs:tho', 'http://terminology.hl7.org/CodeSystem/x', 'newer')).toBe('unknown');
    expect(index.contains('urn:vs:tho', undefined, 'newer')).toBe('not-member');
    expect(index.contains('urn:vs:tho', undefined, 't')).toBe('member');
  });
});
