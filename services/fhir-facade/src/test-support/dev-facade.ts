/**
 * Test helper: the facade as `pnpm start` runs it in development mode (the local token issuer, the
 * in-process national-sources simulator serving test-data/patients, the summary, the e-prescription
 * operations, `$validate` and the demonstration page), on a fresh test database and an ephemeral loopback port.
 */
import { DEFAULT_FOREIGN_PHARMACY, FhirValidator, loadPatientFolders } from '@ehds-no/core';
import type { Express } from 'express';
import { createApp } from '../app.js';
import { devIssuer, type DevIssuer } from '../auth/token-verifier.js';
import { DEV_TOKEN_AUDIENCE } from '../config.js';
import { createLogger } from '../logging.js';
import { createMetrics } from '../metrics.js';
import { startServer } from '../server.js';
import { DEFAULT_SOURCE_SETTINGS } from '../sources/source-config.js';
import { startSources } from '../sources/start-sources.js';
import { summaryService } from '../sources/summary-wiring.js';
import { AuditStore } from '../storage/audit-store.js';
import type { Database } from '../storage/database.js';
import { EprescriptionStore } from '../storage/eprescription-store.js';
import { testDatabase } from './test-database.js';

/** `SUMMARY_MAX_AGE_MS` as configured by default. */
const SUMMARY_MAX_AGE_MS = 300_000;
const SHUTDOWN_GRACE_MS = 1000;

/** A running development facade. */
export interface DevFacade {
  /** e.g. `http://127.0.0.1:41234` */
  readonly url: string;
  readonly simulatorUrl: string;
  readonly app: Express;
  readonly issuer: DevIssuer;
  readonly db: Database;
  /** Stops the server and the simulator and closes the database. */
  close(): Promise<void>;
}

/** Options of {@link startDevFacade}. */
export interface DevFacadeOptions {
  /** The e-prescription operations' clock (default: the real one). */
  readonly now?: () => Date;
  /** Where logs go (default: nowhere). */
  readonly log?: (line: string) => void;
}

/** Starts the development facade. Close it after the tests. */
export async function startDevFacade(options: DevFacadeOptions = {}): Promise<DevFacade> {
  const db = await testDatabase();
  const logger = createLogger({ write: options.log ?? (() => undefined) });
  const issuer = await devIssuer(DEV_TOKEN_AUDIENCE);
  const patients = loadPatientFolders();
  const settings = { ...DEFAULT_SOURCE_SETTINGS, simulatorPort: 0 };
  const sources = await startSources(settings, { logger, testPatients: () => patients });
  const metrics = createMetrics();
  const { service, store } = summaryService({ db, ports: sources.ports, settings, metrics, allowSyntheticIdentities: true, maxAgeMs: SUMMARY_MAX_AGE_MS });
  const audit = new AuditStore(db);
  const app = createApp({
    version: 'dev-facade',
    logger,
    db,
    metrics,
    devIssuer: issuer,
    summary: { service, store, verifier: issuer, audit, allowSyntheticIdentities: true },
    eprescription: {
      store: new EprescriptionStore(db), audit, verifier: issuer, allowSyntheticIdentities: true, foreignPharmacy: DEFAULT_FOREIGN_PHARMACY,
      ...(options.now ? { now: options.now } : {}),
    },
    validation: { verifier: issuer, validator: new FhirValidator(), allowSyntheticIdentities: true },
    demo: { simulator: { url: sources.simulator!.url, patients: () => patients }, summaryMaxAgeMs: SUMMARY_MAX_AGE_MS },
  });
  const running = await startServer(app, 0, '127.0.0.1', SHUTDOWN_GRACE_MS);
  return {
    url: `http://127.0.0.1:${running.port}`,
    simulatorUrl: sources.simulator!.url,
    app,
    issuer,
    db,
    async close() {
      await running.stop();
      await sources.simulator?.close();
      await db.close();
    },
  };
}
