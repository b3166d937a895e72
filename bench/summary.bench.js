/**
 * National patient summary throughput, in one run:
 * 1. Summaries per second and p50/p99 from in-process sources, side by side with the floor: parsing the
 *    five sources' answers (JSON.parse, and a saxes pass over the M1 XML in Reseptformidleren's answer, as
 *    the conversion bench's floor parses XML) + JSON.stringify of the finished document (the same bytes in
 *    and out).
 *    The summary path: parse the answers, ask the sources through the resilient wrappers (timeouts,
 *    breakers, snapshot cache), assemble, compare with the stored version, render the narrative, serialise.
 * 2. A full rebuild of BENCH_PATIENTS (default 100,000) generated patients on BENCH_WORKERS (default 2)
 *    worker threads, streaming (each worker generates, builds and drops its patients), with the process's
 *    peak memory and its memory at each quarter, to show it stays flat as the count grows.
 * Run: `pnpm bench:summary`.
 */
import { createHash, randomUUID } from 'node:crypto';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { Bench } from 'tinybench';
import { saxParse } from './xml-floor.js';
import {
  assembleSummary, fetchAllSources, InMemorySnapshotCache, InMemorySummaryStore, PatientSummaryService, renderSummary, resilientSources, SOURCE_NAMES,
} from '../packages/core/bench-dist/index.js';
import { generatePatients } from '../packages/core/bench-dist/test-support/patient-generator.js';

const SEED = 2029;
const NOW = new Date('2026-11-20T10:00:00Z');

/** Source ports that answer from serialized JSON, as the HTTP adapters receive it. */
function jsonPorts(byValue) {
  const port = (name) => ({
    name,
    fetch: async (key) => {
      const wire = byValue.get(key.value);
      if (!wire) throw new Error('unknown');
      return JSON.parse(wire[name]);
    },
  });
  return Object.fromEntries(SOURCE_NAMES.map((n) => [n, port(n)]));
}

function outcomesOf(patient) {
  const fetchedAt = NOW.toISOString();
  return Object.fromEntries(SOURCE_NAMES.map((s) => [s, { status: 'fresh', snapshot: { source: s, fetchedAt, data: patient.data[s] } }]));
}

function buildOne(patient, id) {
  const { bundle, contentHash } = assembleSummary({ patient: { id, key: patient.key }, outcomes: outcomesOf(patient), now: NOW, allowSyntheticIdentities: true });
  const text = JSON.stringify(renderSummary(bundle, 'nb'));
  return { contentHash, bytes: text.length };
}

/** Patients a worker reports progress after, so the main thread can read memory as the count grows. */
const PROGRESS_EVERY = 1000;

if (!isMainThread) {
  const { start, count } = workerData;
  let bytes = 0;
  let done = 0;
  const digest = createHash('sha256');
  for (const patient of generatePatients({ seed: SEED, count, startIndex: start })) {
    const built = buildOne(patient, randomUUID());
    bytes += built.bytes;
    digest.update(built.contentHash);
    if (++done % PROGRESS_EVERY === 0) parentPort.postMessage({ progress: PROGRESS_EVERY });
  }
  parentPort.postMessage({ progress: done % PROGRESS_EVERY, count, bytes, digest: digest.digest('hex').slice(0, 12) });
} else {
  await main();
}

