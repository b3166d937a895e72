/**
 * Configuration from environment variables, checked at start-up: a bad value stops the service with a
 * message that names the variable. Development mode (the local token issuer, `POST /auth/dev-token`, the
 * demonstration page, the in-process simulator of the national sources) runs only when asked for by name,
 * `EHDS_MODE=development` exactly; every other configuration refuses it, and NODE_ENV can only make this
 * stricter, never looser.
 */

import { DEFAULT_FOREIGN_PHARMACY } from '@ehds-no/core';
import { Ajv } from 'ajv';
import { DEFAULT_SOURCE_SETTINGS, resolveBodyLimits, resolveSourceUrls, type SourceSettings } from './sources/source-config.js';

/** The facade's settings. */
export interface FacadeConfig {
  /**
   * Development mode (`EHDS_MODE=development`, exactly; `pnpm start` sets it): the local token issuer, the
   * demonstration page and the in-process simulator are allowed, and the service listens on 127.0.0.1
   * unless `HOST` says otherwise. Unset, or `EHDS_MODE=production`, none of them is.
   */
  readonly development: boolean;
  /** TCP port (`PORT`, default 8080). */
  readonly port: number;
  /** Interface to listen on (`HOST`, default 127.0.0.1 in development mode, 0.0.0.0 otherwise). */
  readonly host: string;
  /** How long shutdown waits for in-flight requests (`SHUTDOWN_GRACE_MS`, default 10000). */
  readonly shutdownGraceMs: number;
  /** Requests per minute per client address before 429 (`RATE_LIMIT_PER_MINUTE`, default 1200). */
  readonly rateLimitPerMinute: number;
  /**
   * Folder with the official e-resept XSDs (`ERESEPT_XSD_DIR`, official layout: `eresept/`,
   * `felleskomponenter/`). When set, e-resept messages are also validated against them.
   */
  readonly ereseptXsdDir?: string;
  /** Folder of the embedded database (`DATA_DIR`, default `./data/pglite`). */
  readonly dataDir: string;
  /** PostgreSQL instead of the embedded database (`DATABASE_URL`, production). */
  readonly databaseUrl?: string;
  /**
   * Accept synthetic test person numbers (`ALLOW_SYNTHETIC_IDENTITIES`, default true in development mode and
   * false otherwise; outside development mode only when set explicitly, e.g. against HelseID's test
   * environment, and never with `NODE_ENV=production`).
   */
  readonly allowSyntheticIdentities: boolean;
  /** National placeholder identity for foreign pharmacies (`FOREIGN_PHARMACY_ENH`, `_HER`, `_NAME`). */
  readonly foreignPharmacy: { readonly enh: string; readonly her: string; readonly name: string };
  /**
   * How tokens are verified (`AUTH_MODE`): `dev` runs a local issuer and `POST /auth/dev-token` (the
   * default in development mode, refused in any other); `jwks` (the default otherwise) verifies against
   * `JWKS_URL` with `JWT_ISSUER` and `JWT_AUDIENCE` (HelseID), see {@link JwksSettings}.
   */
  readonly auth: { readonly mode: 'dev'; readonly issuer: string; readonly audience: string } | JwksSettings;
  /**
   * The national sources (`SOURCES_BASE_URL` or `KJERNEJOURNAL_URL`, `PLL_URL`, `RESEPTFORMIDLEREN_URL`,
   * `NPR_URL`, `KPR_URL`; `SOURCE_TIMEOUT_MS`, `SOURCE_BREAKER_FAILURES`, `SOURCE_BREAKER_RESET_MS`;
   * `SOURCE_MAX_BODY_BYTES` and per source `KJERNEJOURNAL_MAX_BODY_BYTES` … `KPR_MAX_BODY_BYTES`).
   * Without URLs the simulator serves test-data/patients in-process, which only development mode allows.
   */
  readonly sources: SourceSettings;
  /**
   * `$summary` serves the stored summary without asking the sources while they were checked within this
   * many milliseconds (`SUMMARY_MAX_AGE_MS`, default 300000; 0 = always ask), spread per patient to 0.8–1 ×
   * so that summaries built together do not expire together; for up to the same time again the stored one
   * is served while one background rebuild refreshes it. Change notifications keep it current in between.
   */
  readonly summaryMaxAgeMs: number;
}

