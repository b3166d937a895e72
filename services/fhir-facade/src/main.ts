/**
 * Entry point: `node services/fhir-facade/dist/main.js` (what `pnpm start` runs).
 */
import { readFileSync } from 'node:fs';
import { EreseptXsdValidator } from '@ehds-no/core';
import { createApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { onShutdownSignal, startServer } from './server.js';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

async function loadXsd(dir: string): Promise<EreseptXsdValidator> {
  try {
    return await EreseptXsdValidator.load(dir);
  } catch (e) {
    throw new ConfigError(`ERESEPT_XSD_DIR: ${(e as Error).message}`);
  }
}

try {
  const config = loadConfig();
  const ereseptXsd = config.ereseptXsdDir ? await loadXsd(config.ereseptXsdDir) : undefined;
  const running = await startServer(createApp({ version, ereseptXsd }), config.port, config.host, config.shutdownGraceMs);
  process.stdout.write(`e-resept XSD validation: ${ereseptXsd ? 'on (ERESEPT_XSD_DIR)' : 'off (set ERESEPT_XSD_DIR to enable)'}\n`);
  process.stdout.write(`ehds-no FHIR facade ${version} listening on http://${config.host}:${running.port}/fhir (metadata: /fhir/metadata)\n`);
  onShutdownSignal(process, running, (code) => {
    process.stdout.write('ehds-no FHIR facade stopped\n');
    process.exit(code);
  });
} catch (e) {
  if (e instanceof ConfigError) {
    console.error(`configuration error: ${e.message}`);
    process.exit(2);
  }
  throw e;
}
