/**
 * HTTP load on loopback: autocannon at a fixed request rate, first against `GET /fhir/Patient/$summary`
 * (every test patient in turn), then `POST /fhir/$convert-m1-to-eu`, of a facade started as a separate
 * process (embedded database in a temporary folder, in-process sources simulator, development tokens);
 * then the same work called in-process in the same run, for the HTTP overhead ratio.
 * Run: `pnpm bench:http` (BENCH_SECONDS, default 60; BENCH_RATE requests/s, default 200).
 * Traffic goes only to 127.0.0.1; the run is bounded in time and stops by itself.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { Bench } from 'tinybench';
import { randomUUID } from 'node:crypto';
import { startDevFacade } from './dev-facade-process.js';
import { assembleSummary, convertM1ToEuPrescription, loadPatientFolders, readM1, renderSummary, SOURCE_NAMES } from '../packages/core/dist/index.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const seconds = Number(process.env.BENCH_SECONDS ?? 60);
const rate = Number(process.env.BENCH_RATE ?? 200);
const m1 = readFileSync(join(root, 'test-data/eresept/m1-demo-gyldig.xml'), 'utf8');
const patients = loadPatientFolders();

const facade = await startDevFacade({ portBase: 18600 });
const { base, token } = facade;
try {
  const connections = Number(process.env.BENCH_CONNECTIONS ?? 20);
  const load = (name, options) =>
    autocannon({ ...options, duration: seconds, overallRate: rate, connections }).then((result) => ({ name, result }));

  // $summary over every test patient, in turn. Each summary is built once first: the living summary is kept
  // current by change notifications, so a read is served from the store (SUMMARY_MAX_AGE_MS).
  const identifiers = patients.map((p) => `${p.key.system}|${p.key.value}`);
  for (const id of identifiers) await fetch(`${base}/fhir/Patient/$summary?identifier=${encodeURIComponent(id)}`, { headers: { authorization: `Bearer ${token}` } });
  let next = 0;
  const summary = await load('GET /fhir/Patient/$summary', {
    url: base,
    headers: { authorization: `Bearer ${token}` },
    requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: `/fhir/Patient/$summary?identifier=${encodeURIComponent(identifiers[next++ % identifiers.length])}` }) }],
  });
  const convert = await load('POST /fhir/$convert-m1-to-eu', {
    url: `${base}/fhir/$convert-m1-to-eu`,
    method: 'POST',
    headers: { 'content-type': 'application/xml', authorization: `Bearer ${token}` },
    body: m1,
  });

  const options = { allowSyntheticIdentities: true };
  const outcomesOf = (p) => Object.fromEntries(SOURCE_NAMES.map((s) => [s, { status: 'fresh', snapshot: { source: s, fetchedAt: new Date().toISOString(), data: p.data[s] } }]));
  const stored = patients.map((p) => assembleSummary({ patient: { id: randomUUID(), key: p.key }, outcomes: outcomesOf(p), now: new Date(), allowSyntheticIdentities: true }).bundle);
  let k = 0;
  const bench = new Bench({ time: 2000, warmupTime: 300 });
  bench
    .add('in-process: stored summary → narrative → JSON.stringify', () => {
      JSON.stringify(renderSummary(stored[k++ % stored.length], 'nb'));
    })
    .add('in-process: readM1 + convert + JSON.stringify', () => {
      const r = readM1(m1, options);
      const c = convertM1ToEuPrescription(r.message);
      JSON.stringify({ resourceType: 'Parameters', parameter: [{ name: 'return', resource: c.bundle }, { name: 'report', resource: c.report }] });
    });
  await bench.run();
  const inProcess = bench.tasks.map((t) => ({ hz: t.result.throughput?.mean ?? t.result.hz, ms: t.result.latency?.mean ?? t.result.mean }));

  console.log(`node ${process.version}, ${seconds} s each at ${rate} requests/s, ${connections} connections, facade in a separate process (PGlite on disk, in-process sources simulator)`);
  const rows = {};
  let failed = 0;
  [summary, convert].forEach(({ name, result }, i) => {
    const errors = result.errors + result.timeouts + result.non2xx;
    failed += errors;
    rows[`HTTP ${name}`] = { requests: result.requests.total, 'errors/non-2xx': errors, 'req/s': Math.round(result.requests.average), 'p50 ms': result.latency.p50, 'p99 ms': result.latency.p99, 'max ms': result.latency.max };
    rows[`  library in-process (${i === 0 ? 'render stored summary' : 'convert'})`] = { requests: '', 'errors/non-2xx': '', 'req/s': Math.round(inProcess[i].hz), 'p50 ms': Number(inProcess[i].ms.toFixed(3)), 'p99 ms': '', 'max ms': '' };
  });
  console.table(rows);
  console.log(`HTTP overhead: $summary p50 ${(summary.result.latency.p50 / inProcess[0].ms).toFixed(1)}×, $convert-m1-to-eu p50 ${(convert.result.latency.p50 / inProcess[1].ms).toFixed(1)}× the in-process time`);
  console.log(`$summary goal: p99 < 50 ms at 200 requests/s: ${summary.result.latency.p99 < 50 && rate >= 200 ? 'met' : 'not met'}`);
  if (failed > 0) process.exitCode = 1;
} finally {
  await facade.stop();
}
