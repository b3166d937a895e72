import { ConfigError, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('refuses synthetic identities in production, and defaults them off there', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', ALLOW_SYNTHETIC_IDENTITIES: 'true', JWKS_URL: 'https://x/jwks', JWT_ISSUER: 'i', JWT_AUDIENCE: 'a' })).toThrow(/ALLOW_SYNTHETIC_IDENTITIES/);
    const production = { NODE_ENV: 'production', JWKS_URL: 'https://helseid.example/jwks', JWT_ISSUER: 'i', JWT_AUDIENCE: 'a' };
    expect(loadConfig(production).allowSyntheticIdentities).toBe(false);
  });

  it('runs the development issuer by default, never in production, and needs JWKS settings otherwise', () => {
    expect(loadConfig({}).auth.mode).toBe('dev');
    expect(() => loadConfig({ NODE_ENV: 'production', AUTH_MODE: 'dev', ALLOW_SYNTHETIC_IDENTITIES: 'false' })).toThrow(/AUTH_MODE=dev/);
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/JWKS_URL is required/);
    expect(loadConfig({ NODE_ENV: 'production', JWKS_URL: 'https://helseid.example/jwks', JWT_ISSUER: 'https://helseid.example', JWT_AUDIENCE: 'ehds-no' }).auth).toEqual({
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
});
