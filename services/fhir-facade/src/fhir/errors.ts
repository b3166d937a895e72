/**
 * The facade's last-resort handlers: unknown paths become 404, body-parser failures 400/413/415, an
 * unreachable database 503 with `Retry-After` (for every route, here only), and anything unexpected a 500
 * whose body leaks nothing about the internals.
 */
import type { OperationOutcome } from '@medplum/fhirtypes';
import { jsonLineColumn, parseFhirJson } from '@ehds-no/core';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from 'pino';
import { DatabaseUnavailable } from '../storage/database.js';
import { FHIR_JSON, HTTP_PART, HttpProblem, operationOutcome, sendUnavailable } from './operation-outcome.js';

/**
 * The `Retry-After` (seconds) of a 503 for an unreachable database: about as long as a PostgreSQL restart
 * takes, so that a client's retry meets a server that is back.
 */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

/** 404 for any path no route answered. */
export const notFound: RequestHandler = (req, res) => {
  res.status(404).type(FHIR_JSON).json(operationOutcome('not-found', `No resource or operation at ${req.method} ${req.path}`));
};

interface BodyParserError {
  readonly type?: string;
  readonly status?: number;
  readonly name?: string;
  /** zlib's code when a compressed body cannot be decompressed (`Z_DATA_ERROR`, …). */
  readonly code?: string;
  /** The raw body, on parse failures. */
  readonly body?: unknown;
  /** The size limit in bytes, when the body was over it. */
  readonly limit?: unknown;
}

/**
 * Why a JSON body was refused, located by line and column: the FHIR JSON parser takes objects only
 * (strict), so valid JSON such as `null` or `"Bundle"` is refused too, and gets its own message.
 */
function jsonRefusal(body: unknown): OperationOutcome {
  const text = String(body);
  const parsed = parseFhirJson(text);
  if (!parsed.ok) return parsed.outcome;
  const start = text.length - text.replace(/^[\uFEFF\s]+/, '').length;
  return { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'structure', location: [jsonLineColumn(text, start)], diagnostics: 'The request body must be a JSON object (a FHIR resource)' }] };
}

/** The answer to a request that could not be read before any route saw it, naming which part of it. */
function unreadable(err: BodyParserError): { status: number; outcome: OperationOutcome } | undefined {
  if (err.type === 'entity.parse.failed') return { status: 400, outcome: jsonRefusal(err.body) };
  if (err.type === 'entity.too.large') {
    const limit = typeof err.limit === 'number' ? `; at most ${err.limit} bytes are accepted here` : '';
    return { status: 413, outcome: operationOutcome('too-costly', `The request body is too large${limit}`) };
  }
  if (err.type === 'encoding.unsupported') {
    return { status: 415, outcome: operationOutcome('not-supported', 'The Content-Encoding is not supported: send the body as it is (identity), gzip or deflate', HTTP_PART.contentEncoding) };
  }
  if (err.code?.startsWith('Z_')) {
    return { status: 400, outcome: operationOutcome('invalid', 'The request body cannot be decompressed as its Content-Encoding says', HTTP_PART.contentEncoding) };
  }
  // Express decodes path parameters with decodeURIComponent: a malformed %-escape fails there.
  if (err.name === 'URIError') return { status: 400, outcome: operationOutcome('invalid', 'The URL path holds a malformed %-escape', HTTP_PART.path) };
  if (err.status && err.status >= 400 && err.status < 500) return { status: err.status, outcome: operationOutcome('invalid', 'The request could not be read') };
  return undefined;
}

/** Turns errors into OperationOutcome responses; unexpected ones are logged by name only. */
export const errorHandler = (logger: Logger): ErrorRequestHandler => (err: unknown, _req, res, next) => {
  if (res.headersSent) {
    next(err);
    return;
  }
  if (err instanceof HttpProblem) {
    res.status(err.status).type(FHIR_JSON).json(err.outcome);
    return;
  }
  if (err instanceof DatabaseUnavailable) {
    // A degraded state, not a fault of the service: the pool reconnects once the server is back.
    logger.warn({ error: err.name, reason: err.reason }, 'database unavailable');
    sendUnavailable(res, DATABASE_RETRY_AFTER_SECONDS, 'The database is unavailable for now; try again after the seconds in Retry-After');
    return;
  }
  const refused = unreadable(err as BodyParserError);
  if (refused) {
    // A body refused for its size is not read to its end: the connection cannot carry another request.
    if (refused.status === 413) res.set('Connection', 'close');
    res.status(refused.status).type(FHIR_JSON).json(refused.outcome);
    return;
  }
  // Internals (stack, messages that may carry data) stay out of the response and out of the log.
  logger.error({ error: err instanceof Error ? err.name : typeof err }, 'unhandled error');
  res.status(500).type(FHIR_JSON).json(operationOutcome('exception', 'Internal server error'));
};
