/**
 * Prometheus metrics (prom-client): request counts and latency per operation (route pattern), fetch
 * outcomes and latency per national source, and the answers of a source about another person than the one
 * asked for, on a registry of the app's own. Served at `GET /metrics`.
 */
import type { SourceFetchObserver } from '@ehds-no/core';
import type { RequestHandler } from 'express';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The app's metrics and the middleware that records them. */
export interface Metrics {
  readonly registry: Registry;
  readonly record: RequestHandler;
  /** Answers with the metrics in Prometheus text format. */
  readonly serve: RequestHandler;
  /**
   * Records one fetch from a national source: pass it as `observe` to the resilient sources.
   * @example resilientSources(ports, { ...options, observe: metrics.observeSourceFetch })
   */
  readonly observeSourceFetch: SourceFetchObserver;
}

/** Latency buckets of source fetches (seconds): the sources' timeout is 2 s by default. */
const SOURCE_FETCH_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10];

/** Creates a registry with the request metrics and the process defaults. */
export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const requests = new Counter({ name: 'ehds_http_requests_total', help: 'HTTP requests by route pattern, method and status', labelNames: ['route', 'method', 'status'], registers: [registry] });
  const duration = new Histogram({
    name: 'ehds_http_request_duration_seconds',
    help: 'HTTP request duration by route pattern and method',
    labelNames: ['route', 'method'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const record: RequestHandler = (req, res, next) => {
    const stop = duration.startTimer();
    res.on('finish', () => {
      const route = (req.route as { path?: string } | undefined)?.path ?? 'unmatched';
      stop({ route, method: req.method });
      requests.inc({ route, method: req.method, status: String(res.statusCode) });
    });
    next();
  };
  const sourceFetches = new Counter({
    name: 'ehds_source_fetch_total',
    help: 'Fetches from the national sources by source and result (ok, not-known, failure, timeout, circuit-open, patient-mismatch)',
    labelNames: ['source', 'result'],
    registers: [registry],
  });
  const sourceFetchDuration = new Histogram({
    name: 'ehds_source_fetch_duration_seconds',
    help: 'Duration of fetches that reached a national source, by source',
    labelNames: ['source'],
    buckets: SOURCE_FETCH_BUCKETS,
    registers: [registry],
  });
  const patientMismatches = new Counter({
    name: 'ehds_source_patient_mismatch_total',
    help: 'Answers of a national source about another person than the one asked for (refused, never used), by source',
    labelNames: ['source'],
    registers: [registry],
  });
  const observeSourceFetch: SourceFetchObserver = ({ source, seconds, result }) => {
    sourceFetches.inc({ source, result });
    if (result === 'patient-mismatch') patientMismatches.inc({ source });
    // A call refused by the open circuit never reached the source: no latency to record.
    if (result !== 'circuit-open') sourceFetchDuration.observe({ source }, seconds);
  };
  const serve: RequestHandler = async (_req, res) => {
    res.type(registry.contentType).send(await registry.metrics());
  };
  return { registry, record, serve, observeSourceFetch };
}
