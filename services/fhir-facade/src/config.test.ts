import { ConfigError, DEFAULT_JWKS_SETTINGS, loadConfig } from './config.js';
import { DEFAULT_MAX_BODY_BYTES, resolveBodyLimits } from './sources/source-config.js';

/** Development mode, asked for by name as `pnpm start` does. */
const DEV = { EHDS_MODE: 'development' } as const;
/** A complete configuration outside development mode. */
const HELSEID = { JWKS_URL: 'https://helseid.example/jwks', JWT_ISSUER: 'https://helseid.example', JWT_AUDIENCE: 'ehds-no', SOURCES_BASE_URL: 'https://sources.example' } as const;

describe('loadConfig', () => {
  it('refuses synthetic identities in production, and defaults them off there', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', ALLOW_SYNTHETIC_IDENTITIES: 'true', JWKS_URL: 'https://x/jwks', JWT_ISSUER: 'i', JWT_AUDIENCE: 'a' })).toThrow(/ALLOW_SYNTHETIC_IDENTITIES/);
    const production = { NODE_ENV: 'production', JWKS_URL: 'https://helseid.example/jwks', JWT_ISSUER: 'i', JWT_AUDIENCE: 'a', SOURCES_BASE_URL: 'https://sources.example' };
    expect(loadConfig(production).allowSyntheticIdentities).toBe(false);
  });

  it('runs the development issuer in development mode only, and needs JWKS settings otherwise', () => {
    expect(loadConfig(DEV).auth.mode).toBe('dev');
    expect(() => loadConfig({ NODE_ENV: 'production', AUTH_MODE: 'dev', ALLOW_SYNTHETIC_IDENTITIES: 'false' })).toThrow(/AUTH_MODE=dev/);
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/JWKS_URL is required/);
    expect(loadConfig({ NODE_ENV: 'production', ...HELSEID }).auth).toEqual({
      mode: 'jwks', jwksUrl: 'https://helseid.example/jwks', issuer: 'https://helseid.example', audience: 'ehds-no', ...DEFAULT_JWKS_SETTINGS,
    });
  });

  describe('development mode', () => {
    it('is refused when nothing asks for it: the service does not start, and the message says what to set', () => {
      expect(() => loadConfig({})).toThrow(ConfigError);
      expect(() => loadConfig({})).toThrow(/JWKS_URL is required.*EHDS_MODE=development/);
      expect(() => loadConfig({ JWKS_URL: 'https://x/jwks', JWT_ISSUER: 'i', JWT_AUDIENCE: 'a' })).toThrow(/SOURCES_BASE_URL.*outside development mode.*EHDS_MODE=development/);
    });

    // Each of these started the open development issuer before (only NODE_ENV === 'production' exactly refused it).
    it.each([
      { NODE_ENV: 'Production' }, { NODE_ENV: 'PRODUCTION' }, { NODE_ENV: 'production ' }, { NODE_ENV: 'prod' }, { NODE_ENV: 'development' },
      { EHDS_MODE: 'production' }, { AUTH_MODE: 'dev' },
    ])('is not run with %j: no development issuer, no simulator', (env) => {
      expect(() => loadConfig(env)).toThrow(ConfigError);
      expect(() => loadConfig({ ...env, AUTH_MODE: 'dev', ...HELSEID })).toThrow(/AUTH_MODE=dev.*refused/);
      expect(() => loadConfig({ ...env, AUTH_MODE: 'jwks', JWKS_URL: 'https://x/jwks', JWT_ISSUER: 'i', JWT_AUDIENCE: 'a' })).toThrow(/SOURCES_BASE_URL/);
      const config = loadConfig({ ...env, AUTH_MODE: 'jwks', ...HELSEID });
      expect(config).toMatchObject({ development: false, host: '0.0.0.0', allowSyntheticIdentities: false, auth: { mode: 'jwks' } });
      expect(config.sources.urls).toBeDefined();
    });

    it.each(['Development', 'development ', ' development', 'dev', 'DEVELOPMENT', 'true'])('is asked for by the exact value only: EHDS_MODE=%j is a configuration error', (value) => {
      expect(() => loadConfig({ EHDS_MODE: value })).toThrow(/EHDS_MODE/);
    });

    it('with EHDS_MODE=development: the development issuer, the simulator, synthetic identities, and loopback unless HOST says otherwise', () => {
      expect(loadConfig(DEV)).toMatchObject({ development: true, host: '127.0.0.1', allowSyntheticIdentities: true, auth: { mode: 'dev' }, sources: { simulatorPort: 8090 } });
      expect(loadConfig({ ...DEV, HOST: '0.0.0.0' }).host).toBe('0.0.0.0');
    });

    it('NODE_ENV only ever makes it stricter: a production-looking NODE_ENV refuses development mode and synthetic identities', () => {
      for (const nodeEnv of ['production', 'Production', ' prod']) {
        expect(() => loadConfig({ ...DEV, NODE_ENV: nodeEnv })).toThrow(/EHDS_MODE=development cannot be combined with NODE_ENV/);
        expect(() => loadConfig({ ...HELSEID, NODE_ENV: nodeEnv, ALLOW_SYNTHETIC_IDENTITIES: 'true' })).toThrow(/ALLOW_SYNTHETIC_IDENTITIES/);
      }
      expect(loadConfig({ ...DEV, NODE_ENV: 'development' }).development).toBe(true);
    });

    it('allows synthetic identities outside development mode only when set explicitly (HelseID test environment)', () => {
      expect(loadConfig(HELSEID).allowSyntheticIdentities).toBe(false);
      expect(loadConfig({ ...HELSEID, ALLOW_SYNTHETIC_IDENTITIES: 'true' }).allowSyntheticIdentities).toBe(true);
      expect(loadConfig({ ...DEV, ALLOW_SYNTHETIC_IDENTITIES: 'false' }).allowSyntheticIdentities).toBe(false);
    });
  });

  it('reads the token lifetime, clock skew and JWKS timeout, refusing values out of range by name', () => {
    expect(loadConfig({ ...HELSEID, JWT_MAX_LIFETIME_S: '600', JWT_CLOCK_SKEW_S: '5', JWKS_TIMEOUT_MS: '500' }).auth).toMatchObject({ maxLifetimeSeconds: 600, clockSkewSeconds: 5, jwksTimeoutMs: 500 });
    expect(() => loadConfig({ ...HELSEID, JWT_MAX_LIFETIME_S: '315360000' })).toThrow(/JWT_MAX_LIFETIME_S/);
    expect(() => loadConfig({ ...HELSEID, JWT_CLOCK_SKEW_S: '-1' })).toThrow(/JWT_CLOCK_SKEW_S/);
    expect(() => loadConfig({ ...HELSEID, JWKS_TIMEOUT_MS: '0' })).toThrow(/JWKS_TIMEOUT_MS/);
  });

  it('checks the foreign pharmacy placeholder numbers', () => {
    expect(() => loadConfig({ ...DEV, FOREIGN_PHARMACY_ENH: '12ab' })).toThrow(/FOREIGN_PHARMACY_ENH/);
  });

  it('has embedded defaults', () => {
    expect(loadConfig(DEV)).toMatchObject({ port: 8080, host: '127.0.0.1', shutdownGraceMs: 10000, dataDir: './data/pglite', allowSyntheticIdentities: true });
    expect(loadConfig(HELSEID)).toMatchObject({ port: 8080, host: '0.0.0.0' });
    expect(loadConfig({ ...DEV, ERESEPT_XSD_DIR: '/x' }).ereseptXsdDir).toBe('/x');
  });

  it('reads PORT', () => {
    expect(loadConfig({ ...DEV, PORT: '9000' }).port).toBe(9000);
  });

  it.each(['abc', '-1', '70000', '80.5'])('refuses PORT=%s naming the variable', (value) => {
    expect(() => loadConfig({ ...DEV, PORT: value })).toThrow(ConfigError);
    expect(() => loadConfig({ ...DEV, PORT: value })).toThrow(/PORT/);
  });

  it('reads SUMMARY_MAX_AGE_MS (default five minutes) and refuses a negative one', () => {
    expect(loadConfig(DEV).summaryMaxAgeMs).toBe(300000);
    expect(loadConfig({ ...DEV, SUMMARY_MAX_AGE_MS: '0' }).summaryMaxAgeMs).toBe(0);
    expect(() => loadConfig({ ...DEV, SUMMARY_MAX_AGE_MS: '-5' })).toThrow(/SUMMARY_MAX_AGE_MS/);
  });

  describe('national sources', () => {
    it('run the in-process simulator when no URL is set, with the resilience defaults', () => {
      expect(loadConfig(DEV).sources).toEqual({ timeoutMs: 2000, breakerFailures: 5, breakerResetMs: 30000, maxBodyBytes: resolveBodyLimits(DEFAULT_MAX_BODY_BYTES), simulatorPort: 8090 });
      expect(loadConfig({ ...DEV, SIMULATOR_PORT: '0' }).sources.simulatorPort).toBe(0);
    });

    it('put each source under SOURCES_BASE_URL, with per-source overrides', () => {
      expect(loadConfig({ ...DEV, SOURCES_BASE_URL: 'https://sources.example/', PLL_URL: 'https://sfm.example/api' }).sources.urls).toEqual({
        kjernejournal: 'https://sources.example/kjernejournal',
        pll: 'https://sfm.example/api',
        reseptformidleren: 'https://sources.example/reseptformidleren',
        npr: 'https://sources.example/npr',
        kpr: 'https://sources.example/kpr',
      });
    });

    it('need all five URLs when some are set without a base, naming the missing ones', () => {
      expect(() => loadConfig({ ...DEV, KJERNEJOURNAL_URL: 'https://kj.example' })).toThrow(/PLL_URL, RESEPTFORMIDLEREN_URL, NPR_URL, KPR_URL/);
    });

    it('are required outside development mode (the simulator serves test data only)', () => {
      expect(() => loadConfig({ NODE_ENV: 'production', JWKS_URL: 'https://x/jwks', JWT_ISSUER: 'i', JWT_AUDIENCE: 'a' })).toThrow(/SOURCES_BASE_URL/);
    });

    it('read the timeout and breaker settings, refusing bad values by name', () => {
      expect(loadConfig({ ...DEV, SOURCE_TIMEOUT_MS: '500', SOURCE_BREAKER_FAILURES: '3', SOURCE_BREAKER_RESET_MS: '1000' }).sources).toMatchObject({ timeoutMs: 500, breakerFailures: 3, breakerResetMs: 1000 });
      expect(() => loadConfig({ ...DEV, SOURCE_TIMEOUT_MS: '0' })).toThrow(/SOURCE_TIMEOUT_MS/);
      expect(() => loadConfig({ ...DEV, SOURCE_BREAKER_FAILURES: 'many' })).toThrow(/SOURCE_BREAKER_FAILURES/);
      expect(() => loadConfig({ ...DEV, NPR_URL: 'ftp://npr.example' })).toThrow(/NPR_URL/);
    });
  });
});

