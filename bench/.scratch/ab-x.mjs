import { readFileSync } from 'node:fs';
const [a, b] = process.argv.slice(2);
const A = await import(`${a}/packages/core/dist/index.js`);
const B = await import(`${b}/packages/core/dist/index.js`);
const xml = readFileSync('/work/main/test-data/eresept/m1-pakning-dosering.xml', 'utf8');
const now = new Date('2024-06-10T08:00:00Z'); const opts = { allowSyntheticIdentities: true };
const mk = (L) => () => { const r = L.readM1(xml, opts); const c = L.convertM1ToEuPrescription(r.message, { now }); return JSON.stringify({ bundle: c.bundle, report: c.report }); };
const fa = mk(A), fb = mk(B);
if (fa() !== fb()) console.log('NOTE: outputs differ');
const run = (f) => { const N = 1000; const t = performance.now(); for (let i = 0; i < N; i++) f(); return (performance.now() - t) / N * 1000; };
for (let i = 0; i < 5; i++) { run(fa); run(fb); }
const ra = [], rb = [];
for (let i = 0; i < 40; i++) { if (i % 2) { ra.push(run(fa)); rb.push(run(fb)); } else { rb.push(run(fb)); ra.push(run(fa)); } }
const med = (x) => [...x].sort((a, b) => a - b)[x.length >> 1];
console.log('A', med(ra).toFixed(1), 'B', med(rb).toFixed(1), 'B/A', (med(rb) / med(ra)).toFixed(3));
