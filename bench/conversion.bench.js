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
  convertDispenseToEu, convertEuDispenseToM10, convertM1ToEuPrescription, euPrescriptionView, pharmacyViewHtml, readM1, readM10,
} from '../packages/core/dist/index.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const text = (p) => readFileSync(join(root, p), 'utf8');
const opts = { allowSyntheticIdentities: true };

const m1Xml = text('test-data/eresept/m1-pakning-dosering.xml');
const edJson = text('test-data/eu/ed-se-eliquis-same-package.json');
const epJson = text('test-data/eu/ep-se-amoxicillin-valid.json');
const m10Xml = text('test-data/eresept/m10-eu-resept-amoxicillin.xml');

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
 * The tasks: for each flow its floor, then the flow. They are run in ROUNDS rounds (default 7), each round
 * every task for BENCH_TIME_MS; a flow's ratio is taken within each round (floor and flow measured seconds
 * apart) and the median over the rounds is reported. One long run per task was not repeatable on this
 * 2-core machine: the floor alone moved between 85 and 130 µs from one run to the next.
 */
function addTasks(bench) {
  return bench
    .add('1 M1→EU: floor (saxes parse + JSON.stringify of the output)', () => { saxParse(m1Xml); JSON.stringify(flow1Output); })
    .add('1 M1→EU: readM1 + convert + JSON.stringify', () => {
      const r = readM1(m1Xml, opts);
      const c = convertM1ToEuPrescription(r.message, { now: releaseNow });
      JSON.stringify({ bundle: c.bundle, report: c.report });
    })
    .add('2 EU dispense→M10: floor (JSON.parse + XMLBuilder of the M10)', () => { JSON.parse(edJson); builder.build(m10Tree); })
    .add('2 EU dispense→M10: JSON.parse + convert (incl. M10 XML)', () => { convertEuDispenseToM10(JSON.parse(edJson), { release, previous: [], now: releaseNow }); })
    .add('3 EU prescription view: floor (JSON.parse + JSON.stringify of the view)', () => { JSON.parse(epJson); JSON.stringify(view); })
    .add('3 EU prescription view: JSON.parse + view + HTML', () => { pharmacyViewHtml(euPrescriptionView(JSON.parse(epJson), { now: releaseNow })); })
    .add('4 dispense→EU: floor (JSON.parse + saxes parse + JSON.stringify)', () => { JSON.parse(epJson); saxParse(m10Xml); JSON.stringify(flow4Output); })
    .add('4 dispense→EU: JSON.parse + readM10 + convert + JSON.stringify', () => {
      const c = convertDispenseToEu(JSON.parse(epJson), readM10(m10Xml, opts).message, { previous: [], now: releaseNow });
      JSON.stringify({ bundle: c.bundle, report: c.report });
    });
}

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const TIME_MS = Number(process.env.BENCH_TIME_MS ?? 400);
/** Mean µs per task, per round. */
const rounds = [];
for (let r = 0; r < ROUNDS; r++) {
  const bench = addTasks(new Bench({ time: TIME_MS, warmupTime: r === 0 ? 500 : 50 }));
  await bench.run();
  rounds.push(bench.tasks.map((t) => ({ name: t.name, us: (t.result.latency?.mean ?? t.result.mean) * 1000 })));
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const names = rounds[0].map((t) => t.name);
// Rates from the mean latency (operations per second of wall time); the mean of per-iteration rates that
// tinybench also reports overstates the faster of two tasks when latencies vary.
const rows = names.map((task, i) => {
  const us = median(rounds.map((r) => r[i].us));
  return { task, 'ops/s': Math.round(1e6 / us), 'median of round means µs': Math.round(us) };
});
console.log(`node ${process.version}, ${ROUNDS} rounds of ${TIME_MS} ms per task`);
console.table(rows);
for (let i = 0; i < names.length; i += 2) {
  const ratios = rounds.map((r) => r[i + 1].us / r[i].us);
  const within = ratios.filter((x) => x <= 2).length;
  console.log(`${names[i + 1].split(':')[0]}: ${median(ratios).toFixed(2)}× the floor's time, median of ${ROUNDS} rounds (range ${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}, ≤ 2× in ${within} of ${ROUNDS}; goal ≤ 2×)`);
}
