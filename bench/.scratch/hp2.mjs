import { readFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { convertM1ToEuPrescription, readM1, parseXml } from '../../packages/core/dist/index.js';
import { ereseptMsgHead } from '../../packages/core/dist/eresept/messages.js';
import { IssueCollector } from '../../packages/core/dist/eresept/issues.js';
import { defaultCodeLists } from '../../packages/core/dist/terminology/code-systems.js';
const xml = readFileSync('test-data/eresept/m1-pakning-dosering.xml', 'utf8');
const root = parseXml(xml).root; const codeLists = defaultCodeLists();
const r = readM1(xml, { allowSyntheticIdentities: true }); const now = new Date('2024-06-10T08:00:00Z');
const which = process.argv[2];
const fns = {
  decode: () => ereseptMsgHead.decode(root, '/mh:MsgHead', { issues: new IssueCollector(), codeLists, allowSyntheticIdentities: true }),
  convert: () => convertM1ToEuPrescription(r.message, { now }),
  parse: () => parseXml(xml),
};
const f = fns[which];
for (let i = 0; i < 2000; i++) f();
const s = new Session(); s.connect();
await s.post('HeapProfiler.enable');
await s.post('HeapProfiler.startSampling', { samplingInterval: 128, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
const N = 3000;
for (let i = 0; i < N; i++) f();
const { profile } = await s.post('HeapProfiler.stopSampling');
const self = new Map(); let total = 0;
const walk = (n) => { const cf = n.callFrame; const k = `${cf.functionName || '(anon)'} ${cf.url.split('/').slice(-2).join('/')}:${cf.lineNumber + 1}`; self.set(k, (self.get(k) ?? 0) + n.selfSize); total += n.selfSize; for (const c of n.children ?? []) walk(c); };
walk(profile.head);
console.log('KB/op', (total / N / 1024).toFixed(1));
for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 22)) console.log((v / total * 100).toFixed(1).padStart(5), (v / N / 1024).toFixed(2).padStart(6), k);