describe('source body limits (SOURCE_MAX_BODY_BYTES, <SOURCE>_MAX_BODY_BYTES)', () => {
  it('default to a few MiB for every source', () => {
    expect(DEFAULT_MAX_BODY_BYTES).toBe(4 * 1024 * 1024);
    expect(loadConfig(DEV).sources.maxBodyBytes).toEqual({ kjernejournal: 4194304, pll: 4194304, reseptformidleren: 4194304, npr: 4194304, kpr: 4194304 });
  });

  it('take the common value, and per-source overrides above it', () => {
    expect(loadConfig({ ...DEV, SOURCE_MAX_BODY_BYTES: '1000000', PLL_MAX_BODY_BYTES: '8000000' }).sources.maxBodyBytes).toEqual({
      kjernejournal: 1000000, pll: 8000000, reseptformidleren: 1000000, npr: 1000000, kpr: 1000000,
    });
    expect(loadConfig({ ...DEV, KPR_MAX_BODY_BYTES: '2048' }).sources.maxBodyBytes).toMatchObject({ kpr: 2048, npr: DEFAULT_MAX_BODY_BYTES });
  });

  it.each(['SOURCE_MAX_BODY_BYTES', 'KJERNEJOURNAL_MAX_BODY_BYTES', 'PLL_MAX_BODY_BYTES', 'RESEPTFORMIDLEREN_MAX_BODY_BYTES', 'NPR_MAX_BODY_BYTES', 'KPR_MAX_BODY_BYTES'])('refuse a bad %s by name', (name) => {
    for (const bad of ['0', '100', '4MB', '300000000']) expect(() => loadConfig({ ...DEV, [name]: bad })).toThrow(new RegExp(name));
  });
});
