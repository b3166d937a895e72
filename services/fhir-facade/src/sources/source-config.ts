/**
 * Where the national sources are, how patient the facade is with them and how much of their answers it
 * reads: the `sources` part of the configuration (read in config.ts). The ports are built from it in start-sources.ts.
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

/**
 * The environment variable that overrides one source's body limit (`SOURCE_MAX_BODY_BYTES` sets all).
 */
export const SOURCE_MAX_BODY_VARIABLES = {
  kjernejournal: 'KJERNEJOURNAL_MAX_BODY_BYTES',
  pll: 'PLL_MAX_BODY_BYTES',
  reseptformidleren: 'RESEPTFORMIDLEREN_MAX_BODY_BYTES',
  npr: 'NPR_MAX_BODY_BYTES',
  kpr: 'KPR_MAX_BODY_BYTES',
} as const satisfies { readonly [N in SourceName]: string };

/**
 * The default byte limit of one fetch from a source: 4 MiB. The largest answers of the test patients
 * (test-data/patients, measured over HTTP from the simulator) are under 30 kB per source and fetch
 * (PLL 29 080 B, Reseptformidleren 27 000 B, KPR 16 492 B, Kjernejournal's five searches 6 146 B, NPR
 * 5 302 B), so this leaves a factor of about 140 for real patients with long histories, while one broken
 * or hostile source cannot make a fetch hold more than this.
 */
export const DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024;

/** The byte limit of one fetch (all its answers together), per source. */
export type SourceBodyLimits = { readonly [N in SourceName]: number };

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
  /**
   * Each source's byte limit of one fetch (`SOURCE_MAX_BODY_BYTES`, default {@link DEFAULT_MAX_BODY_BYTES},
   * and per source {@link SOURCE_MAX_BODY_VARIABLES}); absent: the default for all. Over it, the fetch fails
   * with `response too large`.
   */
  readonly maxBodyBytes?: SourceBodyLimits;
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
 * Each source's body limit from the common value and the per-source overrides.
 * @example resolveBodyLimits(1_000_000, { kjernejournal: 8_000_000 }) // kjernejournal: 8000000, the others 1000000
 */
export function resolveBodyLimits(common: number | undefined, overrides: Partial<Record<SourceName, number>> = {}): SourceBodyLimits {
  return Object.fromEntries(SOURCE_NAMES.map((source) => [source, overrides[source] ?? common ?? DEFAULT_MAX_BODY_BYTES])) as SourceBodyLimits;
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
