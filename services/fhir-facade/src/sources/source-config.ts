/**
 * Where the national sources are and how patient the facade is with them: the `sources` part of the
 * configuration (read in config.ts). The ports are built from it in start-sources.ts.
 */
import { DEFAULT_RESILIENCE, SOURCE_NAMES, type ResilienceOptions, type SourceFetchObserver, type SourceName } from '@ehds-no/core';
import { sourceBasePath } from '@ehds-no/national-sources-sim';

/** The base URL of each source. */
export type SourceUrls = { readonly [N in SourceName]: string };

/** The environment variable that overrides one source's URL. */
export const SOURCE_URL_VARIABLES = {
  kjernejournal: 'KJERNEJOURNAL_URL',
  pll: 'PLL_URL',
  reseptformidleren: 'RESEPTFORMIDLEREN_URL',
  npr: 'NPR_URL',
  kpr: 'KPR_URL',
} as const satisfies { readonly [N in SourceName]: string };

/** The sources' settings. */
export interface SourceSettings {
  /**
   * Each source's base URL: `SOURCES_BASE_URL` + `/<source>`, or the source's own variable
   * ({@link SOURCE_URL_VARIABLES}). Absent when none is set: then the simulator runs in-process.
   */
  readonly urls?: SourceUrls;
  /** Per-fetch timeout (`SOURCE_TIMEOUT_MS`, default 2000). */
  readonly timeoutMs: number;
  /** Consecutive failures that open a source's circuit (`SOURCE_BREAKER_FAILURES`, default 5). */
  readonly breakerFailures: number;
  /** How long an open circuit stays open (`SOURCE_BREAKER_RESET_MS`, default 30000). */
  readonly breakerResetMs: number;
  /** Port of the in-process simulator when no URL is set (`SIMULATOR_PORT`, default 8090; 0 = any free port). */
  readonly simulatorPort?: number;
}

/**
 * Each source's URL from the common base and the per-source overrides.
 * @returns the URLs; `undefined` when nothing is set; or the variables still missing when only some are set
 * @example resolveSourceUrls('https://sources.example', {}) // kjernejournal: https://sources.example/kjernejournal, …
 */
export function resolveSourceUrls(base: string | undefined, overrides: Partial<Record<SourceName, string>>): { urls?: SourceUrls; missing?: string[] } {
  if (!base && Object.values(overrides).every((v) => !v)) return {};
  const trimmed = base?.replace(/\/+$/, '');
  const urls: Partial<Record<SourceName, string>> = {};
  const missing: string[] = [];
  for (const source of SOURCE_NAMES) {
    const url = overrides[source] ?? (trimmed ? `${trimmed}${sourceBasePath(source)}` : undefined);
    if (url) urls[source] = url;
    else missing.push(SOURCE_URL_VARIABLES[source]);
  }
  return missing.length > 0 ? { missing } : { urls: urls as SourceUrls };
}

/**
 * The resilience options for `resilientSources` from the settings.
 * @param observe e.g. the facade's `metrics.observeSourceFetch`
 */
export function resilienceOptions(settings: SourceSettings, observe?: SourceFetchObserver): ResilienceOptions {
  return { timeoutMs: settings.timeoutMs, breakerFailures: settings.breakerFailures, breakerResetMs: settings.breakerResetMs, ...(observe ? { observe } : {}) };
}

/** Defaults of the numeric settings (those of the resilience layer). */
export const DEFAULT_SOURCE_SETTINGS: Omit<SourceSettings, 'urls'> = DEFAULT_RESILIENCE;
