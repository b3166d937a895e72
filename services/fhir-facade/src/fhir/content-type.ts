/**
 * Request body parsing by media type, with 415 for a type the operation does not take.
 */
import type { OperationOutcome } from '@medplum/fhirtypes';
import express, { type Request, type RequestHandler } from 'express';
import { HttpProblem, operationOutcome, xmlLocatedOutcome } from './operation-outcome.js';

/** Media types of e-resept XML bodies. */
export const XML_TYPES = ['application/xml', 'text/xml'];
/** Media types of FHIR JSON bodies. */
export const FHIR_JSON_TYPES = ['application/fhir+json', 'application/json'];

/** Largest accepted body: an e-resept message is at most 2 MiB (the reader's own limit). */
export const BODY_LIMIT = '2mb';

/** 415 with an OperationOutcome unless the request's Content-Type is one of `types`. */
export function requireType(types: readonly string[]): RequestHandler {
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

/** The `charset` parameter of the request's Content-Type (lower case), when there is one. */
function charsetOf(req: Request): string | undefined {
  const m = /;\s*charset\s*=\s*(?:"([^"]*)"|([^;\s]+))/i.exec(req.headers['content-type'] ?? '');
  return (m?.[1] ?? m?.[2])?.toLowerCase();
}

/**
 * RFC 7303 §3: a `charset` parameter overrides the XML declaration, so the bytes are decoded with it here;
 * without one the bytes stay bytes, for the reader to decode by the BOM or the XML declaration (UTF-8 by
 * default). Decoding is fatal: bytes that are not valid in the charset are refused, never replaced.
 */
const decodeByCharset: RequestHandler = (req, _res, next) => {
  const charset = charsetOf(req);
  const bytes: unknown = req.body;
  if (charset === undefined || !(bytes instanceof Uint8Array)) {
    next();
    return;
  }
  let decoder: InstanceType<typeof TextDecoder>;
  try {
    decoder = new TextDecoder(charset, { fatal: true });
  } catch {
    next(new HttpProblem(415, operationOutcome('not-supported', `the Content-Type's charset "${charset}" is not supported; send UTF-8, ISO-8859-1, or the bytes without a charset parameter so the XML declaration decides`)));
    return;
  }
  try {
    req.body = decoder.decode(bytes);
  } catch {
    next(new HttpProblem(400, undecodable(bytes, charset)));
    return;
  }
  next();
};

/** The 400 answer for bytes invalid in `charset`: located by XPath `/` (the document) and by line, as the reader does. */
function undecodable(bytes: Uint8Array, charset: string): OperationOutcome {
  // The lenient decoding agrees with the bytes up to the first replacement character: count the lines before it.
  const text = new TextDecoder(charset).decode(bytes);
  const line = text.slice(0, Math.max(text.indexOf('\uFFFD'), 0)).split('\n').length;
  return xmlLocatedOutcome('invalid', `the body is not valid ${charset}, the charset its Content-Type declares (first bad bytes on line ${line})`, '/');
}

/**
 * Reads an XML body, when the request has one: as text when the Content-Type names a charset, otherwise as
 * bytes (see {@link decodeByCharset}). Routes read it with {@link xmlBodyOf}.
 */
export const xmlBytes: RequestHandler[] = [express.raw({ type: XML_TYPES, limit: BODY_LIMIT }), decodeByCharset];

/** Accepts only an XML body, read as {@link xmlBytes} does. */
export const xmlBody: RequestHandler[] = [requireType(XML_TYPES), ...xmlBytes];

/**
 * The body {@link xmlBody} left, for the e-resept readers (which take text or bytes): text already decoded
 * by the Content-Type's charset, or the raw bytes. An empty body is the empty string.
 */
export function xmlBodyOf(req: Request): string | Uint8Array {
  const body: unknown = req.body;
  return typeof body === 'string' || body instanceof Uint8Array ? body : '';
}

/** Accepts only a FHIR JSON body of at most `limit`, parsed. */
function fhirJsonUpTo(limit: string): RequestHandler[] {
  return [requireType(FHIR_JSON_TYPES), express.json({ type: FHIR_JSON_TYPES, limit, strict: true })];
}

/** Accepts only a FHIR JSON body, parsed ({@link BODY_LIMIT}: a payload to validate may be a large document). */
export const fhirJsonBody: RequestHandler[] = fhirJsonUpTo(BODY_LIMIT);

/**
 * Largest accepted body of the JSON conversions: an EU ePrescription or eDispensation Bundle is a few KB,
 * and the Parameters of `$convert-dispense-to-eu` with its M10 some 25 KB. A conversion's work grows with its
 * input and runs on the event loop: at 2 MiB a crafted Bundle held the process for 0.4 s, at this limit
 * about a quarter of that.
 */
export const CONVERSION_BODY_LIMIT = '512kb';

/** Accepts only a FHIR JSON body of at most {@link CONVERSION_BODY_LIMIT}, parsed. */
export const conversionJsonBody: RequestHandler[] = fhirJsonUpTo(CONVERSION_BODY_LIMIT);
