/**
 * Configuration from environment variables, checked at start-up: a bad value stops the service with a
 * message that names the variable.
 */

import { DEFAULT_FOREIGN_PHARMACY } from '@ehds-no/core';
import { Ajv } from 'ajv';
import { DEFAULT_SOURCE_SETTINGS, resolveSourceUrls, type SourceSettings } from './sources/source-config.js';

/** The facade's settings. */
export interface FacadeConfig {
  /** TCP port (`PORT`, default 8080). */
  readonly port: number;
  /** Interface to listen on (`HOST`, default 0.0.0.0). */
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
   * Accept synthetic test person numbers (`ALLOW_SYNTHETIC_IDENTITIES`, default true, except that it
   * cannot be true when `NODE_ENV=production`).
   */
  readonly allowSyntheticIdentities: boolean;
  /** National placeholder identity for foreign pharmacies (`FOREIGN_PHARMACY_ENH`, `_HER`, `_NAME`). */
  readonly foreignPharmacy: { readonly enh: string; readonly her: string; readonly name: string };
  /**
   * How tokens are verified (`AUTH_MODE`): `dev` runs a local issuer and `POST /auth/dev-token` (the
   * default, refused with `NODE_ENV=production`); `jwks` verifies against `JWKS_URL` with `JWT_ISSUER`
   * and `JWT_AUDIENCE` (HelseID).
   */
  readonly auth:
    | { readonly mode: 'dev'; readonly issuer: string; readonly audience: string }
    | { readonly mode: 'jwks'; readonly jwksUrl: string; readonly issuer: string; readonly audience: string };
  /**
   * The national sources (`SOURCES_BASE_URL` or `KJERNEJOURNAL_URL`, `PLL_URL`, `RESEPTFORMIDLEREN_URL`,
   * `NPR_URL`, `KPR_URL`; `SOURCE_TIMEOUT_MS`, `SOURCE_BREAKER_FAILURES`, `SOURCE_BREAKER_RESET_MS`).
   * Without URLs the simulator serves test-data/patients in-process, which `NODE_ENV=production` refuses.
   */
  readonly sources: SourceSettings;
  /**
   * `$summary` serves the stored summary without asking the sources while they were checked within this
   * many milliseconds (`SUMMARY_MAX_AGE_MS`, default 300000; 0 = always ask). Change notifications keep
   * it current in between.
   */
  readonly summaryMaxAgeMs: number;
}

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
    SOURCES_BASE_URL: { type: 'string', pattern: '^https?://' },
    KJERNEJOURNAL_URL: { type: 'string', pattern: '^https?://' },
    PLL_URL: { type: 'string', pattern: '^https?://' },
    RESEPTFORMIDLEREN_URL: { type: 'string', pattern: '^https?://' },
    NPR_URL: { type: 'string', pattern: '^https?://' },
    KPR_URL: { type: 'string', pattern: '^https?://' },
    SOURCE_TIMEOUT_MS: { type: 'integer', minimum: 1, maximum: 600000 },
    SOURCE_BREAKER_FAILURES: { type: 'integer', minimum: 1, maximum: 1000 },
    SOURCE_BREAKER_RESET_MS: { type: 'integer', minimum: 0, maximum: 3600000 },
    SUMMARY_MAX_AGE_MS: { type: 'integer', minimum: 0, maximum: 86400000 },
    SIMULATOR_PORT: { type: 'integer', minimum: 0, maximum: 65535 },
  },
} as const;

