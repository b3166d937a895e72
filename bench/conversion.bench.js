/**
 * Step-1 conversion throughput per flow, side by side in one run with its floor: parsing the input and
 * serialising the output with the same libraries (saxes for XML in, JSON.parse/stringify for FHIR,
 * fast-xml-parser's XMLBuilder for XML out). Run: `pnpm bench:conversion`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { XMLBuilder, XMLParser } from 'fast-xml-parser';
import { Bench } from 'tinybench';
import { saxParse } from './xml-floor.js';
import {
  convertDispenseToEu, convertEuDispenseToM10, convertM1ToEuPrescription, euPrescriptionView, pharmacyViewHtml, preloadReferenceData, readFhirResource, readM1, readM10,
} from '../packages/core/dist/index.js';

// As the service does at startup, before it reads any message (see preloadReferenceData).
preloadReferenceData();

const root = fileURLToPath(new URL('..', import.meta.url));
const text = (p) => readFileSync(join(root, p), 'utf8');
const opts = { allowSyntheticIdentities: true };

const m1Xml = text('test-data/eresept/m1-pakning-dosering.xml');
const edJson = text('test-data/eu/ed-se-eliquis-same-package.json');
const epJson = text('test-data/eu/ep-se-amoxicillin-valid.json');
const m10Xml = text('test-data/eresept/m10-eu-resept-amoxicillin.xml');

/** A FHIR JSON body as the operations read it: parsed, then its structure and datatypes checked. */
const readBundle = (json) => {
  const read = readFhirResource(JSON.parse(json), 'Bundle');
  if (!read.ok) throw new Error('fixture');
  return read.resource;
};

const m1 = readM1(m1Xml, opts);
if (!m1.ok) throw new Error('fixture');
const releaseNow = new Date('2024-06-10T08:00:00Z');
const flow1 = convertM1ToEuPrescription(m1.message, { now: releaseNow });
const release = flow1.release;
const flow2 = convertEuDispenseToM10(JSON.parse(edJson), { release, previous: [], now: releaseNow });
if (!flow2.ok) throw new Error('flow 2 must convert');
const view = euPrescriptionView(JSON.parse(epJson), { now: releaseNow });
const flow4 = convertDispenseToEu(JSON.parse(epJson), readM10(m10Xml, opts).message, { previous: [], now: releaseNow });
if (!flow4.ok) throw new Error('flow 4 must convert');

// The output of flows 1 and 4 is the EU Bundle and its conversion report (the operations return both), so
// the floor serialises both, byte for byte what the flow serialises.
const flow1Output = { bundle: flow1.bundle, report: flow1.report };
const flow4Output = { bundle: flow4.bundle, report: flow4.report };
const fxpOptions = { preserveOrder: true, ignoreAttributes: false, attributeNamePrefix: '', parseTagValue: false, trimValues: false, processEntities: false, jPath: false };
const m10Tree = new XMLParser(fxpOptions).parse(flow2.xml);
const builder = new XMLBuilder({ ...fxpOptions, format: true, indentBy: '  ', suppressEmptyNode: true, processEntities: true });

/**
 * The flows, each with its floor. A flow's ratio is taken in pairs: floor and flow run back to back for
 * BENCH_TIME_MS each (order alternating), and the median over BENCH_ROUNDS pairs is reported. On this
 * shared 2-core machine the speed of both drifts by ±20% within seconds; measured side by side the drift
 * cancels, and many short pairs give a median that repeats from run to run (7 long rounds did not).
 */