/** Token verification against a JWKS endpoint (`AUTH_MODE=jwks`). */
export interface JwksSettings {
  readonly mode: 'jwks';
  /** `JWKS_URL`. */
  readonly jwksUrl: string;
  /** `JWT_ISSUER`. */
  readonly issuer: string;
  /** `JWT_AUDIENCE`. */
  readonly audience: string;
  /**
   * The longest lifetime a token may have, `exp - iat`, and the oldest `iat` accepted
   * (`JWT_MAX_LIFETIME_S`, default 3600: HelseID's access tokens live an hour or less).
   */
  readonly maxLifetimeSeconds: number;
  /** The clock skew allowed on `exp`, `nbf` and `iat` (`JWT_CLOCK_SKEW_S`, default 30). */
  readonly clockSkewSeconds: number;
  /** How long a fetch of the key set may take before the request is answered 503 (`JWKS_TIMEOUT_MS`, default 2000). */
  readonly jwksTimeoutMs: number;
}

/** The value of `EHDS_MODE` that asks for development mode; nothing else does. */
export const DEVELOPMENT_MODE = 'development';

/** The JWKS defaults (see {@link JwksSettings}). */
export const DEFAULT_JWKS_SETTINGS = { maxLifetimeSeconds: 3600, clockSkewSeconds: 30, jwksTimeoutMs: 2000 } as const;

/** Where the in-process simulator listens by default, so that the README's examples can reach it. */
const DEFAULT_SIMULATOR_PORT = 8090;

/** Issuer and audience of the development issuer. */
export const DEV_TOKEN_AUDIENCE = { issuer: 'urn:ehds-no:dev-issuer', audience: 'ehds-no' } as const;

/** A configuration value that cannot be used. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** The environment variables the facade reads, with their syntax and ranges: checked with ajv at start-up. */
const ENV_SCHEMA = {
  type: 'object',
  properties: {
    EHDS_MODE: { enum: [DEVELOPMENT_MODE, 'production'] },
    NODE_ENV: { type: 'string' },
    PORT: { type: 'integer', minimum: 0, maximum: 65535 },
    HOST: { type: 'string', minLength: 1 },
    SHUTDOWN_GRACE_MS: { type: 'integer', minimum: 0, maximum: 600000 },
    RATE_LIMIT_PER_MINUTE: { type: 'integer', minimum: 1, maximum: 1000000 },
    DATA_DIR: { type: 'string', minLength: 1 },
    DATABASE_URL: { type: 'string', pattern: '^postgres(ql)?://' },
    ERESEPT_XSD_DIR: { type: 'string', minLength: 1 },
    ALLOW_SYNTHETIC_IDENTITIES: { type: 'boolean' },
    FOREIGN_PHARMACY_ENH: { type: 'string', pattern: '^\\d{1,12}$' },
    FOREIGN_PHARMACY_HER: { type: 'string', pattern: '^\\d{1,12}$' },
    FOREIGN_PHARMACY_NAME: { type: 'string', minLength: 1, maxLength: 200 },
    AUTH_MODE: { enum: ['dev', 'jwks'] },
    JWKS_URL: { type: 'string', pattern: '^https?://' },
    JWT_ISSUER: { type: 'string', minLength: 1 },
    JWT_AUDIENCE: { type: 'string', minLength: 1 },
    JWT_MAX_LIFETIME_S: { type: 'integer', minimum: 60, maximum: 86400 },
    JWT_CLOCK_SKEW_S: { type: 'integer', minimum: 0, maximum: 300 },
    JWKS_TIMEOUT_MS: { type: 'integer', minimum: 100, maximum: 30000 },
    SOURCES_BASE_URL: { type: 'string', pattern: '^https?://' },
    KJERNEJOURNAL_URL: { type: 'string', pattern: '^https?://' },
    PLL_URL: { type: 'string', pattern: '^https?://' },
    RESEPTFORMIDLEREN_URL: { type: 'string', pattern: '^https?://' },
    NPR_URL: { type: 'string', pattern: '^https?://' },
    KPR_URL: { type: 'string', pattern: '^https?://' },
    SOURCE_TIMEOUT_MS: { type: 'integer', minimum: 1, maximum: 600000 },
    SOURCE_BREAKER_FAILURES: { type: 'integer', minimum: 1, maximum: 1000 },
    SOURCE_BREAKER_RESET_MS: { type: 'integer', minimum: 0, maximum: 3600000 },
    // Body limits of one fetch, 1 kB to 256 MiB (docs/sources.md, "Size limits").
    SOURCE_MAX_BODY_BYTES: { type: 'integer', minimum: 1024, maximum: 268435456 },
    KJERNEJOURNAL_MAX_BODY_BYTES: { type: 'integer', minimum: 1024, maximum: 268435456 },
    PLL_MAX_BODY_BYTES: { type: 'integer', minimum: 1024, maximum: 268435456 },
    RESEPTFORMIDLEREN_MAX_BODY_BYTES: { type: 'integer', minimum: 1024, maximum: 268435456 },
    NPR_MAX_BODY_BYTES: { type: 'integer', minimum: 1024, maximum: 268435456 },
    KPR_MAX_BODY_BYTES: { type: 'integer', minimum: 1024, maximum: 268435456 },
    SUMMARY_MAX_AGE_MS: { type: 'integer', minimum: 0, maximum: 86400000 },
    SIMULATOR_PORT: { type: 'integer', minimum: 0, maximum: 65535 },
  },
} as const;

