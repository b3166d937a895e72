import { readFileSync } from 'node:fs';
import { convertM1ToEuPrescription, readM1 } from '../../packages/core/dist/index.js';
const m1Xml = readFileSync('test-data/eresept/m1-pakning-dosering.xml', 'utf8');
const r = readM1(m1Xml, { allowSyntheticIdentities: true });
const c = convertM1ToEuPrescription(r.message, { now: new Date('2024-06-10T08:00:00Z') });
console.log(c.report.issue.length, 'issues;', JSON.stringify(c.report).length, 'report bytes;', JSON.stringify(c.bundle).length, 'bundle bytes;', c.bundle.entry.length, 'entries');
for (const i of c.report.issue) console.log(i.severity, i.location?.[0], (i.diagnostics ?? '').slice(0, 90));
