/**
 * e-resept message layer throughput, side by side in one run with the floor: plain fast-xml-parser
 * parsing of the same bytes (same options as the reader). Run: `pnpm bench:eresept`.
 *
 * Measures, for the largest M1 fixture: the floor (parse only), parse with well-formedness check,
 * read+map (readM1: parse, namespaces, typed model, all validation rules), write (writeMsgHead), and
 * XSD validation against the official schemas (when ../shared/specs/xsd or ERESEPT_XSD_DIR exists).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { Bench } from 'tinybench';
import { EreseptXsdValidator, readM1, writeMsgHead } from '../packages/core/dist/index.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const fixtures = join(root, 'test-data/eresept');
const m1Files = readdirSync(fixtures).filter((f) => f.startsWith('m1-') && f.endsWith('.xml'));
const largest = m1Files.map((f) => join(fixtures, f)).sort((a, b) => statSync(b).size - statSync(a).size)[0];
const xml = readFileSync(largest, 'utf8');
const bytes = Buffer.byteLength(xml);

const parser = new XMLParser({
  preserveOrder: true, ignoreAttributes: false, attributeNamePrefix: '', removeNSPrefix: false, parseTagValue: false,
  parseAttributeValue: false, trimValues: false, processEntities: false, htmlEntities: false, ignoreDeclaration: true,
  ignorePiTags: true, cdataPropName: '#cdata', jPath: false,
});
const options = { allowSyntheticIdentities: true };
const read = readM1(xml, options);
if (!read.ok) throw new Error(`fixture does not read: ${JSON.stringify(read.issues)}`);
const message = read.message.msgHead;

const xsdDir = process.env.ERESEPT_XSD_DIR ?? join(root, '../shared/specs/xsd');
const xsd = existsSync(xsdDir) ? await EreseptXsdValidator.load(xsdDir) : undefined;

const bench = new Bench({ time: 2000, warmupTime: 300 });
bench
  .add('floor: fast-xml-parser parse', () => parser.parse(xml))
  .add('floor + well-formedness (XMLValidator + parse)', () => {
    XMLValidator.validate(xml);
    parser.parse(xml);
  })
  .add('read+map (readM1, all checks)', () => readM1(xml, options))
  .add('write (writeMsgHead)', () => writeMsgHead(message));
if (xsd) bench.add('XSD validation (libxml2-wasm, compiled once)', () => xsd.validate(xml));

await bench.run();

const rows = bench.tasks.map((t) => {
  const r = t.result;
  const hz = r.throughput?.mean ?? r.hz;
  const mean = r.latency?.mean ?? r.mean;
  return { task: t.name, 'msg/s': Math.round(hz), 'mean µs': Math.round(mean * 1000), 'MB/s': ((hz * bytes) / 1e6).toFixed(1) };
});
const floorHz = rows[0]['msg/s'];
const readHz = rows[2]['msg/s'];
console.log(`M1 fixture ${largest.slice(root.length)} (${bytes} bytes), node ${process.version}`);
console.table(rows);
console.log(`read+map / floor time ratio: ${(floorHz / readHz).toFixed(2)}× (goal ≤ 1.5×)`);
xsd?.dispose();
