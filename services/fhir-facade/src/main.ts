/**
 * Entry point: `node --no-allocation-site-pretenuring services/fhir-facade/dist/main.js` (what `pnpm start` runs).
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { EreseptXsdValidator, FhirValidator, loadPatientFolders, preloadReferenceData, preloadValidation } from '@ehds-no/core';
import { createApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { ConformanceRepository } from './conformance/repository.js';
import { createLogger } from './logging.js';
import { createMetrics } from './metrics.js';
import { SCOPE } from './auth/caller.js';
import { startSources } from './sources/start-sources.js';
import { summaryService } from './sources/summary-wiring.js';
import { onShutdownSignal, startServer } from './server.js';
import { devIssuer, jwksVerifier, type DevIssuer } from './auth/token-verifier.js';
import { DatabaseUnavailable, migrate } from './storage/database.js';
import { AuditStore } from './storage/audit-store.js';
import { EprescriptionStore } from './storage/eprescription-store.js';
import { openPglite } from './storage/pglite.js';
import { openPostgres } from './storage/postgres.js';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

async function loadXsd(dir: string): Promise<EreseptXsdValidator> {
  try {
    return await EreseptXsdValidator.load(dir);
  } catch (e) {
    throw new ConfigError(`ERESEPT_XSD_DIR: ${(e as Error).message}`);
  }
}

const logger = createLogger();

/**
 * The V8 option `pnpm start` runs the service with: allocation-site pretenuring misfires on this workload (a
 * message alive during the first collections makes V8 allocate every later one in the old generation,
 * 35–50 % slower for the life of the process; docs/PERFORMANCE.md).
 */
const NO_PRETENURING = '--no-allocation-site-pretenuring';

/** The interfaces only this machine reaches. */
const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(['127.0.0.1', 'localhost', '::1']);

async function openEmbedded(dataDir: string) {
  mkdirSync(dataDir, { recursive: true });
  return openPglite(dataDir);
}

/** The settings, once read: an error while listening says which of the two ports was taken. */
let settings: ReturnType<typeof loadConfig> | undefined;

