/**
 * `POST /auth/dev-token` (development mode only): mints a test token from the local issuer with the
 * scopes and identity claims asked for, e.g. `{"scope": ["ehds/eprescription.convert"], "hpr": "565104311"}`,
 * `{"role": "ehds-no:auditor"}` (reads every access log) or `{"pid": "<fødselsnummer>"}` (a citizen, who
 * reads their own). Every field is checked; a wrong one is a 400 that names it.
 */
import { parsePersonNumber } from '@ehds-no/core';
import { Router } from 'express';
import { CLAIM, SCOPE } from '../auth/caller.js';
import type { DevIssuer } from '../auth/token-verifier.js';
import { fhirJsonBody } from '../fhir/content-type.js';
import { methodNotAllowed } from '../fhir/method-not-allowed.js';
import { HTTP_PART, HttpProblem, operationOutcome } from '../fhir/operation-outcome.js';

const KNOWN_SCOPES: ReadonlySet<string> = new Set(Object.values(SCOPE));
const MAX_LIFETIME_SECONDS = 24 * 3600;

interface DevTokenRequest {
  scope?: unknown;
  hpr?: unknown;
  pid?: unknown;
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

/**
 * The scopes asked for: a space-separated string or an array of strings, all known; left out, every scope.
 * Anything else (null, an object, a number, an array holding other things) is refused where it is, not
 * read as "all scopes" or turned into text.
 */
function requestedScopes(scope: unknown): string[] {
  if (scope === undefined) return Object.values(SCOPE);
  const mustBe = `scope must be a space-separated string or an array of strings, of: ${[...KNOWN_SCOPES].join(', ')}`;
  let scopes: string[];
  if (typeof scope === 'string') {
    scopes = scope.split(' ').filter(Boolean);
  } else if (Array.isArray(scope)) {
    const items: unknown[] = scope;
    const notText = items.findIndex((s) => typeof s !== 'string');
    if (notText >= 0) throw new HttpProblem(400, operationOutcome('value', mustBe, `scope[${notText}]`));
    scopes = items as string[];
  } else {
    throw new HttpProblem(400, operationOutcome('value', mustBe, 'scope'));
  }
  if (scopes.length === 0) throw new HttpProblem(400, operationOutcome('value', mustBe, 'scope'));
  const unknown = scopes.filter((s) => !KNOWN_SCOPES.has(s));
  if (unknown.length) throw new HttpProblem(400, operationOutcome('value', `unknown scope(s): ${unknown.join(', ')}; known: ${[...KNOWN_SCOPES].join(', ')}`, 'scope'));
  return scopes;
}

/** The router for the development token endpoint. */
export function devTokenRouter(issuer: DevIssuer): Router {
  const router = Router();
  router.post('/auth/dev-token', ...fhirJsonBody, async (req, res) => {
    const body = (req.body ?? {}) as DevTokenRequest;
    // An array has no `scope` either, and would get every scope.
    if (typeof body !== 'object' || Array.isArray(body)) throw new HttpProblem(400, operationOutcome('structure', 'the body must be a JSON object', HTTP_PART.body));
    const scopes = requestedScopes(body.scope);
    // A number only: Number() of an object calls its toString, which a JSON body can make a non-function.
    const expiresIn = body.expiresIn === undefined ? 3600 : body.expiresIn;
    if (typeof expiresIn !== 'number' || !Number.isInteger(expiresIn) || expiresIn < 1 || expiresIn > MAX_LIFETIME_SECONDS) {
      throw new HttpProblem(400, operationOutcome('value', `expiresIn must be whole seconds from 1 to ${MAX_LIFETIME_SECONDS}`, 'expiresIn'));
    }
    const hpr = optionalText(body, 'hpr');
    const pid = optionalText(body, 'pid');
    if (pid !== undefined && !parsePersonNumber(pid, { allowSynthetic: true }).ok) {
      throw new HttpProblem(400, operationOutcome('value', 'pid must be a fødselsnummer or D-nummer (11 digits, valid check digits)', 'pid'));
    }
    const organisation = optionalText(body, 'organisation');
    const role = optionalText(body, 'role');
    const name = optionalText(body, 'name');
    const token = await issuer.mint(
      {
        scope: scopes.join(' '),
        ...(hpr ? { [CLAIM.hpr]: hpr } : {}),
        ...(pid ? { [CLAIM.pid]: pid } : {}),
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
