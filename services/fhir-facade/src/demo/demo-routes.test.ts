/**
 * The demonstration page's routes: served only in development mode, the page's helpers under
 * /demo/api, and a content security policy that lets the page load its own files only.
 */
import request from 'supertest';
import { createApp } from '../app.js';
import { createLogger } from '../logging.js';
import { TEST_BACKEND } from '../test-support/test-database.js';
import { startDevFacade, type DevFacade } from '../test-support/dev-facade.js';

let dev: DevFacade;
beforeAll(async () => {
  dev = await startDevFacade();
});
afterAll(async () => dev.close());

const RICH = 'multimorbid-elderly-rich-history';

describe(`the demonstration page, on ${TEST_BACKEND}`, () => {
  it('is not served without the development issuer (production configuration)', async () => {
    const production = createApp({ version: 'test', logger: createLogger({ write: () => undefined }), demo: { summaryMaxAgeMs: 1 } });
    await request(production).get('/demo/').expect(404);
    await request(production).get('/demo/api/patients').expect(404);
  });

  it('serves the page with a policy that allows its own scripts and nothing from elsewhere', async () => {
    const res = await request(dev.app).get('/demo/').expect(200).expect('content-type', /text\/html/);
    expect(res.text).toContain('<script type="module" src="js/main.js">');
    const policy = res.headers['content-security-policy'] ?? '';
    expect(policy).toMatch(/(^|;)\s*script-src 'self'(;|$)/);
    expect(policy).toMatch(/(^|;)\s*style-src 'self'(;|$)/);
    expect(policy).toMatch(/default-src 'self'/);
    // Served over plain HTTP in development: an upgrade would break the page's own requests from another machine.
    expect(policy).not.toMatch(/upgrade-insecure-requests/);
    await request(dev.app).get('/demo/js/main.js').expect(200).expect('content-type', /javascript/);
    await request(dev.app).get('/demo').expect(301);
  });

  it('lists the test patients, named scenarios first, with the identifier $summary takes', async () => {
    const { body } = await request(dev.app).get('/demo/api/patients').expect(200);
    const patients = body as { slug: string; identifier: string; name: string }[];
    expect(patients.map((p) => p.slug)).toContain(RICH);
    expect(patients.every((p) => /^urn:oid:2\.16\.578\.1\.12\.4\.1\.4\.[12]\|\d{11}$/.test(p.identifier) && p.name)).toBe(true);
    const firstGenerated = patients.findIndex((p) => p.slug.startsWith('generated-'));
    expect(patients.slice(firstGenerated).every((p) => p.slug.startsWith('generated-'))).toBe(true);
  });

  it('gives the sources and extension URLs the page reads a summary with', async () => {
    const { body } = await request(dev.app).get('/demo/api/config').expect(200);
    expect(body).toMatchObject({ simulator: true, rebuild: true, summaryMaxAgeMs: 300_000 });
    expect((body as { sources: { name: string }[] }).sources.map((s) => s.name)).toEqual(['kjernejournal', 'pll', 'reseptformidleren', 'npr', 'kpr']);
  });

  it('serves the listed messages and nothing else', async () => {
    const { body } = await request(dev.app).get('/demo/api/fixtures').expect(200);
    expect(body).toMatchObject({ m1: expect.arrayContaining(['m1-demo-gyldig.xml']), 'eu-prescription': expect.arrayContaining(['ep-se-demo-gyldig.json']) });
    await request(dev.app).get('/demo/api/fixtures/m1/m1-demo-gyldig.xml').expect(200).expect('content-type', /application\/xml/);
    await request(dev.app).get('/demo/api/fixtures/eu-prescription/ep-se-demo-gyldig.json').expect(200).expect('content-type', /application\/fhir\+json/);
    await request(dev.app).get('/demo/api/fixtures/m1/m10-normal.xml').expect(404);
    await request(dev.app).get('/demo/api/fixtures/m1/..%2F..%2Fpackage.json').expect(404);
    await request(dev.app).get('/demo/api/fixtures/patients/README.md').expect(404);
  });

  it('passes fault injection to the simulator, but not the registration of subscribers', async () => {
    await request(dev.app).put('/demo/api/sim/faults/npr').send({ kind: 'error', status: 503 }).expect(200);
    expect((await request(dev.app).get('/demo/api/sim/faults').expect(200)).body).toEqual({ npr: { kind: 'error', status: 503 } });
    await request(dev.app).delete('/demo/api/sim/faults/npr').expect(204);
    expect((await request(dev.app).get('/demo/api/sim/faults').expect(200)).body).toEqual({});
    // The page's "wrong patient" switch.
    await request(dev.app).put('/demo/api/sim/faults/kjernejournal').send({ kind: 'wrong-patient' }).expect(200);
    expect((await request(dev.app).get('/demo/api/sim/faults').expect(200)).body).toEqual({ kjernejournal: { kind: 'wrong-patient' } });
    await request(dev.app).delete('/demo/api/sim/faults').expect(204);
    await request(dev.app).post('/demo/api/sim/subscriptions').send({ endpoint: 'http://127.0.0.1:1/x' }).expect(404);
  });

  it('rebuilds a test patient\'s summary on demand', async () => {
    const first = await request(dev.app).post(`/demo/api/patients/${RICH}/rebuild`).expect(200);
    expect(first.body).toEqual({ versionId: 1 });
    await request(dev.app).post('/demo/api/patients/no-such-patient/rebuild').expect(404);
    await request(dev.app).get(`/demo/api/patients/${RICH}/rebuild`).expect(405);
  });
});
