/**
 * The JWKS verifier against a key set served on 127.0.0.1 (port 0) that can answer, fail or hang: the token
 * checks (exp and iat required, lifetime bounded, no iat or nbf in the future beyond the skew), the kept key
 * set while the endpoint is down, and 503 rather than 401 when no key can be had. Time is an injected clock;
 * nothing here measures how long anything takes.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK, type JWTPayload } from 'jose';
import request from 'supertest';
import { FHIR_JSON } from '../fhir/operation-outcome.js';
import { SCOPE } from './caller.js';
import { requireScope } from './require-scope.js';
import { jwksVerifier, KeysUnavailableError, type JwksVerifierOptions, type TokenVerifier } from './token-verifier.js';

const ISSUER = 'https://helseid.test';
const AUDIENCE = 'ehds-no';
const NOW = new Date('2026-12-01T10:00:00Z');
const nowSeconds = Math.floor(NOW.getTime() / 1000);

type Mode = 'serve' | 'fail' | 'hang';

/** A JWKS endpoint whose behaviour the test sets, counting the requests it got. */
class JwksServer {
  mode: Mode = 'serve';
  requests = 0;
  /** Responses held open by `hang`, released when the server closes. */
  private readonly hanging: ServerResponse[] = [];
  private server?: Server;
  private waiters: { n: number; resolve: () => void }[] = [];
  constructor(private readonly keys: JWK[]) {}

  /** Resolves once `n` requests have arrived in all (a background fetch arrives when it arrives). */
  arrived(n: number): Promise<void> {
    return this.requests >= n ? Promise.resolve() : new Promise((resolve) => this.waiters.push({ n, resolve }));
  }

