/**
 * @ehds-no/national-sources-sim: the five national sources of the patient summary (Kjernejournal, PLL,
 * Reseptformidleren, NPR, KPR) served over HTTP from memory, with fault injection and change
 * notifications. For tests and demos; the wire formats are in docs/sources.md.
 */
import type { Server } from 'node:http';
import { PatientSourceStore, systemClock, type Clock, type PatientSourceData } from '@ehds-no/core';
import express, { type Express } from 'express';
import { controlRoutes } from './control-routes.js';
import { FaultInjector } from './faults.js';
import { outcome } from './fhir-responses.js';
import { allSourceRoutes } from './source-routes.js';
import { DEFAULT_NOTIFY_TIMEOUT_MS, Subscriptions } from './subscriptions.js';
import { FHIR_JSON } from './wire-format.js';

export * from './wire-format.js';
export { FAULT_KINDS, DEFAULT_ERROR_STATUS, DEFAULT_LATENCY_MS, MALFORMED_BODY, FaultInjector, anotherPatient, type Fault, type FaultKind } from './faults.js';
export { Subscriptions, type Subscription, type Delivery } from './subscriptions.js';

/** Options of {@link createSimulator}. */
export interface SimulatorOptions {
  /** What the sources hold. */
  readonly patients: Iterable<PatientSourceData>;
  /** Endpoints subscribed from the start (more with `POST /_sim/subscriptions`). */
  readonly notifyEndpoints?: readonly string[];
  /** Time a subscriber has to answer a notification (default 5000 ms). */
  readonly notifyTimeoutMs?: number;
  /** Clock of the notification timestamps. */
  readonly clock?: Clock;
}

/** A simulator: its app and the state behind it (tests may change the state directly). */
export interface Simulator {
  readonly app: Express;
  readonly store: PatientSourceStore;
  readonly faults: FaultInjector;
  readonly subscriptions: Subscriptions;
}

/**
 * Creates the simulator's Express app (not yet listening).
 * @throws {TypeError} when a `notifyEndpoints` entry is not an http(s) URL
 * @example
 * const sim = createSimulator({ patients: loadPatientFolders('test-data/patients') });
 * await request(sim.app).get('/kjernejournal/Patient').set('nhn-patient-nin', nin);
 */
export function createSimulator(options: SimulatorOptions): Simulator {
  const store = new PatientSourceStore(options.patients);
  const faults = new FaultInjector();
  const subscriptions = new Subscriptions(options.notifyTimeoutMs ?? DEFAULT_NOTIFY_TIMEOUT_MS, options.clock ?? systemClock);
  for (const endpoint of options.notifyEndpoints ?? []) subscriptions.add(endpoint);

  const app = express();
  app.disable('x-powered-by');
  app.use(allSourceRoutes(store, faults));
  app.use('/_sim', controlRoutes(store, faults, subscriptions));
  app.use((req, res) => {
    res.status(404).type(FHIR_JSON).json(outcome('not-found', `nothing at ${req.method} ${req.path}`));
  });
  return { app, store, faults, subscriptions };
}

/** A simulator listening on a port. */
export interface RunningSimulator {
  readonly simulator: Simulator;
  /** Its base URL, e.g. `http://127.0.0.1:41234`; each source is under `/<source>`. */
  readonly url: string;
  /** Ends held requests and stops listening. */
  close(): Promise<void>;
}

/** Where {@link startSimulator} listens. */
export interface ListenOptions {
  /** Default 0: an ephemeral port. */
  readonly port?: number;
  /** Default 127.0.0.1: only this machine. */
  readonly host?: string;
}

/**
 * Creates the simulator and listens.
 * @example const sim = await startSimulator({ patients }); // sim.url = http://127.0.0.1:<port>
 */
export function startSimulator(options: SimulatorOptions & ListenOptions): Promise<RunningSimulator> {
  const simulator = createSimulator(options);
  const host = options.host ?? '127.0.0.1';
  return new Promise((resolve, reject) => {
    const server: Server = simulator.app.listen(options.port ?? 0, host);
    server.once('error', reject);
    server.once('listening', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : options.port;
      const close = () =>
        new Promise<void>((done) => {
          simulator.faults.releaseHeld();
          server.close(() => done());
          server.closeAllConnections();
        });
      resolve({ simulator, url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`, close });
    });
  });
}
