/**
 * Configuration from environment variables, checked at start-up: a bad value stops the service with a
 * message that names the variable.
 */

/** The facade's settings. */
export interface FacadeConfig {
  /** TCP port (`PORT`, default 8080). */
  readonly port: number;
  /** Interface to listen on (`HOST`, default 0.0.0.0). */
  readonly host: string;
  /** How long shutdown waits for in-flight requests (`SHUTDOWN_GRACE_MS`, default 10000). */
  readonly shutdownGraceMs: number;
  /**
   * Folder with the official e-resept XSDs (`ERESEPT_XSD_DIR`, official layout: `eresept/`,
   * `felleskomponenter/`). When set, e-resept messages are also validated against them.
   */
  readonly ereseptXsdDir?: string;
}

/** A configuration value that cannot be used. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
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
  return {
    port: integer(env, 'PORT', 8080, 0, 65535),
    host: env.HOST || '0.0.0.0',
    shutdownGraceMs: integer(env, 'SHUTDOWN_GRACE_MS', 10000, 0, 600000),
    ...(env.ERESEPT_XSD_DIR ? { ereseptXsdDir: env.ERESEPT_XSD_DIR } : {}),
  };
}