interface Env {
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
  SOURCES_BASE_URL?: string;
  KJERNEJOURNAL_URL?: string;
  PLL_URL?: string;
  RESEPTFORMIDLEREN_URL?: string;
  NPR_URL?: string;
  KPR_URL?: string;
  SOURCE_TIMEOUT_MS?: number;
  SOURCE_BREAKER_FAILURES?: number;
  SOURCE_BREAKER_RESET_MS?: number;
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

function authConfig(env: Env, production: boolean): FacadeConfig['auth'] {
  const mode = env.AUTH_MODE ?? (production ? 'jwks' : 'dev');
  if (mode === 'dev') {
    if (production) throw new ConfigError('AUTH_MODE=dev (the local token issuer) cannot be used when NODE_ENV=production');
    return { mode, ...DEV_TOKEN_AUDIENCE };
  }
  const need = (name: 'JWKS_URL' | 'JWT_ISSUER' | 'JWT_AUDIENCE') => {
    const v = env[name];
    if (!v) throw new ConfigError(`${name} is required when AUTH_MODE=jwks`);
    return v;
  };
  return { mode, jwksUrl: need('JWKS_URL'), issuer: need('JWT_ISSUER'), audience: need('JWT_AUDIENCE') };
}

function sourceSettings(env: Env, production: boolean): SourceSettings {
  const { urls, missing } = resolveSourceUrls(env.SOURCES_BASE_URL, {
    kjernejournal: env.KJERNEJOURNAL_URL, pll: env.PLL_URL, reseptformidleren: env.RESEPTFORMIDLEREN_URL, npr: env.NPR_URL, kpr: env.KPR_URL,
  });
  if (missing) throw new ConfigError(`${missing.join(', ')} (or SOURCES_BASE_URL) must be set when some source URLs are`);
  if (!urls && production) throw new ConfigError('SOURCES_BASE_URL (or the five source URLs) is required when NODE_ENV=production: the simulator serves test data only');
  return {
    ...(urls ? { urls } : {}),
    timeoutMs: env.SOURCE_TIMEOUT_MS ?? DEFAULT_SOURCE_SETTINGS.timeoutMs,
    breakerFailures: env.SOURCE_BREAKER_FAILURES ?? DEFAULT_SOURCE_SETTINGS.breakerFailures,
    breakerResetMs: env.SOURCE_BREAKER_RESET_MS ?? DEFAULT_SOURCE_SETTINGS.breakerResetMs,
    ...(urls ? {} : { simulatorPort: env.SIMULATOR_PORT ?? DEFAULT_SIMULATOR_PORT }),
  };
}

/**
 * Reads and checks the configuration.
 * @throws {ConfigError} naming the variable when a value cannot be used
 */
export function loadConfig(processEnv: NodeJS.ProcessEnv = process.env): FacadeConfig {
  const env = readEnv(processEnv);
  const production = env.NODE_ENV === 'production';
  const allowSyntheticIdentities = env.ALLOW_SYNTHETIC_IDENTITIES ?? !production;
  if (production && allowSyntheticIdentities) throw new ConfigError('ALLOW_SYNTHETIC_IDENTITIES cannot be true when NODE_ENV=production');
  return {
    auth: authConfig(env, production),
    sources: sourceSettings(env, production),
    dataDir: env.DATA_DIR ?? './data/pglite',
    allowSyntheticIdentities,
    foreignPharmacy: {
      enh: env.FOREIGN_PHARMACY_ENH ?? DEFAULT_FOREIGN_PHARMACY.enh,
      her: env.FOREIGN_PHARMACY_HER ?? DEFAULT_FOREIGN_PHARMACY.her,
      name: env.FOREIGN_PHARMACY_NAME ?? DEFAULT_FOREIGN_PHARMACY.name,
    },
    port: env.PORT ?? 8080,
    host: env.HOST ?? '0.0.0.0',
    shutdownGraceMs: env.SHUTDOWN_GRACE_MS ?? 10000,
    rateLimitPerMinute: env.RATE_LIMIT_PER_MINUTE ?? 1200,
    summaryMaxAgeMs: env.SUMMARY_MAX_AGE_MS ?? 300_000,
    ...(env.ERESEPT_XSD_DIR ? { ereseptXsdDir: env.ERESEPT_XSD_DIR } : {}),
    ...(env.DATABASE_URL ? { databaseUrl: env.DATABASE_URL } : {}),
  };
}