interface Env {
  EHDS_MODE?: typeof DEVELOPMENT_MODE | 'production';
  NODE_ENV?: string;
  PORT?: number;
  HOST?: string;
  SHUTDOWN_GRACE_MS?: number;
  RATE_LIMIT_PER_MINUTE?: number;
  DATA_DIR?: string;
  DATABASE_URL?: string;
  ERESEPT_XSD_DIR?: string;
  ALLOW_SYNTHETIC_IDENTITIES?: boolean;
  FOREIGN_PHARMACY_ENH?: string;
  FOREIGN_PHARMACY_HER?: string;
  FOREIGN_PHARMACY_NAME?: string;
  AUTH_MODE?: 'dev' | 'jwks';
  JWKS_URL?: string;
  JWT_ISSUER?: string;
  JWT_AUDIENCE?: string;
  JWT_MAX_LIFETIME_S?: number;
  JWT_CLOCK_SKEW_S?: number;
  JWKS_TIMEOUT_MS?: number;
  SOURCES_BASE_URL?: string;
  KJERNEJOURNAL_URL?: string;
  PLL_URL?: string;
  RESEPTFORMIDLEREN_URL?: string;
  NPR_URL?: string;
  KPR_URL?: string;
  SOURCE_TIMEOUT_MS?: number;
  SOURCE_BREAKER_FAILURES?: number;
  SOURCE_BREAKER_RESET_MS?: number;
  SOURCE_MAX_BODY_BYTES?: number;
  KJERNEJOURNAL_MAX_BODY_BYTES?: number;
  PLL_MAX_BODY_BYTES?: number;
  RESEPTFORMIDLEREN_MAX_BODY_BYTES?: number;
  NPR_MAX_BODY_BYTES?: number;
  KPR_MAX_BODY_BYTES?: number;
  SUMMARY_MAX_AGE_MS?: number;
  SIMULATOR_PORT?: number;
}

// coerceTypes: environment values are strings; "8080" becomes 8080 and "true" becomes true, or fails.
const checkEnv = new Ajv({ coerceTypes: true, allErrors: true }).compile<Env>(ENV_SCHEMA);

/** The variables of the schema that are set (empty counts as unset), checked and typed. */
function readEnv(env: NodeJS.ProcessEnv): Env {
  const raw: Record<string, string> = {};
  for (const name of Object.keys(ENV_SCHEMA.properties)) {
    const v = env[name];
    if (v !== undefined && v !== '') raw[name] = v;
  }
  const given = { ...raw };
  if (!checkEnv(raw)) {
    const problems = (checkEnv.errors ?? []).map((e) => {
      const name = e.instancePath.slice(1);
      return `${name} ${e.message ?? 'is not valid'}; got "${given[name] ?? ''}"`;
    });
    throw new ConfigError(problems.join('; '));
  }
  return raw as Env;
}

/** What to set instead, said wherever development mode is refused. */
const ASK_FOR_DEVELOPMENT = `(for local development set EHDS_MODE=${DEVELOPMENT_MODE}, as \`pnpm start\` does)`;

/**
 * Whether NODE_ENV looks like a production setting in any spelling (`Production`, ` prod`, …): it may only
 * make the configuration stricter, so a near miss counts.
 */
function nodeEnvSaysProduction(nodeEnv: string | undefined): boolean {
  return nodeEnv !== undefined && nodeEnv.trim().toLowerCase().startsWith('prod');
}

function authConfig(env: Env, development: boolean): FacadeConfig['auth'] {
  const mode = env.AUTH_MODE ?? (development ? 'dev' : 'jwks');
  if (mode === 'dev') {
    if (!development) throw new ConfigError(`AUTH_MODE=dev (the local token issuer) is refused outside development mode ${ASK_FOR_DEVELOPMENT}`);
    return { mode, ...DEV_TOKEN_AUDIENCE };
  }
  const need = (name: 'JWKS_URL' | 'JWT_ISSUER' | 'JWT_AUDIENCE') => {
    const v = env[name];
    if (!v) throw new ConfigError(`${name} is required when AUTH_MODE=jwks${development ? '' : `, which is the default outside development mode ${ASK_FOR_DEVELOPMENT}`}`);
    return v;
  };
  return {
    mode,
    jwksUrl: need('JWKS_URL'),
    issuer: need('JWT_ISSUER'),
    audience: need('JWT_AUDIENCE'),
    maxLifetimeSeconds: env.JWT_MAX_LIFETIME_S ?? DEFAULT_JWKS_SETTINGS.maxLifetimeSeconds,
    clockSkewSeconds: env.JWT_CLOCK_SKEW_S ?? DEFAULT_JWKS_SETTINGS.clockSkewSeconds,
    jwksTimeoutMs: env.JWKS_TIMEOUT_MS ?? DEFAULT_JWKS_SETTINGS.jwksTimeoutMs,
  };
}

