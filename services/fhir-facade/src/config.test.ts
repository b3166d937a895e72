import { ConfigError, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('refuses synthetic identities in production, and defaults them off there', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', ALLOW_SYNTHETIC_IDENTITIES: 'true', JWKS_URL: 'https://x/jwks', JWT_ISSUER: 'i', JWT_AUDIENCE: 'a' })).toThrow(/ALLOW_SYNTHETIC_IDENTITIES/);
    const production = { NODE_ENV: 'production', JWKS_URL: 'https://helseid.example/jwks', JWT_ISSUER: 'i', JWT_AUDIENCE: 'a', SOURCES_BASE_URL: 'https://sources.example' };
    expect(loadConfig(production).allowSyntheticIdentities).toBe(false);
  });

  it('runs the development issuer by default, never in production, and needs JWKS settings otherwise', () => {
    expect(loadConfig({}).auth.mode).toBe('dev');
    expect(() => loadConfig({ NODE_ENV: 'production', AUTH_MODE: 'dev', ALLOW_SYNTHETIC_IDENTITIES: 'false' })).toThrow(/AUTH_MODE=dev/);
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/JWKS_URL is required/);
    expect(loadConfig({ NODE_ENV: 'production', JWKS_URL: 'https://helseid.example/jwks', JWT_ISSUER: 'https://helseid.example', JWT_AUDIENCE: 'ehds-no', SOURCES_BASE_URL: 'https://sources.example' }).auth).toEqual({
      mode: 'jwks', jwksUrl: 'https://helseid.example/jwks', issuer: 'https://helseid.example', audience: 'ehds-no',
    });
  });

  it('checks the foreign pharmacy placeholder numbers', () => {
    expect(() => loadConfig({ FOREIGN_PHARMACY_ENH: '12ab' })).toThrow(/FOREIGN_PHARMACY_ENH/);
  });

  it('has embedded defaults', () => {
    expect(loadConfig({})).toMatchObject({ port: 8080, host: '0.0.0.0', shutdownGraceMs: 10000, dataDir: './data/pglite', allowSyntheticIdentities: true });
    expect(loadConfig({ ERESEPT_XSD_DIR: '/x' }).ereseptXsdDir).toBe('/x');
  });

  it('reads PORT', () => {
    expect(loadConfig({ PORT: '9000' }).port).toBe(9000);
  });

  it.each(['abc', '-1', '70000', '80.5'])('refuses PORT=%s naming the variable', (value) => {
    expect(() => loadConfig({ PORT: value })).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: value })).toThrow(/PORT/);
  });

  it('reads SUMMARY_MAX_AGE_MS (default five minutes) and refuses a negative one', () => {
    expect(loadConfig({}).summaryMaxAgeMs).toBe(300000);
    expect(loadConfig({ SUMMARY_MAX_AGE_MS: '0' }).summaryMaxAgeMs).toBe(0);
    expect(() => loadConfig({ SUMMARY_MAX_AGE_MS: '-5' })).toThrow(/SUMMARY_MAX_AGE_MS/);
  });

  describe('national sources', () => {
    it('run the in-process simulator when no URL is set, with the resilience defaults', () => {
      expect(loadConfig({}).sources).toEqual({ timeoutMs: 2000, breakerFailures: 5, breakerResetMs: 30000, simulatorPort: 8090 });
      expect(loadConfig({ SIMULATOR_PORT: '0' }).sources.simulatorPort).toBe(0);
    });

    it('put each source under SOURCES_BASE_URL, with per-source overrides', () => {
      expect(loadConfig({ SOURCES_BASE_URL: 'https://sources.example/', PLL_URL: 'https://sfm.example/api' }).sources.urls).toEqual({
        kjernejournal: 'https://sources.example/kjernejournal',
        pll: 'https://sfm.example/api',
        reseptformidleren: 'https://sources.example/reseptformidleren',
        npr: 'https://sources.example/npr',
        kpr: 'https://sources.example/kpr',
      });
    });

    it('need all five URLs when some are set without a base, naming the missing ones', () => {
      expect(() => loadConfig({ KJERNEJOURNAL_URL: 'https://kj.example' })).toThrow(/PLL_URL, RESEPTFORMIDLEREN_URL, NPR_URL, KPR_URL/);
    });

    it('are required in production (the simulator serves test data only)', () => {
      expect(() => loadConfig({ NODE_ENV: 'production', JWKS_URL: 'https://x/jwks', JWT_ISSUER: 'i', JWT_AUDIENCE: 'a' })).toThrow(/SOURCES_BASE_URL/);
    });

    it('read the timeout and breaker settings, refusing bad values by name', () => {
      expect(loadConfig({ SOURCE_TIMEOUT_MS: '500', SOURCE_BREAKER_FAILURES: '3', SOURCE_BREAKER_RESET_MS: '1000' }).sources).toMatchObject({ timeoutMs: 500, breakerFailures: 3, breakerResetMs: 1000 });
      expect(() => loadConfig({ SOURCE_TIMEOUT_MS: '0' })).toThrow(/SOURCE_TIMEOUT_MS/);
      expect(() => loadConfig({ SOURCE_BREAKER_FAILURES: 'many' })).toThrow(/SOURCE_BREAKER_FAILURES/);
      expect(() => loadConfig({ NPR_URL: 'ftp://npr.example' })).toThrow(/NPR_URL/);
    });
  });
});