const flows = [
  {
    name: '1 M1→EU',
    floor: ['saxes parse + JSON.stringify of the output', () => { saxParse(m1Xml); JSON.stringify(flow1Output); }],
    flow: ['readM1 + convert + JSON.stringify', () => {
      const r = readM1(m1Xml, opts);
      const c = convertM1ToEuPrescription(r.message, { now: releaseNow });
      JSON.stringify({ bundle: c.bundle, report: c.report });
    }],
  },
  {
    name: '2 EU dispense→M10',
    floor: ['JSON.parse + XMLBuilder of the M10', () => { JSON.parse(edJson); builder.build(m10Tree); }],
    flow: ['JSON.parse + read + convert (incl. M10 XML)', () => { convertEuDispenseToM10(readBundle(edJson), { release, previous: [], now: releaseNow }); }],
  },
  {
    name: '3 EU prescription view',
    floor: ['JSON.parse + JSON.stringify of the view', () => { JSON.parse(epJson); JSON.stringify(view); }],
    flow: ['JSON.parse + read + view + HTML', () => { pharmacyViewHtml(euPrescriptionView(readBundle(epJson), { now: releaseNow })); }],
  },
  {
    name: '4 dispense→EU',
    floor: ['JSON.parse + saxes parse + JSON.stringify', () => { JSON.parse(epJson); saxParse(m10Xml); JSON.stringify(flow4Output); }],
    flow: ['JSON.parse + read + readM10 + convert + JSON.stringify', () => {
      const c = convertDispenseToEu(readBundle(epJson), readM10(m10Xml, opts).message, { previous: [], now: releaseNow });
      JSON.stringify({ bundle: c.bundle, report: c.report });
    }],
  },
];

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 41);
const TIME_MS = Number(process.env.BENCH_TIME_MS ?? 60);

/** Mean µs per operation of each task in one pair, run in the given order. */
async function pair(tasks) {
  const bench = new Bench({ time: TIME_MS, warmupTime: 0, warmupIterations: 0 });
  for (const [name, fn] of tasks) bench.add(name, fn);
  await bench.run();
  return bench.tasks.map((t) => (t.result.latency?.mean ?? t.result.mean) * 1000);
}

// Warm-up: every task for a second, so that the pairs measure optimised code.
for (const f of flows) for (const [name, fn] of [f.floor, f.flow]) await new Bench({ time: 1000 }).add(name, fn).run();

/** Per flow: floor µs, flow µs and their ratio, one of each per pair. */
const pairs = flows.map(() => []);
for (let r = 0; r < ROUNDS; r++) {
  for (const [i, f] of flows.entries()) {
    const floorFirst = r % 2 === 0;
    const [a, b] = await pair(floorFirst ? [f.floor, f.flow] : [f.flow, f.floor]);
    const [floorUs, flowUs] = floorFirst ? [a, b] : [b, a];
    pairs[i].push({ floorUs, flowUs, ratio: flowUs / floorUs });
  }
}

const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  const at = (s.length - 1) * q;
  const lo = Math.floor(at);
  return s[lo] + (s[Math.ceil(at)] - s[lo]) * (at - lo);
};
const median = (xs) => quantile(xs, 0.5);
console.log(`node ${process.version} ${process.execArgv.join(' ')}, ${ROUNDS} pairs of ${TIME_MS} ms per task`);
// Rates from the mean latency (operations per second of wall time); the mean of per-iteration rates that
// tinybench also reports overstates the faster of two tasks when latencies vary.
console.table(flows.flatMap((f, i) => [f.floor, f.flow].map(([name], j) => {
  const us = median(pairs[i].map((p) => (j === 0 ? p.floorUs : p.flowUs)));
  return { task: `${f.name}: ${j === 0 ? 'floor (' : ''}${name}${j === 0 ? ')' : ''}`, 'ops/s': Math.round(1e6 / us), 'median µs': Math.round(us) };
})));
for (const [i, f] of flows.entries()) {
  const ratios = pairs[i].map((p) => p.ratio);
  const within = ratios.filter((x) => x <= 2).length;
  console.log(`${f.name}: ${median(ratios).toFixed(2)}× the floor's time, median of ${ROUNDS} pairs (middle half ${quantile(ratios, 0.25).toFixed(2)}–${quantile(ratios, 0.75).toFixed(2)}, ≤ 2× in ${within} of ${ROUNDS}; goal ≤ 2×)`);
}
