import { ConfigError, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('has embedded defaults', () => {
    expect(loadConfig({})).toEqual({ port: 8080, host: '0.0.0.0', shutdownGraceMs: 10000 });
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
