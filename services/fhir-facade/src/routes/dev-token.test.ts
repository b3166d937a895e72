/**
 * `POST /auth/dev-token`: what it mints, and that every malformed field is a 400 OperationOutcome naming
 * it (a `scope` of the wrong type used to mean every scope, or a 500). Outside development mode neither it
 * nor the demonstration page is served.
 */
import { IDENTIFIER_SYSTEM, syntheticPersonNumber } from '@ehds-no/core';
import request from 'supertest';
import { createApp } from '../app.js';
import { CLAIM, SCOPE } from '../auth/caller.js';
import { devIssuer, type DevIssuer } from '../auth/token-verifier.js';
import { DEV_TOKEN_AUDIENCE } from '../config.js';
import { createLogger } from '../logging.js';

let issuer: DevIssuer;
let app: ReturnType<typeof createApp>;
const logger = createLogger({ write: () => undefined });

beforeAll(async () => {
  issuer = await devIssuer(DEV_TOKEN_AUDIENCE);
  app = createApp({ version: 'test', logger, devIssuer: issuer, demo: {} });
});

const mint = (body: unknown) => request(app).post('/auth/dev-token').set('Content-Type', 'application/json').send(JSON.stringify(body));

describe('POST /auth/dev-token', () => {
  it.each([
    [{ scope: null }, 'scope'],
    [{ scope: {} }, 'scope'],
    [{ scope: 1 }, 'scope'],
    [{ scope: true }, 'scope'],
    [{ scope: [] }, 'scope'],
    [{ scope: '' }, 'scope'],
    [{ scope: [{ toString: {} }] }, 'scope[0]'],
    [{ scope: [SCOPE.summaryRead, 7] }, 'scope[1]'],
    [{ scope: ['ehds/everything'] }, 'scope'],
    [{ expiresIn: { toString: {} } }, 'expiresIn'],
    [{ expiresIn: '60' }, 'expiresIn'],
    [{ expiresIn: [60] }, 'expiresIn'],
    [{ pid: '12345678901' }, 'pid'],
    [{ role: 5 }, 'role'],
  ])('refuses %j with a 400 at %s', async (body, where) => {
    const res = await mint(body).expect(400);
    expect(res.headers['content-type']).toMatch(/^application\/fhir\+json/);
    expect(res.body).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', expression: [where] }] });
  });

  it('refuses a body that is not an object (an array has no scope either, and got every scope)', async () => {
    const res = await mint([]).expect(400);
    expect(res.body.issue[0]).toMatchObject({ code: 'structure', expression: ['http.body'] });
  });

  it('mints the scopes asked for, as a string or an array; every scope when none is asked for', async () => {
    expect((await mint({ scope: `${SCOPE.summaryRead} ${SCOPE.auditRead}` }).expect(200)).body.scope).toBe(`${SCOPE.summaryRead} ${SCOPE.auditRead}`);
    expect((await mint({ scope: [SCOPE.validate] }).expect(200)).body.scope).toBe(SCOPE.validate);
    expect((await mint({}).expect(200)).body.scope).toBe(Object.values(SCOPE).join(' '));
  });

  it('binds the token to a person with pid (HelseID\'s person identifier claim)', async () => {
    const fnr = syntheticPersonNumber({ birthDate: '1980-05-06', sex: 'female' });
    const dnr = syntheticPersonNumber({ birthDate: '1980-05-06', sex: 'male', kind: 'dnr' });
    const res = await mint({ scope: [SCOPE.auditRead], pid: fnr }).expect(200);
    expect(await issuer.verify(res.body.access_token)).toMatchObject({ person: { system: IDENTIFIER_SYSTEM.fnr, value: fnr } });
    const d = await mint({ scope: [SCOPE.auditRead], pid: dnr }).expect(200);
    expect(await issuer.verify(d.body.access_token)).toMatchObject({ person: { system: IDENTIFIER_SYSTEM.dnr, value: dnr } });
  });

  it('reads no person from a pid claim that is not a person number', async () => {
    const token = await issuer.mint({ scope: SCOPE.auditRead, [CLAIM.pid]: 'not-a-number' });
    expect((await issuer.verify(token)).person).toBeUndefined();
  });
});

describe('outside development mode (no development issuer)', () => {
  it('serves neither /auth/dev-token nor /demo, even when the demo is configured', async () => {
    const production = createApp({ version: 'test', logger, demo: {} });
    await request(production).post('/auth/dev-token').set('Content-Type', 'application/json').send('{}').expect(404);
    await request(production).get('/demo/').expect(404);
    await request(production).get('/demo/api/patients').expect(404);
    await request(app).get('/demo/api/config').expect(200);
  });
});