function sourceSettings(env: Env, development: boolean): SourceSettings {
  const { urls, missing } = resolveSourceUrls(env.SOURCES_BASE_URL, {
    kjernejournal: env.KJERNEJOURNAL_URL, pll: env.PLL_URL, reseptformidleren: env.RESEPTFORMIDLEREN_URL, npr: env.NPR_URL, kpr: env.KPR_URL,
  });
  if (missing) throw new ConfigError(`${missing.join(', ')} (or SOURCES_BASE_URL) must be set when some source URLs are`);
  if (!urls && !development) throw new ConfigError(`SOURCES_BASE_URL (or the five source URLs) is required outside development mode: the in-process simulator serves test data only ${ASK_FOR_DEVELOPMENT}`);
  return {
    ...(urls ? { urls } : {}),
    timeoutMs: env.SOURCE_TIMEOUT_MS ?? DEFAULT_SOURCE_SETTINGS.timeoutMs,
    breakerFailures: env.SOURCE_BREAKER_FAILURES ?? DEFAULT_SOURCE_SETTINGS.breakerFailures,
    breakerResetMs: env.SOURCE_BREAKER_RESET_MS ?? DEFAULT_SOURCE_SETTINGS.breakerResetMs,
    maxBodyBytes: resolveBodyLimits(env.SOURCE_MAX_BODY_BYTES, {
      kjernejournal: env.KJERNEJOURNAL_MAX_BODY_BYTES, pll: env.PLL_MAX_BODY_BYTES, reseptformidleren: env.RESEPTFORMIDLEREN_MAX_BODY_BYTES,
      npr: env.NPR_MAX_BODY_BYTES, kpr: env.KPR_MAX_BODY_BYTES,
    }),
    ...(urls ? {} : { simulatorPort: env.SIMULATOR_PORT ?? DEFAULT_SIMULATOR_PORT }),
  };
}

/**
 * Reads and checks the configuration.
 * @throws {ConfigError} naming the variable when a value cannot be used
 */
export function loadConfig(processEnv: NodeJS.ProcessEnv = process.env): FacadeConfig {
  const env = readEnv(processEnv);
  const development = env.EHDS_MODE === DEVELOPMENT_MODE;
  const productionNodeEnv = nodeEnvSaysProduction(env.NODE_ENV);
  if (development && productionNodeEnv) throw new ConfigError(`EHDS_MODE=${DEVELOPMENT_MODE} cannot be combined with NODE_ENV=${env.NODE_ENV ?? ''}`);
  const allowSyntheticIdentities = env.ALLOW_SYNTHETIC_IDENTITIES ?? development;
  if (productionNodeEnv && allowSyntheticIdentities) throw new ConfigError(`ALLOW_SYNTHETIC_IDENTITIES cannot be true when NODE_ENV=${env.NODE_ENV ?? ''}`);
  return {
    development,
    auth: authConfig(env, development),
    sources: sourceSettings(env, development),
    dataDir: env.DATA_DIR ?? './data/pglite',
    allowSyntheticIdentities,
    foreignPharmacy: {
      enh: env.FOREIGN_PHARMACY_ENH ?? DEFAULT_FOREIGN_PHARMACY.enh,
      her: env.FOREIGN_PHARMACY_HER ?? DEFAULT_FOREIGN_PHARMACY.her,
      name: env.FOREIGN_PHARMACY_NAME ?? DEFAULT_FOREIGN_PHARMACY.name,
    },
    port: env.PORT ?? 8080,
    // Development mode serves test tokens to whoever can reach it: loopback only, unless HOST says otherwise.
    host: env.HOST ?? (development ? '127.0.0.1' : '0.0.0.0'),
    shutdownGraceMs: env.SHUTDOWN_GRACE_MS ?? 10000,
    rateLimitPerMinute: env.RATE_LIMIT_PER_MINUTE ?? 1200,
    summaryMaxAgeMs: env.SUMMARY_MAX_AGE_MS ?? 300_000,
    ...(env.ERESEPT_XSD_DIR ? { ereseptXsdDir: env.ERESEPT_XSD_DIR } : {}),
    ...(env.DATABASE_URL ? { databaseUrl: env.DATABASE_URL } : {}),
  };
}
