import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FhirValidator, NATIONAL_PROFILE } from '@ehds-no/core';
import type { Bundle, OperationOutcome, Patient } from '@medplum/fhirtypes';
import request from 'supertest';
import { REPO_ROOT } from '../../../../packages/core/src/test-support/eresept-fixtures.js';
import { createApp } from '../app.js';
import { SCOPE } from '../auth/caller.js';
import { devIssuer, type DevIssuer } from '../auth/token-verifier.js';
import { DEV_TOKEN_AUDIENCE } from '../config.js';
import { ConformanceRepository } from '../conformance/repository.js';
import { createLogger } from '../logging.js';

const corpus = (file: string) => readFileSync(join(REPO_ROOT, 'test-data/validation', file), 'utf8');
const VALID_SUMMARY = corpus('valid/summary-explanted-device-completed-en.json');
const FHIR = 'application/fhir+json';

const logLines: string[] = [];
let issuer: DevIssuer;
let token: string;
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  issuer = await devIssuer(DEV_TOKEN_AUDIENCE);
  token = await issuer.mint({ scope: SCOPE.validate });
  app = createApp({
    version: 'test',
    logger: createLogger({ write: (line: string) => void logLines.push(line) }),
    validation: { verifier: issuer, validator: new FhirValidator(), allowSyntheticIdentities: true },
  });
});

const post = (path: string, body: string, type = FHIR) => request(app).post(path).set('Authorization', `Bearer ${token}`).set('Content-Type', type).send(body);
const errors = (o: OperationOutcome) => (o.issue ?? []).filter((i) => i.severity === 'error' || i.severity === 'fatal');

