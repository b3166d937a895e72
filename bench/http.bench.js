/**
 * HTTP load on loopback: autocannon at a fixed request rate against `POST /fhir/$convert-m1-to-eu` of a
 * facade started as a separate process (embedded database in a temporary folder, development tokens),
 * then the same conversion called in-process in the same run, for the HTTP overhead ratio.
 * Run: `pnpm bench:http` (BENCH_SECONDS, default 60; BENCH_RATE requests/s, default 200).
 * Traffic goes only to 127.0.0.1; the run is bounded in time and stops by itself.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { Bench } from 'tinybench';
import { convertM1ToEuPrescription, readM1 } from '../packages/core/dist/index.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const seconds = Number(process.env.BENCH_SECONDS ?? 60);
const rate = Number(process.env.BENCH_RATE ?? 200);
const port = 18600 + Math.floor(Math.random() * 300);
const base = `http://127.0.0.1:${port}`;
const m1 = readFileSync(join(root, 'test-data/eresept/m1-demo-gyldig.xml'), 'utf8');

const dataDir = mkdtempSync(join(tmpdir(), 'ehds-no-bench-'));
const server = spawn(process.execPath, [join(root, 'services/fhir-facade/dist/main.js')], {
  env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, RATE_LIMIT_PER_MINUTE: '1000000' },
  stdio: ['ignore', 'ignore', 'inherit'],
});
try {
  let ready = false;
  for (let i = 0; i < 100 && !ready; i++) {
    await new Promise((r) => setTimeout(r, 200));
    ready = await fetch(`${base}/readyz`).then((r) => r.ok, () => false);
  }
  if (!ready) throw new Error('the facade did not start');
  const token = (await (await fetch(`${base}/auth/dev-token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).json()).access_token;

  const result = await autocannon({
    url: `${base}/fhir/$convert-m1-to-eu`,
    method: 'POST',
    headers: { 'content-type': 'application/xml', authorization: `Bearer ${token}` },
    body: m1,
    duration: seconds,
    overallRate: rate,
    connections: Number(process.env.BENCH_CONNECTIONS ?? 20),
  });

  const options = { allowSyntheticIdentities: true };
  const bench = new Bench({ time: 2000, warmupTime: 300 });
  bench.add('in-process: readM1 + convert + JSON.stringify', () => {
    const r = readM1(m1, options);
    const c = convertM1ToEuPrescription(r.message);
    JSON.stringify({ resourceType: 'Parameters', parameter: [{ name: 'return', resource: c.bundle }, { name: 'report', resource: c.report }] });
  });
  await bench.run();
  const inProcess = bench.tasks[0].result;
  const inProcessHz = inProcess.throughput?.mean ?? inProcess.hz;
  const inProcessMs = inProcess.latency?.mean ?? inProcess.mean;

  const errors = result.errors + result.timeouts + result.non2xx;
  console.log(`node ${process.version}, ${seconds} s at ${rate} requests/s, ${process.env.BENCH_CONNECTIONS ?? 20} connections, POST /fhir/$convert-m1-to-eu`);
  console.table({
    'HTTP (separate process)': { 'requests': result.requests.total, 'errors/non-2xx': errors, 'req/s': Math.round(result.requests.average), 'p50 ms': result.latency.p50, 'p99 ms': result.latency.p99, 'max ms': result.latency.max },
    'library in-process': { 'requests': '', 'errors/non-2xx': '', 'req/s': Math.round(inProcessHz), 'p50 ms': Number(inProcessMs.toFixed(3)), 'p99 ms': '', 'max ms': '' },
  });
  console.log(`HTTP overhead: p50 ${(result.latency.p50 / inProcessMs).toFixed(1)}× the in-process time of one conversion`);
  if (errors > 0) process.exitCode = 1;
} finally {
  server.kill('SIGTERM');
  await new Promise((r) => server.once('exit', r));
  rmSync(dataDir, { recursive: true, force: true });
}
