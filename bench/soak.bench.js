/**
 * Soak across the stored summaries' expiry: a facade started as a separate process (development mode,
 * embedded database in a temporary folder, in-process sources simulator) with a short
 * `SUMMARY_MAX_AGE_MS`, every test patient's summary built at the same moment, then a steady
 * `GET /fhir/Patient/$summary` load (all test patients in turn) beside a light `GET /fhir/metadata` load
 * (the floor: no summary, no database) for long enough to cross the expiry window twice. Reports per
 * one-second bucket the latency (p50/p99/max) of both and the rebuilds started (Kjernejournal asks, from
 * the facade's `/metrics`), so a wave of synchronous rebuilds shows as a p99 step at the expiry.
 * Run: `pnpm bench:soak` (SOAK_SECONDS, default 60; SOAK_MAX_AGE_MS, default 20000; SOAK_RATE $summary
 * requests/s, default 100). To compare with an earlier commit, run this file from a checkout of it.
 * Traffic goes only to 127.0.0.1; the run is bounded in time and stops by itself.
 */
import autocannon from 'autocannon';
import { loadPatientFolders } from '../packages/core/dist/index.js';
import { startDevFacade } from './dev-facade-process.js';

const seconds = Math.min(Number(process.env.SOAK_SECONDS ?? 60), 150);
const maxAgeMs = Number(process.env.SOAK_MAX_AGE_MS ?? 20_000);
const rate = Number(process.env.SOAK_RATE ?? 100);
const floorRate = Math.max(1, Math.round(rate / 10));
const identifiers = loadPatientFolders().map((p) => `${p.key.system}|${p.key.value}`);

const facade = await startDevFacade({ portBase: 18900, env: { SUMMARY_MAX_AGE_MS: String(maxAgeMs) } });
const { base, token } = facade;

/** Kjernejournal asks so far: one per rebuild (every rebuild asks all five sources). */
async function kjernejournalAsks(headers) {
  const text = await (await fetch(`${base}/metrics`, { headers })).text();
  return text.split('\n').filter((l) => l.startsWith('ehds_source_fetch_total{') && l.includes('source="kjernejournal"'))
    .reduce((sum, l) => sum + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
}

const quantile = (sorted, q) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] : NaN);
const ms = (x) => Math.round(x * 10) / 10;

