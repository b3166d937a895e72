/**
 * Request body parsing by media type, with 415 for a type the operation does not take.
 */
import express, { type RequestHandler } from 'express';
import { HttpProblem, operationOutcome } from './operation-outcome.js';

/** Media types of e-resept XML bodies. */
export const XML_TYPES = ['application/xml', 'text/xml'];
/** Media types of FHIR JSON bodies. */
export const FHIR_JSON_TYPES = ['application/fhir+json', 'application/json'];

/** Largest accepted body: an e-resept message is at most 2 MiB (the reader's own limit). */
const BODY_LIMIT = '2mb';

function requireType(types: readonly string[]): RequestHandler {
  return (req, _res, next) => {
    if (!req.is(types as string[])) {
      next(new HttpProblem(415, operationOutcome('not-supported', `Content-Type must be one of ${types.join(', ')}; got ${req.headers['content-type'] ?? 'none'}`)));
      return;
    }
    next();
  };
}

/** 406 unless the client accepts FHIR JSON (no `Accept`, any type, `application/fhir+json` or `application/json`). */
export const acceptsFhirJson: RequestHandler = (req, _res, next) => {
  if (!req.accepts(FHIR_JSON_TYPES)) {
    next(new HttpProblem(406, operationOutcome('not-supported', `this endpoint answers with ${FHIR_JSON_TYPES.join(' or ')}; Accept was ${req.headers.accept ?? 'none'}`)));
    return;
  }
  next();
};

/** Accepts only an XML body, as text. */
export const xmlBody: RequestHandler[] = [requireType(XML_TYPES), express.text({ type: XML_TYPES, limit: BODY_LIMIT })];

/** Accepts only a FHIR JSON body, parsed. */
export const fhirJsonBody: RequestHandler[] = [requireType(FHIR_JSON_TYPES), express.json({ type: FHIR_JSON_TYPES, limit: BODY_LIMIT, strict: true })];
