/**
 * Structured logs (pino, JSON lines). Nothing personal or clinical is logged: requests are logged by
 * method, route pattern (never the URL, which can hold a ReseptId), status and duration; errors by name.
 * Redaction is a second line of defence for fields that must never appear.
 */
import type { RequestHandler } from 'express';
import pino, { type DestinationStream, type Logger } from 'pino';

/** Field paths that are censored wherever they appear in a log object. */
export const REDACTED_PATHS = ['req.headers.authorization', 'authorization', '*.authorization', 'body', '*.body', 'patient', '*.patient', 'identifier', '*.identifier', 'fnr', '*.fnr'];

/** A logger; `destination` defaults to stdout. */
export function createLogger(destination?: DestinationStream): Logger {
  const options = { base: { service: 'ehds-no-fhir-facade' }, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } };
  return destination ? pino(options, destination) : pino(options);
}

/** Logs each request when it finishes: method, route pattern, status and milliseconds. */
export function requestLogger(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const route = (req.route as { path?: string } | undefined)?.path ?? 'unmatched';
      logger.info({ method: req.method, route, status: res.statusCode, ms: Number(process.hrtime.bigint() - started) / 1e6 }, 'request');
    });
    next();
  };
}
