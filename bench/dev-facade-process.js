/**
 * The facade as a separate process for the HTTP benches: the built `main.js` in development mode (local token
 * issuer, in-process sources simulator, synthetic identities), an embedded database in a temporary folder,
 * 127.0.0.1 only, run as `pnpm start` runs it. Waits until `/readyz` answers and mints an all-scope token.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
/** Variables that would point the process away from its own embedded database and simulator. */
const EXTERNAL = ['DATABASE_URL', 'SOURCES_BASE_URL', 'KJERNEJOURNAL_URL', 'PLL_URL', 'RESEPTFORMIDLEREN_URL', 'NPR_URL', 'KPR_URL'];

/**
 * Starts the facade and waits for it.
 * @param {{ portBase: number, env?: Record<string, string> }} options a port is drawn from portBase … portBase + 299
 * @returns {Promise<{ base: string, token: string, stop: () => Promise<void> }>}
 * @example const facade = await startDevFacade({ portBase: 18600 }); try { … } finally { await facade.stop(); }
 */
export async function startDevFacade({ portBase, env: extra = {} }) {
  const port = portBase + Math.floor(Math.random() * 300);
  const base = `http://127.0.0.1:${port}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'ehds-no-bench-'));
  const env = {
    ...process.env, EHDS_MODE: 'development', PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir,
    RATE_LIMIT_PER_MINUTE: '1000000', SIMULATOR_PORT: '0', ...extra,
  };
  for (const name of EXTERNAL) delete env[name];
  // As `pnpm start` runs it (docs/PERFORMANCE.md: V8's allocation-site pretenuring misfires on this workload).
  const server = spawn(process.execPath, ['--no-allocation-site-pretenuring', join(root, 'services/fhir-facade/dist/main.js')], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  const stop = async () => {
    server.kill('SIGTERM');
    await new Promise((r) => (server.exitCode !== null ? r() : server.once('exit', r)));
    rmSync(dataDir, { recursive: true, force: true });
  };
  let ready = false;
  for (let i = 0; i < 150 && !ready; i++) {
    await new Promise((r) => setTimeout(r, 200));
    ready = await fetch(`${base}/readyz`).then((r) => r.ok, () => false);
  }
  if (!ready) {
    await stop();
    throw new Error('the facade did not start');
  }
  const token = (await (await fetch(`${base}/auth/dev-token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).json()).access_token;
  return { base, token, stop };
}
