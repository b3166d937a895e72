import { ConfigError, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('refuses synthetic identities in production, and defaults them off there', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', ALLOW_SYNTHETIC_IDENTITIES: 'true' })).toThrow(/ALLOW_SYNTHETIC_IDENTITIES/);
    expect(loadConfig({ NODE_ENV: 'production' }).allowSyntheticIdentities).toBe(false);
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