async function part1() {
  const patients = [...generatePatients({ seed: SEED, count: 200 })];
  const wire = new Map(patients.map((p) => [p.key.value, Object.fromEntries(SOURCE_NAMES.map((s) => [s, JSON.stringify(p.data[s])]))]));
  const store = new InMemorySummaryStore();
  const sources = resilientSources(jsonPorts(wire));
  const cache = new InMemorySnapshotCache();
  const service = new PatientSummaryService({ store, fetchSources: (key) => fetchAllSources(sources, cache, key), allowSyntheticIdentities: true, now: () => NOW });
  // Outputs of the floor: the finished documents, so the floor serialises exactly what the path does.
  const documents = [];
  for (const p of patients) documents.push(renderSummary((await service.rebuild(p.key)).version.bundle, 'nb'));
  const avgEntries = documents.reduce((n, d) => n + d.entry.length, 0) / documents.length;
  const avgBytes = documents.reduce((n, d) => n + JSON.stringify(d).length, 0) / documents.length;

  let i = 0;
  let j = 0;
  const bench = new Bench({ time: 4000, warmupTime: 500 });
  bench
    .add('floor: parse the 5 answers (JSON, and the M1 XML in them) + JSON.stringify the document', () => {
      const k = i++ % patients.length;
      const w = wire.get(patients[k].key.value);
      for (const s of SOURCE_NAMES) JSON.parse(w[s]);
      // Reseptformidleren's answer carries M1 XML: parsing the inputs includes parsing those.
      for (const p of patients[k].data.reseptformidleren.prescriptions) saxParse(p.m1Xml);
      JSON.stringify(documents[k]);
    })
    .add('summary: sources → assemble → version check → narrative (nb) → JSON', async () => {
      const k = j++ % patients.length;
      const served = await service.rebuild(patients[k].key);
      JSON.stringify(renderSummary(served.version.bundle, 'nb'));
    });
  await bench.run();
  const rows = bench.tasks.map((t) => {
    const r = t.result;
    return {
      task: t.name,
      // Iterations per second of wall time (1 / mean latency): tinybench's mean of per-iteration rates
      // would overstate it when latencies vary.
      'per s': Math.round(1e6 / (r.latency.mean * 1000)),
      'mean µs': Math.round(r.latency.mean * 1000),
      'p50 µs': Math.round(r.latency.p50 * 1000),
      'p99 µs': Math.round(r.latency.p99 * 1000),
    };
  });
  console.log(`Part 1: 200 generated patients (seed ${SEED}), documents of ${avgEntries.toFixed(1)} entries and ${(avgBytes / 1024).toFixed(1)} KiB on average, node ${process.version}, one thread`);
  console.table(rows);
  console.log(`summary / floor time ratio: ${(rows[1]['mean µs'] / rows[0]['mean µs']).toFixed(2)}× (goal ≤ 5×); summaries per second on one core: ${rows[1]['per s']} (goal ≥ 1,000)`);
}

async function part2() {
  const total = Number(process.env.BENCH_PATIENTS ?? 100_000);
  const workers = Number(process.env.BENCH_WORKERS ?? 2);
  const memory = [];
  let peak = 0;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 50);
  const started = performance.now();
  let done = 0;
  let bytes = 0;
  let nextMark = total / 4;
  const share = Math.ceil(total / workers);
  const runs = [];
  for (let w = 0; w < workers; w++) {
    const start = w * share;
    const count = Math.max(0, Math.min(share, total - start));
    runs.push(new Promise((resolve, reject) => {
      const worker = new Worker(new URL(import.meta.url), { workerData: { start, count } });
      worker.on('message', (m) => {
        done += m.progress;
        // Memory at each quarter of the run, to show it stays flat as the count grows.
        while (done >= nextMark && nextMark <= total) {
          memory.push({ patients: Math.round(nextMark), 'elapsed s': ((performance.now() - started) / 1000).toFixed(1), 'rss MiB': Math.round(process.memoryUsage().rss / 2 ** 20) });
          nextMark += total / 4;
        }
        if (m.count !== undefined) {
          bytes += m.bytes;
          resolve(m);
        }
      });
      worker.once('error', reject);
    }));
  }
  await Promise.all(runs);
  clearInterval(sampler);
  const seconds = (performance.now() - started) / 1000;
  console.log(`\nPart 2: full rebuild of ${done} generated patients on ${workers} worker threads (generate + assemble + narrative + JSON, streaming)`);
  console.table(memory);
  console.log(`total ${seconds.toFixed(1)} s (goal < 180 s), ${Math.round(done / seconds)} summaries/s, ${(bytes / done / 1024).toFixed(1)} KiB per document, peak rss ${Math.round(peak / 2 ** 20)} MiB`);
  const norway = 5_500_000;
  console.log(`extrapolated to Norway's ${norway.toLocaleString('en')} residents at this rate: ${((norway / (done / seconds)) / 60).toFixed(0)} min on ${workers} cores, ${((norway * bytes) / done / 2 ** 30).toFixed(0)} GiB of documents`);
}

async function main() {
  await part1();
  if (process.env.BENCH_PATIENTS !== '0') await part2();
}