try {
  const config = loadConfig();
  settings = config;
  // Before anything reads a message (see preloadReferenceData for why the order matters); validation's
  // definitions first, so that R4 core's are read once for both (see preloadValidation).
  const startedLoading = performance.now();
  const profiles = preloadValidation();
  preloadReferenceData();
  logger.info({ profiles: profiles.length, ms: Math.round(performance.now() - startedLoading) }, 'reference data and validation profiles loaded');
  const ereseptXsd = config.ereseptXsdDir ? await loadXsd(config.ereseptXsdDir) : undefined;
  const db = config.databaseUrl ? openPostgres(config.databaseUrl, { logger }) : await openEmbedded(config.dataDir);
  const applied = await migrate(db);
  logger.info({ database: config.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `PGlite in ${config.dataDir}`, appliedMigrations: applied }, 'database');
  const issuer = config.auth.mode === 'dev' ? await devIssuer(config.auth) : undefined;
  const verifier = config.auth.mode === 'jwks' ? jwksVerifier(config.auth.jwksUrl, config.auth, config.auth) : (issuer as DevIssuer);
  const audit = new AuditStore(db);
  const eprescription = { store: new EprescriptionStore(db), audit, verifier, allowSyntheticIdentities: config.allowSyntheticIdentities, foreignPharmacy: config.foreignPharmacy };
  const metrics = createMetrics();
  const sources = await startSources(config.sources, { logger, testPatients: () => loadPatientFolders() });
  // A background refresh's reader was already served the stored version: the error's name only, never whose summary.
  const onBackgroundError = (e: unknown) => logger.warn({ error: e instanceof Error ? e.name : typeof e }, 'background refresh of a stored summary failed');
  const { service, store, sources: resilient } = summaryService({ db, ports: sources.ports, settings: config.sources, metrics, allowSyntheticIdentities: config.allowSyntheticIdentities, maxAgeMs: config.summaryMaxAgeMs, onBackgroundError, logger });
  const summary = { service, store, verifier, audit, allowSyntheticIdentities: config.allowSyntheticIdentities };
  const sourceStates = () => Object.fromEntries(Object.entries(resilient).map(([name, source]) => [name, source.breakerState()]));
  const demo = { summaryMaxAgeMs: config.summaryMaxAgeMs, ...(sources.simulator ? { simulator: { url: sources.simulator.url, patients: () => loadPatientFolders() } } : {}) };
  const validation = { verifier, validator: new FhirValidator(), allowSyntheticIdentities: config.allowSyntheticIdentities };
  const app = createApp({ version, ereseptXsd, eprescription, summary, validation, metrics, sourceStates, conformance: new ConformanceRepository(), logger, db, rateLimitPerMinute: config.rateLimitPerMinute, ...(issuer && config.development ? { devIssuer: issuer, demo } : {}) });
  const running = await startServer(app, config.port, config.host, config.shutdownGraceMs);
  if (sources.simulator && issuer) {
    // Dev mode: the simulator's change notifications rebuild summaries here, as a national source's would.
    const token = await issuer.mint({ scope: SCOPE.sourceNotify, sub: 'national-sources-simulator' }, 30 * 24 * 3600);
    const host = config.host === '0.0.0.0' ? '127.0.0.1' : config.host;
    await fetch(`${sources.simulator.url}/_sim/subscriptions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ endpoint: `http://${host}:${running.port}/notifications/source-changed`, authorization: `Bearer ${token}` }),
    });
    logger.info(`national-sources simulator: ${sources.simulator.url} (fault injection and data changes under /_sim)`);
  }
  if (issuer) logger.warn('DEV MODE (EHDS_MODE=development): tokens from the local issuer; get one with POST /auth/dev-token. Not for production. Demonstration page: /demo/');
  // Development mode hands out tokens to whoever can reach it: binding beyond loopback is allowed, but loudly.
  if (config.development && !LOOPBACK_HOSTS.has(config.host)) logger.warn(`DEV MODE listening on ${config.host} (HOST): other machines can mint tokens, read the test persons and change the test data`);
  logger.info(`e-resept XSD validation: ${ereseptXsd ? 'on (ERESEPT_XSD_DIR)' : 'off (set ERESEPT_XSD_DIR to enable)'}`);
  logger.info(`ehds-no FHIR facade ${version} listening on http://${config.host}:${running.port}/fhir (metadata: /fhir/metadata)`);
  if (config.allowSyntheticIdentities) logger.warn('synthetic test identities are accepted (ALLOW_SYNTHETIC_IDENTITIES)');
  if (!process.execArgv.includes(NO_PRETENURING)) logger.warn(`started without ${NO_PRETENURING}: conversions may run 35-50 % slower (docs/PERFORMANCE.md); \`pnpm start\` sets it`);
  onShutdownSignal(process, running, (code) => {
    // Background refreshes of stored summaries finish first: they need the sources and the database.
    void service.idle().then(() => Promise.allSettled([sources.simulator?.close()])).then(() => db.close()).finally(() => {
      logger.info('ehds-no FHIR facade stopped');
      process.exit(code);
    });
  });
} catch (e) {
  if (e instanceof ConfigError) {
    console.error(`configuration error: ${e.message}`);
    process.exit(2);
  }
  if ((e as NodeJS.ErrnoException).code === 'EADDRINUSE') {
    // The national-sources simulator (development mode) listens on a port of its own.
    const port = (e as { port?: unknown }).port;
    const variable = port !== undefined && port === settings?.sources.simulatorPort ? 'SIMULATOR_PORT' : 'PORT';
    console.error(`cannot listen: port ${String(port ?? '')} is already in use (set ${variable} to a free one)`);
    process.exit(2);
  }
  if (e instanceof DatabaseUnavailable) {
    // At start-up the migrations need the database; once running, an outage is a 503 instead (errors.ts).
    logger.fatal({ error: e.name, reason: e.reason }, 'the database is unreachable at start-up (DATABASE_URL); not started');
    process.exit(1);
  }
  throw e;
}
