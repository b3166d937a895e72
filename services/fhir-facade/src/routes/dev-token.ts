/**
 * `POST /auth/dev-token` (development mode only): mints a test token from the local issuer with the
 * scopes and identity claims asked for, e.g. `{"scope": ["ehds/eprescription.convert"], "hpr": "565104311"}`.
 */
import { Router } from 'express';
import { CLAIM, SCOPE } from '../auth/caller.js';
import type { DevIssuer } from '../auth/token-verifier.js';
import { fhirJsonBody } from '../fhir/content-type.js';
import { methodNotAllowed } from '../fhir/method-not-allowed.js';
import { HttpProblem, operationOutcome } from '../fhir/operation-outcome.js';

const KNOWN_SCOPES: ReadonlySet<string> = new Set(Object.values(SCOPE));
const MAX_LIFETIME_SECONDS = 24 * 3600;

interface DevTokenRequest {
  scope?: unknown;
  hpr?: unknown;
  organisation?: unknown;
  role?: unknown;
  name?: unknown;
  expiresIn?: unknown;
}

function optionalText(body: DevTokenRequest, key: keyof DevTokenRequest): string | undefined {
  const v = body[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || v.length === 0 || v.length > 200) throw new HttpProblem(400, operationOutcome('value', `${key} must be a non-empty string`, key));
  return v;
}

/** The router for the development token endpoint. */
export function devTokenRouter(issuer: DevIssuer): Router {
  const router = Router();
  router.post('/auth/dev-token', ...fhirJsonBody, async (req, res) => {
    const body = (req.body ?? {}) as DevTokenRequest;
    const scopes = Array.isArray(body.scope) ? body.scope : typeof body.scope === 'string' ? body.scope.split(' ') : Object.values(SCOPE);
    const unknown = scopes.filter((s) => typeof s !== 'string' || !KNOWN_SCOPES.has(s));
    if (unknown.length) throw new HttpProblem(400, operationOutcome('value', `unknown scope(s): ${unknown.join(', ')}; known: ${[...KNOWN_SCOPES].join(', ')}`, 'scope'));
    const expiresIn = body.expiresIn === undefined ? 3600 : Number(body.expiresIn);
    if (!Number.isInteger(expiresIn) || expiresIn < 1 || expiresIn > MAX_LIFETIME_SECONDS) {
      throw new HttpProblem(400, operationOutcome('value', `expiresIn must be whole seconds from 1 to ${MAX_LIFETIME_SECONDS}`, 'expiresIn'));
    }
    const hpr = optionalText(body, 'hpr');
    const organisation = optionalText(body, 'organisation');
    const role = optionalText(body, 'role');
    const name = optionalText(body, 'name');
    const token = await issuer.mint(
      {
        scope: scopes.join(' '),
        ...(hpr ? { [CLAIM.hpr]: hpr } : {}),
        ...(organisation ? { [CLAIM.organisation]: organisation } : {}),
        ...(role ? { [CLAIM.role]: role } : {}),
        ...(name ? { [CLAIM.name]: name } : {}),
      },
      expiresIn,
    );
    res.json({ access_token: token, token_type: 'Bearer', expires_in: expiresIn, scope: scopes.join(' ') });
  });
  router.all('/auth/dev-token', methodNotAllowed(['POST']));
  return router;
}
