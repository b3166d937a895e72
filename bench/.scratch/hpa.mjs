import { readFileSync, readdirSync } from 'node:fs';
const dir = process.argv[2];
const f = readdirSync(dir).filter(x => x.endsWith('.heapprofile')).sort().pop();
const p = JSON.parse(readFileSync(dir + '/' + f));
const self = new Map(); let total = 0;
const walk = (n) => { const s = (n.selfSize ?? 0); const cf = n.callFrame; const k = `${cf.functionName || '(anon)'} ${cf.url.split('/').slice(-2).join('/')}:${cf.lineNumber + 1}`; self.set(k, (self.get(k) ?? 0) + s); total += s; for (const c of n.children ?? []) walk(c); };
walk(p.head);
console.log('total MB', (total / 1048576).toFixed(1));
for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log((v / total * 100).toFixed(1).padStart(5), k);
