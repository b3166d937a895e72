import { readFileSync } from 'node:fs';
const load = async (root) => ({
  core: await import(`${root}/packages/core/dist/index.js`),
  mh: await import(`${root}/packages/core/dist/eresept/messages.js`),
  ic: await import(`${root}/packages/core/dist/eresept/issues.js`),
  cl: await import(`${root}/packages/core/dist/terminology/code-systems.js`),
});
const xml = readFileSync('/work/main/test-data/eresept/m1-pakning-dosering.xml', 'utf8');
const mk = (L) => { const root = L.core.parseXml(xml).root; const codeLists = L.cl.defaultCodeLists();
  return () => { const ctx = { issues: new L.ic.IssueCollector(), codeLists, allowSyntheticIdentities: true }; return L.mh.ereseptMsgHead.decode(root, '/mh:MsgHead', ctx); }; };
const A = mk(await load('/tmp/oldrepo')), B = mk(await load('/work/main'));
if (JSON.stringify(A()) !== JSON.stringify(B())) throw new Error('differ');
const run = (f) => { const N = 5000; const t = performance.now(); for (let i = 0; i < N; i++) f(); return (performance.now() - t) / N * 1000; };
for (let i = 0; i < 5; i++) { run(A); run(B); }
const ra = [], rb = [];
for (let i = 0; i < 60; i++) { if (i % 2) { ra.push(run(A)); rb.push(run(B)); } else { rb.push(run(B)); ra.push(run(A)); } }
const med = (x) => [...x].sort((a, b) => a - b)[x.length >> 1];
console.log('old', med(ra).toFixed(2), 'new', med(rb).toFixed(2), 'ratio', (med(rb) / med(ra)).toFixed(3));
