import { readFileSync } from 'node:fs';
import { convertM1ToEuPrescription, readM1, parseXml } from '../../packages/core/dist/index.js';
import { ereseptMsgHead } from '../../packages/core/dist/eresept/messages.js';
import { IssueCollector } from '../../packages/core/dist/eresept/issues.js';
import { defaultCodeLists } from '../../packages/core/dist/terminology/code-systems.js';
import { saxParse } from '../xml-floor.js';
const xml = readFileSync('test-data/eresept/m1-pakning-dosering.xml', 'utf8');
const opts = { allowSyntheticIdentities: true }; const now = new Date('2024-06-10T08:00:00Z');
const r = readM1(xml, opts); const root = parseXml(xml).root; const codeLists = defaultCodeLists();
const c = convertM1ToEuPrescription(r.message, { now }); const out = { bundle: c.bundle, report: c.report };
const tasks = {
  saxes: () => saxParse(xml),
  parseXml: () => parseXml(xml),
  decode: () => ereseptMsgHead.decode(root, '/mh:MsgHead', { issues: new IssueCollector(), codeLists, allowSyntheticIdentities: true }),
  readM1: () => readM1(xml, opts),
  convert: () => convertM1ToEuPrescription(r.message, { now }),
  stringify: () => JSON.stringify(out),
};
for (const [k, f] of Object.entries(tasks)) {
  for (let i = 0; i < 500; i++) f();
  const N = 200; const keep = new Array(N);
  globalThis.gc(); const before = process.memoryUsage().heapUsed;
  for (let i = 0; i < N; i++) keep[i] = f();
  const after = process.memoryUsage().heapUsed;
  console.log(k.padEnd(10), ((after - before) / N / 1024).toFixed(1), 'KB/op');
}
