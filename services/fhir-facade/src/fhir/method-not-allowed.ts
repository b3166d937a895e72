/**
 * 405 for a known path called with a method it does not serve, with the `Allow` header.
 */
import type { RequestHandler } from 'express';
import { FHIR_JSON, operationOutcome } from './operation-outcome.js';

/**
 * The handler to put after a path's real handlers: `router.all(path, methodNotAllowed(['POST']))`.
 */
export function methodNotAllowed(allowed: readonly string[]): RequestHandler {
  return (req, res) => {
    res.status(405).set('Allow', allowed.join(', ')).type(FHIR_JSON).json(operationOutcome('not-supported', `${req.method} is not allowed here; use ${allowed.join(' or ')}`));
  };
}
