/**
 * The national sources of the running facade: the HTTP adapters when source URLs are configured, or
 * else the national-sources simulator started in-process (127.0.0.1, an ephemeral port) serving the test
 * patients, with the same adapters talking to it, so that development runs the same code path as
 * production.
 */
import type { PatientSourceData, SourcePorts } from '@ehds-no/core';
import { startSimulator } from '@ehds-no/national-sources-sim';
import type { Logger } from 'pino';
import { kjernejournalSource } from './kjernejournal-source.js';
import { pllSource } from './pll-source.js';
import { registerSource } from './register-source.js';
import { reseptformidlerenSource } from './reseptformidleren-source.js';
import { resolveBodyLimits, resolveSourceUrls, type SourceBodyLimits, type SourceSettings, type SourceUrls } from './source-config.js';

/**
 * The five HTTP ports.
 * @param limits each source's byte limit of one fetch (default: `DEFAULT_MAX_BODY_BYTES` for all)
 */
export function httpSourcePorts(urls: SourceUrls, limits: SourceBodyLimits = resolveBodyLimits(undefined)): SourcePorts {
  return {
    kjernejournal: kjernejournalSource(urls.kjernejournal, limits.kjernejournal),
    pll: pllSource(urls.pll, limits.pll),
    reseptformidleren: reseptformidlerenSource(urls.reseptformidleren, limits.reseptformidleren),
    npr: registerSource('npr', urls.npr, limits.npr),
    kpr: registerSource('kpr', urls.kpr, limits.kpr),
  };
}

/** What {@link startSources} started. */
export interface StartedSources {
  readonly ports: SourcePorts;
  /** The in-process simulator, when no source URL was configured: stop it on shutdown. */
  readonly simulator?: { readonly url: string; close(): Promise<void> };
}

/** Options of {@link startSources}. */
export interface StartSourcesOptions {
  readonly logger: Logger;
  /**
   * The patients the in-process simulator serves (only called when no source URL is configured),
   * e.g. `() => loadPatientFolders()` (test-data/patients).
   */
  readonly testPatients: () => Iterable<PatientSourceData>;
}

/** Only the origin of a URL is logged: a configured URL may carry credentials or a token in its path. */
function origin(url: string): string {
  return new URL(url).origin;
}

/**
 * The ports of the configured sources, or of the in-process simulator when none is configured.
 * @example
 * const sources = await startSources(config.sources, { logger, testPatients: () => loadPatientFolders(dir) });
 * const resilient = resilientSources(sources.ports, resilienceOptions(config.sources, metrics.observeSourceFetch));
 * // on shutdown: await sources.simulator?.close();
 */
export async function startSources(settings: SourceSettings, options: StartSourcesOptions): Promise<StartedSources> {
  const limits = settings.maxBodyBytes ?? resolveBodyLimits(undefined);
  if (settings.urls) {
    options.logger.info({ sources: Object.fromEntries(Object.entries(settings.urls).map(([name, url]) => [name, origin(url)])) }, 'national sources: configured URLs');
    return { ports: httpSourcePorts(settings.urls, limits) };
  }
  const running = await startSimulator({ patients: options.testPatients(), host: '127.0.0.1', port: settings.simulatorPort ?? 0 });
  const { urls } = resolveSourceUrls(running.url, {});
  options.logger.warn(
    { simulator: running.url, patients: running.simulator.store.patients().length },
    'national sources: no source URL configured (SOURCES_BASE_URL); the in-process simulator serves test-data/patients. Test data only.',
  );
  return { ports: httpSourcePorts(urls!, limits), simulator: { url: running.url, close: running.close } };
}