describe('POST /fhir/$validate', () => {
  it('answers 200 "No issues found" for a summary the service produced', async () => {
    const res = await post('/fhir/$validate', VALID_SUMMARY).expect(200);
    expect(res.headers['content-type']).toMatch(/^application\/fhir\+json/);
    expect(res.body).toEqual({ resourceType: 'OperationOutcome', issue: [{ severity: 'information', code: 'informational', diagnostics: 'No issues found', expression: ['Bundle'] }] });
  });

  it('answers 200 with the errors located in the document (errors are results, not HTTP failures)', async () => {
    const res = await post('/fhir/$validate', corpus('invalid/ed-medicationdispense-no-recorded.json')).expect(200);
    expect(errors(res.body)).toContainEqual(expect.objectContaining({ severity: 'error', expression: ['Bundle.entry[0].resource.extension'] }));
  });

  it('takes the profile as a query parameter or in a Parameters body', async () => {
    const patient = (JSON.parse(VALID_SUMMARY) as Bundle).entry?.find((e) => e.resource?.resourceType === 'Patient')?.resource as Patient;
    delete patient.birthDate;
    const bare = await post('/fhir/$validate', JSON.stringify(patient)).expect(200);
    expect(errors(bare.body)).toEqual([]);
    const byQuery = await post(`/fhir/Patient/$validate?profile=${encodeURIComponent(NATIONAL_PROFILE.patient)}`, JSON.stringify(patient)).expect(200);
    expect(errors(byQuery.body)).toContainEqual(expect.objectContaining({ expression: ['Patient.birthDate'] }));
    const parameters = { resourceType: 'Parameters', parameter: [{ name: 'resource', resource: patient }, { name: 'profile', valueUri: NATIONAL_PROFILE.patient }] };
    const byBody = await post('/fhir/$validate', JSON.stringify(parameters)).expect(200);
    expect(errors(byBody.body)).toContainEqual(expect.objectContaining({ expression: ['Patient.birthDate'] }));
    // A wrong code inside the wrapped resource is the validator's finding, at the resource's own path.
    const wrongCode = { resourceType: 'Parameters', parameter: [{ name: 'resource', resource: { ...patient, gender: 'mann' } }, { name: 'profile', valueUri: NATIONAL_PROFILE.patient }] };
    const byBodyWrongCode = await post('/fhir/$validate', JSON.stringify(wrongCode)).expect(200);
    expect(errors(byBodyWrongCode.body)).toEqual(expect.arrayContaining([
      expect.objectContaining({ code: 'code-invalid', expression: ['Patient.gender'] }),
      expect.objectContaining({ expression: ['Patient.birthDate'] }),
    ]));
    const unknown = await post('/fhir/$validate?profile=http://example.org/nope', JSON.stringify(patient)).expect(200);
    expect(errors(unknown.body)[0]).toMatchObject({ code: 'not-supported' });
  });

  it('validates e-resept XML with the e-resept rules, located by XPath', async () => {
    const ok = await post('/fhir/$validate', readFileSync(join(REPO_ROOT, 'test-data/eresept/m1-pakning-dosering.xml'), 'utf8'), 'application/xml').expect(200);
    expect(errors(ok.body)).toEqual([]);
    const bad = await post('/fhir/$validate', corpus('invalid/m1-bad-date.xml'), 'application/xml').expect(200);
    expect(errors(bad.body)).toContainEqual(expect.objectContaining({ location: ['/mh:MsgHead/mh:Document[1]/mh:RefDoc/mh:Content/m1:Resept/m1:Forskrivningsdato'] }));
  });

  it('reads e-resept XML bytes by their declared encoding, or by the Content-Type charset when it has one', async () => {
    const utf8 = readFileSync(join(REPO_ROOT, 'test-data/eresept/m1-pakning-dosering.xml'), 'utf8');
    const latin1 = Buffer.from(utf8.replace(/encoding="UTF-8"/i, 'encoding="ISO-8859-1"'), 'latin1');
    const send = (type: string) => request(app).post('/fhir/$validate').set('Authorization', `Bearer ${token}`).set('Content-Type', type).send(latin1);
    expect(errors((await send('application/xml').expect(200)).body)).toEqual([]);
    expect(errors((await send('application/xml; charset=ISO-8859-1').expect(200)).body)).toEqual([]);
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(utf8.replace(/encoding="UTF-8"/i, 'encoding="UTF-16"'), 'utf16le')]);
    const sent16 = await request(app).post('/fhir/$validate').set('Authorization', `Bearer ${token}`).set('Content-Type', 'application/xml').send(utf16).expect(200);
    expect(errors(sent16.body)).toEqual([]);
    const wrong = await send('application/xml; charset=utf-8').expect(400);
    expect(wrong.body.issue[0]).toMatchObject({ code: 'invalid', location: ['/'] });
  });

  it('answers a malformed Parameters body or a profile that is not a string with located issues, never a 500', async () => {
    const patient = { resourceType: 'Patient', gender: 'female' };
    for (const body of [
      { resourceType: 'Parameters', parameter: { name: 'resource', resource: patient } },
      { resourceType: 'Parameters', parameter: [null, { name: 'resource', resource: patient }] },
      { resourceType: 'Parameters', parameter: [{ name: 'resource', resource: patient }, { name: 'profile', valueString: 7 }] },
    ]) {
      const res = await post('/fhir/$validate', JSON.stringify(body)).expect(200);
      expect(errors(res.body)[0]?.expression?.[0]).toMatch(/^Parameters\.parameter/);
    }
    const empty = await post('/fhir/$validate', '  ', 'application/xml').expect(400);
    expect(empty.body.issue[0]).toMatchObject({ location: ['/'] });
  });

  it('answers a value of the wrong JSON type with its location, never a 500', async () => {
    const patient = { resourceType: 'Patient', identifier: { system: 'urn:oid:2.16.578.1.12.4.1.4.1', value: 1 } };
    const res = await post('/fhir/$validate', JSON.stringify(patient)).expect(200);
    expect(errors(res.body)).toEqual([expect.objectContaining({ expression: ['Patient.identifier'] })]);
  });

  it('400 for a body that is not JSON (with the line and column), 415 for another media type, 405 for GET', async () => {
    const res = await post('/fhir/$validate', '{\n  "resourceType": "Patient",\n  "active": tru\n}').expect(400);
    expect(res.body.issue[0]).toMatchObject({ code: 'structure', location: ['line 3, column 13'] });
    await post('/fhir/$validate', 'hello', 'text/plain').expect(415);
    await post('/fhir/$validate', 'not xml', 'application/xml').expect(400);
    await request(app).get('/fhir/$validate').set('Authorization', `Bearer ${token}`).expect(405);
  });

  it('401 without a token, 403 without the ehds/validate scope', async () => {
    await request(app).post('/fhir/$validate').set('Content-Type', FHIR).send(VALID_SUMMARY).expect(401);
    const other = await issuer.mint({ scope: SCOPE.summaryRead });
    const res = await request(app).post('/fhir/$validate').set('Authorization', `Bearer ${other}`).set('Content-Type', FHIR).send(VALID_SUMMARY).expect(403);
    expect(res.body.issue[0]).toMatchObject({ code: 'forbidden' });
  });

  it('logs neither the payload nor the identifiers in it', () => {
    const fnr = ((JSON.parse(VALID_SUMMARY) as Bundle).entry?.find((e) => e.resource?.resourceType === 'Patient')?.resource as Patient).identifier?.[0]?.value ?? '';
    expect(fnr).not.toBe('');
    expect(logLines.join('\n')).not.toContain(fnr);
    expect(logLines.join('\n')).not.toContain('Pasientoppsummering');
  });
});

describe('POST /fhir/{type}/$validate', () => {
  it('validates a resource of that type, and says so when the body is another type', async () => {
    const ok = await post('/fhir/Bundle/$validate', VALID_SUMMARY).expect(200);
    expect(errors(ok.body)).toEqual([]);
    const other = await post('/fhir/Patient/$validate', VALID_SUMMARY).expect(200);
    expect(errors(other.body)[0]).toMatchObject({ code: 'structure', expression: ['Bundle.resourceType'] });
  });

  it('404 for a type FHIR does not have; 415 for XML at the type level', async () => {
    await post('/fhir/Foo/$validate', VALID_SUMMARY).expect(404);
    await post('/fhir/Bundle/$validate', '<MsgHead/>', 'application/xml').expect(415);
  });
});

describe('the operation is declared', () => {
  it('in the CapabilityStatement, with an OperationDefinition under profiles/operations', async () => {
    const meta = await request(app).get('/fhir/metadata').expect(200);
    expect(meta.body.rest[0].operation).toContainEqual(expect.objectContaining({ name: 'validate', definition: 'https://ehds-no.github.io/fhir/OperationDefinition/validate' }));
    expect(new ConformanceRepository().read('OperationDefinition', 'validate')).toMatchObject({ code: 'validate', system: true, type: true });
  });
});
