/**
 * The patient summary service wired to the facade's outside world: the national sources behind their
 * timeouts and circuit breakers (with fetch metrics), the last snapshots and the summary versions in the
 * database.
 */
import { fetchAllSources, PatientSummaryService, resilientSources, type ResilientSources, type SourcePorts } from '@ehds-no/core';
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
}

/** The service, its store, and the resilient sources (their breaker states tell `/readyz` about the sources). */
export function summaryService(w: SummaryWiring): { service: PatientSummaryService; store: DatabaseSummaryStore; sources: ResilientSources } {
  const sources = resilientSources(w.ports, resilienceOptions(w.settings, w.metrics.observeSourceFetch));
  const snapshots = new SourceSnapshotStore(w.db);
  const store = new DatabaseSummaryStore(w.db);
  const service = new PatientSummaryService({
    store,
    fetchSources: (key) => fetchAllSources(sources, snapshots, key),
    allowSyntheticIdentities: w.allowSyntheticIdentities,
    maxAgeMs: w.maxAgeMs,
  });
  return { service, store, sources };
}
