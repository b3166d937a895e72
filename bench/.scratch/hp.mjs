import { readFileSync } from 'node:fs';
import { convertM1ToEuPrescription, readM1, parseXml } from '../../packages/core/dist/index.js';
import { ereseptMsgHead } from '../../packages/core/dist/eresept/messages.js';
import { IssueCollector } from '../../packages/core/dist/eresept/issues.js';
import { defaultCodeLists } from '../../packages/core/dist/terminology/code-systems.js';
const xml = readFileSync('test-data/eresept/m1-pakning-dosering.xml', 'utf8');
const root = parseXml(xml).root; const codeLists = defaultCodeLists();
const r = readM1(xml, { allowSyntheticIdentities: true }); const now = new Date('2024-06-10T08:00:00Z');
const which = process.argv[2];
const keep = [];
for (let i = 0; i < 3000; i++) {
  const v = which === 'convert' ? convertM1ToEuPrescription(r.message, { now }) : ereseptMsgHead.decode(root, '/mh:MsgHead', { issues: new IssueCollector(), codeLists, allowSyntheticIdentities: true });
  if (i % 1 === 0) keep.push(v);
}
