/**
 * The patient summary service wired to the facade's outside world: the national sources behind their
 * timeouts and circuit breakers (with fetch metrics, and a security event for an answer about another
 * person), the last snapshots and the summary versions in the database.
 */
import {
  fetchAllSources, PatientSummaryService, resilientSources, type ResilientSources, type SourceFetchObserver, type SourcePorts,
} from '@ehds-no/core';
import type { Logger } from 'pino';
import type { Metrics } from '../metrics.js';
import type { Database } from '../storage/database.js';
import { SourceSnapshotStore } from '../storage/source-snapshot-store.js';
import { DatabaseSummaryStore } from '../storage/summary-store.js';
import { resilienceOptions, type SourceSettings } from './source-config.js';

/** What {@link summaryService} needs. */
export interface SummaryWiring {
  readonly db: Database;
  readonly ports: SourcePorts;
  readonly settings: SourceSettings;
  readonly metrics: Metrics;
  readonly allowSyntheticIdentities: boolean;
  readonly maxAgeMs: number;
  /** Told when a background refresh of a stored summary fails (see `SummaryServiceDeps.onBackgroundError`). */
  readonly onBackgroundError?: (error: unknown) => void;
  /** Where the security events go (an answer about another person); default: none are logged. */
  readonly logger?: Logger;
}

/** The event name of the security log line for an answer about another person. */
export const PATIENT_MISMATCH_EVENT = 'source-patient-mismatch';

/**
 * The observer of the resilient sources: the metrics, and for an answer about another person a security
 * event that names the source only (never the person asked for, nor the one answered about).
 * @example resilientSources(ports, resilienceOptions(settings, sourceFetchObserver(metrics, logger)))
 */
export function sourceFetchObserver(metrics: Metrics, logger: Logger | undefined): SourceFetchObserver {
  return (observation) => {
    metrics.observeSourceFetch(observation);
    if (observation.result === 'patient-mismatch') {
      logger?.warn({ event: PATIENT_MISMATCH_EVENT, security: true, source: observation.source }, 'a national source answered about another person than the one asked for; the answer was refused');
    }
  };
}

/** The service, its store, and the resilient sources (their breaker states tell `/readyz` about the sources). */
export function summaryService(w: SummaryWiring): { service: PatientSummaryService; store: DatabaseSummaryStore; sources: ResilientSources } {
  const sources = resilientSources(w.ports, resilienceOptions(w.settings, sourceFetchObserver(w.metrics, w.logger)));
  const snapshots = new SourceSnapshotStore(w.db);
  const store = new DatabaseSummaryStore(w.db);
  const service = new PatientSummaryService({
    store,
    fetchSources: (key) => fetchAllSources(sources, snapshots, key),
    allowSyntheticIdentities: w.allowSyntheticIdentities,
    maxAgeMs: w.maxAgeMs,
    ...(w.onBackgroundError ? { onBackgroundError: w.onBackgroundError } : {}),
  });
  return { service, store, sources };
}
