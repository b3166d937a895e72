import { readFileSync } from 'node:fs';
import { parseXml } from '/work/main/packages/core/dist/index.js';
import { saxParse } from '/work/main/bench/xml-floor.js';
import { SaxesParser } from 'saxes';
const xml = readFileSync('/work/main/test-data/eresept/m1-pakning-dosering.xml', 'utf8');
// saxes with exactly our handlers but no tree
const ourHandlers = (xml) => { const p = new SaxesParser({ xmlns: true, position: true }); let n = 0;
  p.on('attribute', () => n++); p.on('opentag', () => n++); p.on('closetag', () => n++); p.on('text', () => n++); p.on('cdata', () => n++); p.on('error', (e) => { throw e; });
  p.write(xml).close(); return n; };
const tasks = { saxParse: () => saxParse(xml), handlers: () => ourHandlers(xml), parseXml: () => parseXml(xml) };
const run = (f) => { const N = 2000; const t = performance.now(); for (let i = 0; i < N; i++) f(); return (performance.now() - t) / N * 1000; };
for (let i = 0; i < 5; i++) for (const f of Object.values(tasks)) run(f);
const res = Object.fromEntries(Object.keys(tasks).map((k) => [k, []]));
for (let i = 0; i < 40; i++) for (const [k, f] of Object.entries(tasks)) res[k].push(run(f));
const med = (x) => [...x].sort((a, b) => a - b)[x.length >> 1];
console.log(Object.entries(res).map(([k, v]) => `${k} ${med(v).toFixed(1)}`).join('  '));
