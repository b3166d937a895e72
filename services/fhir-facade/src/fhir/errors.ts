/**
 * The facade's last-resort handlers: unknown paths become 404, body-parser failures 400/413/415, and
 * anything unexpected a 500 whose body leaks nothing about the internals.
 */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from 'pino';
import { FHIR_JSON, HttpProblem, operationOutcome } from './operation-outcome.js';

/** 404 for any path no route answered. */
export const notFound: RequestHandler = (req, res) => {
  res.status(404).type(FHIR_JSON).json(operationOutcome('not-found', `No resource or operation at ${req.method} ${req.path}`));
};

interface BodyParserError {
  readonly type?: string;
  readonly status?: number;
  /** The raw body, on parse failures. */
  readonly body?: unknown;
}

/**
 * Why a JSON body was refused: the FHIR JSON parser takes objects only (strict), so valid JSON such as `null`
 * or `"Bundle"` is refused too, and deserves its own message.
 */
function jsonRefusal(body: unknown): string {
  try {
    JSON.parse(String(body));
    return 'The request body must be a JSON object (a FHIR resource)';
  } catch {
    return 'The request body is not valid JSON';
  }
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
  const parserError = err as BodyParserError;
  if (parserError.type === 'entity.parse.failed') {
    res.status(400).type(FHIR_JSON).json(operationOutcome('invalid', jsonRefusal(parserError.body)));
    return;
  }
  if (parserError.type === 'entity.too.large') {
    res.status(413).type(FHIR_JSON).json(operationOutcome('too-costly', 'The request body is too large'));
    return;
  }
  if (parserError.status && parserError.status >= 400 && parserError.status < 500) {
    res.status(parserError.status).type(FHIR_JSON).json(operationOutcome('invalid', 'The request could not be read'));
    return;
  }
  // Internals (stack, messages that may carry data) stay out of the response and out of the log.
  logger.error({ error: err instanceof Error ? err.name : typeof err }, 'unhandled error');
  res.status(500).type(FHIR_JSON).json(operationOutcome('exception', 'Internal server error'));
};
