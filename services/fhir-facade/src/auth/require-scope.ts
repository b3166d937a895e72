/**
 * The authorization check in front of every protected route: a valid bearer token (401 otherwise, with
 * `WWW-Authenticate`) that carries the route's scope (403 otherwise). The caller goes to `res.locals.caller`.
 * When the token cannot be checked because no signing key can be had, the answer is 503 with
 * `Retry-After`: the token may well be valid, and a client should try again, not log the user out.
 */
import type { RequestHandler, Response } from 'express';
import { FHIR_JSON, operationOutcome, sendUnavailable } from '../fhir/operation-outcome.js';
import type { Caller, Scope } from './caller.js';
import { KeysUnavailableError, type TokenVerifier } from './token-verifier.js';

const REALM = 'ehds-no';

/** The authenticated caller of this request (set by {@link requireScope}). */
export function callerOf(res: Response): Caller {
  return res.locals.caller as Caller;
}

function unauthorized(res: Response, error: 'invalid_request' | 'invalid_token', description: string): void {
  res
    .status(401)
    .set('WWW-Authenticate', `Bearer realm="${REALM}", error="${error}", error_description="${description}"`)
    .type(FHIR_JSON)
    .json(operationOutcome('login', description));
}

/**
 * Middleware requiring a token with `scope`.
 * @example router.post('/fhir/$convert-m1-to-eu', requireScope(verifier, SCOPE.eprescriptionConvert), handler)
 */
export function requireScope(verifier: TokenVerifier, scope: Scope): RequestHandler {
  return async (req, res, next) => {
    const header = req.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) {
      unauthorized(res, 'invalid_request', 'a bearer token is required');
      return;
    }
    let caller: Caller;
    try {
      caller = await verifier.verify(match[1] as string);
    } catch (e) {
      if (e instanceof KeysUnavailableError) {
        sendUnavailable(res, e.retryAfterSeconds, 'the token cannot be checked now: the signing keys cannot be fetched; try again later');
        return;
      }
      unauthorized(res, 'invalid_token', 'the token is not valid (signature, issuer, audience, lifetime or time claims)');
      return;
    }
    if (!caller.scopes.has(scope)) {
      res.status(403).type(FHIR_JSON).json(operationOutcome('forbidden', `the token lacks the scope ${scope}`));
      return;
    }
    res.locals.caller = caller;
    next();
  };
}
