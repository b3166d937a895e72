/**
 * Configuration from environment variables, checked at start-up: a bad value stops the service with a
 * message that names the variable.
 */

import { DEFAULT_FOREIGN_PHARMACY } from '@ehds-no/core';

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
}

/** Issuer and audience of the development issuer. */
export const DEV_TOKEN_AUDIENCE = { issuer: 'urn:ehds-no:dev-issuer', audience: 'ehds-no' } as const;

/** A configuration value that cannot be used. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

function authConfig(env: NodeJS.ProcessEnv, production: boolean): FacadeConfig['auth'] {
  const mode = env.AUTH_MODE || (production ? 'jwks' : 'dev');
  if (mode === 'dev') {
    if (production) throw new ConfigError('AUTH_MODE=dev (the local token issuer) cannot be used when NODE_ENV=production');
    return { mode, ...DEV_TOKEN_AUDIENCE };
  }
  if (mode !== 'jwks') throw new ConfigError(`AUTH_MODE must be dev or jwks; got "${mode}"`);
  const need = (name: string) => {
    const v = env[name];
    if (!v) throw new ConfigError(`${name} is required when AUTH_MODE=jwks`);
    return v;
  };
  const jwksUrl = need('JWKS_URL');
  if (!/^https?:\/\//.test(jwksUrl)) throw new ConfigError(`JWKS_URL must be an http(s) URL; got "${jwksUrl}"`);
  return { mode, jwksUrl, issuer: need('JWT_ISSUER'), audience: need('JWT_AUDIENCE') };
}

function flag(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (raw !== 'true' && raw !== 'false') throw new ConfigError(`${name} must be true or false; got "${raw}"`);
  return raw === 'true';
}

function digits(env: NodeJS.ProcessEnv, name: string, fallback: string): string {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d{1,12}$/.test(raw)) throw new ConfigError(`${name} must be digits; got "${raw}"`);
  return raw;
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max}; got "${raw}"`);
  }
  return Number(raw);
}

/**
 * Reads the configuration.
 * @throws ConfigError naming the variable with a bad value
 * @example loadConfig({ PORT: '9000' }).port // 9000
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): FacadeConfig {
  const production = env.NODE_ENV === 'production';
  const allowSyntheticIdentities = flag(env, 'ALLOW_SYNTHETIC_IDENTITIES', !production);
  if (production && allowSyntheticIdentities) throw new ConfigError('ALLOW_SYNTHETIC_IDENTITIES cannot be true when NODE_ENV=production');
  return {
    auth: authConfig(env, production),
    dataDir: env.DATA_DIR || './data/pglite',
    allowSyntheticIdentities,
    foreignPharmacy: {
      enh: digits(env, 'FOREIGN_PHARMACY_ENH', DEFAULT_FOREIGN_PHARMACY.enh),
      her: digits(env, 'FOREIGN_PHARMACY_HER', DEFAULT_FOREIGN_PHARMACY.her),
      name: env.FOREIGN_PHARMACY_NAME || DEFAULT_FOREIGN_PHARMACY.name,
    },
    port: integer(env, 'PORT', 8080, 0, 65535),
    host: env.HOST || '0.0.0.0',
    shutdownGraceMs: integer(env, 'SHUTDOWN_GRACE_MS', 10000, 0, 600000),
    rateLimitPerMinute: integer(env, 'RATE_LIMIT_PER_MINUTE', 1200, 1, 1_000_000),
    ...(env.ERESEPT_XSD_DIR ? { ereseptXsdDir: env.ERESEPT_XSD_DIR } : {}),
  };
}
