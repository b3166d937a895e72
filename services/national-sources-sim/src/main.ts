/**
 * Runs the national-sources simulator on its own (demos, manual tests of the facade against "remote"
 * sources): `PORT` (default 4000), `HOST` (default 127.0.0.1), `PATIENTS_DIR` (default
 * test-data/patients) and `NOTIFY_ENDPOINTS` (comma-separated URLs subscribed from the start).
 * Start the facade with `SOURCES_BASE_URL=http://127.0.0.1:4000` to use it.
 */
// The loader lives in core's test-support (not in core's build yet), hence the relative import and this
// file's exclusion from the package build (tsconfig.json); see docs/sources.md.
import { loadPatientFolders, PATIENTS_ROOT } from '@ehds-no/core';
import { startSimulator } from './simulator.js';

/** Default port of the standalone simulator. */
const DEFAULT_PORT = 4000;

function port(value: string | undefined): number {
  if (value === undefined || value === '') return DEFAULT_PORT;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    console.error(`PORT must be a port number (0-65535); got "${value}"`);
    process.exit(2);
  }
  return n;
}

const patients = loadPatientFolders(process.env.PATIENTS_DIR || PATIENTS_ROOT);
const running = await startSimulator({
  patients,
  port: port(process.env.PORT),
  host: process.env.HOST || '127.0.0.1',
  notifyEndpoints: (process.env.NOTIFY_ENDPOINTS ?? '').split(',').map((s) => s.trim()).filter(Boolean),
});
// Counts and URLs only: the test patients' numbers stay out of the output.
process.stdout.write(`national-sources simulator: ${patients.length} test patients at ${running.url} (/kjernejournal, /pll, /reseptformidleren, /npr, /kpr; control: /_sim)\n`);

const stop = () => {
  void running.close().then(() => process.exit(0));
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
