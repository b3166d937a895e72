import type { CapabilityStatement } from '@medplum/fhirtypes';
import request from 'supertest';
import { baseFhirErrors } from '../../../packages/core/src/test-support/fhir-validation.js';
import { createApp } from './app.js';
import { createLogger } from './logging.js';

const app = createApp({ version: '9.9.9', startedAt: new Date('2026-11-22T08:00:00Z'), logger: createLogger({ write: () => undefined }) });

describe('GET /fhir/metadata', () => {
  it('answers a valid FHIR R4 CapabilityStatement', async () => {
    const res = await request(app).get('/fhir/metadata').expect(200);
    expect(res.headers['content-type']).toMatch(/^application\/fhir\+json/);
    const cs = res.body as CapabilityStatement;
    expect(cs).toMatchObject({
      resourceType: 'CapabilityStatement',
      status: 'active',
      kind: 'instance',
      fhirVersion: '4.0.1',
      date: '2026-11-22T08:00:00.000Z',
      software: { version: '9.9.9' },
      rest: [{ mode: 'server' }],
    });
    expect(baseFhirErrors(cs)).toEqual([]);
  });
});

describe('GET /healthz', () => {
  it('says the process is alive', async () => {
    const res = await request(app).get('/healthz').expect(200);
    expect(res.body).toEqual({ status: 'ok' });
  });
});

describe('unknown paths', () => {
  it.each(['/fhir/Foo', '/nothing-here', '/fhir/metadata/extra'])('%s gives 404 with an OperationOutcome', async (path) => {
    const res = await request(app).get(path).expect(404);
    expect(res.headers['content-type']).toMatch(/^application\/fhir\+json/);
    expect(res.body).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'not-found' }] });
    expect(baseFhirErrors(res.body)).toEqual([]);
  });

  it('does not advertise the framework, and sends security headers', async () => {
    const res = await request(app).get('/healthz');
    expect(res.headers['x-powered-by']).toBeUndefined();
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
  });

  it('offers no development tokens outside development mode', async () => {
    await request(app).post('/auth/dev-token').set('Content-Type', 'application/json').send({}).expect(404);
  });
});