try {
  const headers = { authorization: `Bearer ${token}` };
  const summaryPath = (id) => `/fhir/Patient/$summary?identifier=${encodeURIComponent(id)}`;

  // The warm-up wave: every summary built at once, as after a restart or a morning's first requests.
  const warm = await Promise.all(identifiers.map((id) => fetch(`${base}${summaryPath(id)}`, { headers }).then((r) => r.status)));
  if (warm.some((s) => s !== 200)) throw new Error(`warm-up: ${warm.filter((s) => s !== 200).length} summaries failed`);
  const t0 = Date.now();
  const asksAtStart = await kjernejournalAsks(headers);

  const buckets = Array.from({ length: seconds }, () => ({ summary: [], floor: [], asks: 0, errors: 0 }));
  const record = (kind) => (_client, status, _bytes, ms) => {
    const b = buckets[Math.min(seconds - 1, Math.floor((Date.now() - t0) / 1000))];
    b[kind].push(ms);
    if (status !== 200) b.errors += 1;
  };
  let next = 0;
  const summaryLoad = autocannon({
    url: base, headers, duration: seconds, overallRate: rate, connections: 10,
    requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: summaryPath(identifiers[next++ % identifiers.length]) }) }],
  });
  const floorLoad = autocannon({ url: `${base}/fhir/metadata`, duration: seconds, overallRate: floorRate, connections: 1 });
  summaryLoad.on('response', record('summary'));
  floorLoad.on('response', record('floor'));
  // The rebuilds started, per second (the metrics endpoint is cheap: a few counters as text); a poll just
  // after second k counts the asks of the second before it.
  let asked = asksAtStart;
  const poll = setInterval(() => {
    const second = Math.min(seconds - 1, Math.max(0, Math.floor((Date.now() - t0) / 1000) - 1));
    kjernejournalAsks(headers).then((n) => { buckets[second].asks += n - asked; asked = n; }, () => {});
  }, 1000);
  const [summary, floor] = await Promise.all([summaryLoad, floorLoad]);
  clearInterval(poll);
  buckets[seconds - 1].asks += (await kjernejournalAsks(headers)) - asked;

  const rows = buckets.map((b, second) => {
    const s = [...b.summary].sort((x, y) => x - y);
    const f = [...b.floor].sort((x, y) => x - y);
    return { second, requests: s.length, 'p50 ms': ms(quantile(s, 0.5)), 'p99 ms': ms(quantile(s, 0.99)), 'max ms': ms(s[s.length - 1] ?? NaN), rebuilds: b.asks, 'floor p99 ms': ms(quantile(f, 0.99)), errors: b.errors };
  }).filter((r) => r.requests > 0);
  console.log(`node ${process.version}; SUMMARY_MAX_AGE_MS=${maxAgeMs}; ${identifiers.length} summaries built at t = 0; ${seconds} s of $summary at ${rate}/s (10 connections) beside GET /fhir/metadata at ${floorRate}/s`);
  console.table(Object.fromEntries(rows.map(({ second, ...r }) => [`${second}–${second + 1} s`, r])));
  const p99s = rows.map((r) => r['p99 ms']).sort((x, y) => x - y);
  const worst = rows.reduce((w, r) => (r['p99 ms'] > w['p99 ms'] ? r : w), rows[0]);
  const slow = buckets.reduce((n, b) => n + b.summary.filter((t) => t >= 250).length, 0);
  console.log(`$summary: ${summary.requests.total} requests, p50 ${summary.latency.p50} ms, p99 ${summary.latency.p99} ms, max ${summary.latency.max} ms; ${slow} requests ≥ 250 ms`);
  console.log(`per-second p99: median ${quantile(p99s, 0.5)} ms, worst ${worst['p99 ms']} ms (${worst.second}–${worst.second + 1} s); floor (metadata) p99 ${floor.latency.p99} ms`);
  // The first expiry: from 0.8 × the max age (the per-patient spread) to 2 s after it, beside the seconds
  // before it (the first 3 s left out: the process is still warming up).
  const between = (from, to) => {
    const part = buckets.slice(from, to);
    const s = part.flatMap((b) => b.summary).sort((x, y) => x - y);
    const f = part.flatMap((b) => b.floor).sort((x, y) => x - y);
    return `p50 ${ms(quantile(s, 0.5))} / p99 ${ms(quantile(s, 0.99))} / max ${ms(s[s.length - 1])} ms, ${part.reduce((n, b) => n + b.asks, 0)} rebuilds, floor p99 ${ms(quantile(f, 0.99))} ms`;
  };
  const expiryFrom = Math.floor((0.8 * maxAgeMs) / 1000);
  const expiryTo = Math.min(seconds, Math.ceil(maxAgeMs / 1000) + 2);
  console.log(`before the first expiry (3–${expiryFrom} s): ${between(3, expiryFrom)}`);
  console.log(`across it (${expiryFrom}–${expiryTo} s): ${between(expiryFrom, expiryTo)}`);
  console.log(`rebuilds during the load: ${buckets.reduce((n, b) => n + b.asks, 0)} (${identifiers.length} patients; expiry from ${(0.8 * maxAgeMs) / 1000} s with the per-patient spread, at ${maxAgeMs / 1000} s without)`);
  const failed = summary.errors + summary.timeouts + summary.non2xx + floor.errors + floor.timeouts + floor.non2xx;
  if (failed > 0) {
    console.log(`errors/timeouts/non-2xx: ${failed}`);
    process.exitCode = 1;
  }
} finally {
  await facade.stop();
}