  async start(): Promise<string> {
    this.server = createServer((_req: IncomingMessage, res: ServerResponse) => {
      this.requests++;
      this.waiters = this.waiters.filter((w) => (w.n <= this.requests ? (w.resolve(), false) : true));
      if (this.mode === 'hang') {
        this.hanging.push(res);
        return;
      }
      if (this.mode === 'fail') {
        res.writeHead(503).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: this.keys }));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}/jwks`;
  }

  get held(): number {
    return this.hanging.length;
  }

  async stop(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}

let privateKey: CryptoKey;
let jwks: JwksServer;
let url: string;
let clock: Date;

beforeAll(async () => {
  const pair = await generateKeyPair('ES256');
  privateKey = pair.privateKey;
  jwks = new JwksServer([{ ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' }]);
  url = await jwks.start();
});
afterAll(() => jwks.stop());
beforeEach(() => {
  jwks.mode = 'serve';
  jwks.requests = 0;
  clock = NOW;
});

/** A token signed with the served key; `claims` may override or (as `undefined`) drop iat and exp. */
function token(claims: JWTPayload = {}, kid = 'k1'): Promise<string> {
  const payload: JWTPayload = { iss: ISSUER, aud: AUDIENCE, sub: 'client', scope: SCOPE.summaryRead, iat: nowSeconds - 60, exp: nowSeconds + 3000, ...claims };
  for (const [k, v] of Object.entries(payload)) if (v === undefined) delete payload[k];
  return new SignJWT(payload).setProtectedHeader({ alg: 'ES256', kid }).sign(privateKey);
}

function verifier(options: Partial<JwksVerifierOptions> = {}): TokenVerifier {
  return jwksVerifier(url, { issuer: ISSUER, audience: AUDIENCE }, { maxLifetimeSeconds: 3600, clockSkewSeconds: 30, jwksTimeoutMs: 200, now: () => clock, ...options });
}

describe('jwksVerifier: the token', () => {
  it('is accepted when signed, for this issuer and audience, with exp and iat within the lifetime', async () => {
    await expect(verifier().verify(await token())).resolves.toMatchObject({ subject: 'client', scopes: new Set([SCOPE.summaryRead]) });
  });

  // Each of these was accepted before: jose checks exp only when present, and iat not at all unless asked.
  it.each([
    ['without exp', { exp: undefined }],
    ['without iat', { iat: undefined }],
    ['with exp ten years ahead', { exp: nowSeconds + 10 * 365 * 24 * 3600 }],
    ['living longer than the configured lifetime', { iat: nowSeconds - 10, exp: nowSeconds + 3600 }],
    ['with iat in the future beyond the skew', { iat: nowSeconds + 600, exp: nowSeconds + 1200 }],
    ['with nbf in the future beyond the skew', { nbf: nowSeconds + 600 }],
    ['issued longer ago than the lifetime', { iat: nowSeconds - 4000, exp: nowSeconds + 10 }],
    ['expired', { iat: nowSeconds - 600, exp: nowSeconds - 60 }],
  ])('is refused %s', async (_what, claims) => {
    const error = await verifier().verify(await token(claims)).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(KeysUnavailableError);
  });

  it('allows the clock skew on iat and exp', async () => {
    await expect(verifier().verify(await token({ iat: nowSeconds + 20, exp: nowSeconds + 600 }))).resolves.toBeDefined();
    await expect(verifier().verify(await token({ iat: nowSeconds - 600, exp: nowSeconds - 20 }))).resolves.toBeDefined();
  });

  it('has a configurable lifetime', async () => {
    const long = await token({ iat: nowSeconds - 10, exp: nowSeconds + 7000 });
    await expect(verifier().verify(long)).rejects.toThrow(/lives/);
    await expect(verifier({ maxLifetimeSeconds: 7200 }).verify(long)).resolves.toBeDefined();
  });
});

describe('jwksVerifier: the key set', () => {
  it('is kept while the endpoint hangs: tokens go on being verified while a refresh waits in the background', async () => {
    const v = verifier({ refreshAfterMs: 60_000 });
    await v.verify(await token());
    expect(jwks.requests).toBe(1);
    jwks.mode = 'hang';
    clock = new Date(NOW.getTime() + 120_000);
    const refreshed = await token({ iat: nowSeconds + 100, exp: nowSeconds + 1000 });
    await expect(v.verify(refreshed)).resolves.toBeDefined();
    // The refresh was asked for and is never answered: the verification did not wait for it.
    await jwks.arrived(2);
    expect(jwks.held).toBe(1);
    await expect(v.verify(refreshed)).resolves.toBeDefined();
    expect(jwks.requests).toBe(2);
  });

  it('is kept while the endpoint fails, up to the longest staleness, then no key can be had', async () => {
    const v = verifier({ refreshAfterMs: 60_000, maxStaleMs: 3600_000 });
    await v.verify(await token());
    jwks.mode = 'fail';
    clock = new Date(NOW.getTime() + 600_000);
    await expect(v.verify(await token({ iat: nowSeconds + 500, exp: nowSeconds + 1200 }))).resolves.toBeDefined();
    clock = new Date(NOW.getTime() + 2 * 3600_000);
    const late = nowSeconds + 2 * 3600;
    await expect(v.verify(await token({ iat: late, exp: late + 600 }))).rejects.toBeInstanceOf(KeysUnavailableError);
  });

  it('when no key can be had (the endpoint hangs and nothing is kept): KeysUnavailableError, and at once for the next requests', async () => {
    jwks.mode = 'hang';
    const v = verifier({ retryAfterMs: 30_000 });
    await expect(v.verify(await token())).rejects.toBeInstanceOf(KeysUnavailableError);
    expect(jwks.requests).toBe(1);
    // Within the retry period the endpoint is not asked again: nothing waits for it.
    await expect(v.verify(await token())).rejects.toMatchObject({ name: 'KeysUnavailableError', retryAfterSeconds: 30 });
    expect(jwks.requests).toBe(1);
    // After it, it is; once it answers, tokens verify.
    jwks.mode = 'serve';
    clock = new Date(NOW.getTime() + 31_000);
    await expect(v.verify(await token())).resolves.toBeDefined();
    expect(jwks.requests).toBe(2);
  });

  it('a token with a key id not in the set is invalid (not unavailable) while the set is fresh', async () => {
    const v = verifier();
    await v.verify(await token());
    await expect(v.verify(await token({}, 'other'))).rejects.toMatchObject({ code: 'ERR_JWKS_NO_MATCHING_KEY' });
  });
});

describe('requireScope with the JWKS verifier', () => {
  const appWith = (v: TokenVerifier) => {
    const app = express();
    app.get('/x', requireScope(v, SCOPE.summaryRead), (_req, res) => void res.json({ ok: true }));
    return app;
  };

  it('answers 503 transient with Retry-After when no key can be had, 401 for an invalid token, 200 for a valid one', async () => {
    jwks.mode = 'hang';
    const v = verifier();
    const app = appWith(v);
    const res = await request(app).get('/x').set('Authorization', `Bearer ${await token()}`).expect(503);
    expect(res.headers['retry-after']).toBe('30');
    expect(res.headers['content-type']).toContain(FHIR_JSON);
    expect(res.body.issue[0]).toMatchObject({ code: 'transient' });
    jwks.mode = 'serve';
    clock = new Date(NOW.getTime() + 31_000);
    await request(app).get('/x').set('Authorization', `Bearer ${await token({ exp: undefined })}`).expect(401);
    await request(app).get('/x').set('Authorization', `Bearer ${await token()}`).expect(200);
  });
});
