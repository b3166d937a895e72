/**
 * Reading and writing whole e-resept messages: an M1 Resept or an M10 Utleveringsrapport inside its
 * MsgHead envelope. Reading never throws on bad input: it returns every problem with its XPath.
 *
 * @example
 * const r = readM1(xml, { allowSyntheticIdentities: true });
 * if (r.ok) console.log(r.message.reseptId, r.message.resept.forskrivningsdato);
 * else for (const i of r.issues) console.log(i.xpath, i.message);
 */
import { defaultCodeLists } from '../terminology/code-systems.js';
import { EreseptReadError, IssueCollector, type EreseptIssue } from './issues.js';
import { resept, type Resept } from './m1/resept.js';
import { utleveringsrapport, type Utleveringsrapport } from './m10/utleveringsrapport.js';
import { ID_TYPE_HPR, msgHeadType, type HealthcareProfessional, type Organisation } from './msghead.js';
import { NS, XPATH_PREFIXES } from './namespaces.js';
import { choice, complex, opt, type InferItems } from './schema/complex-type.js';
import type { CodeListLookup, DecodeContext } from './schema/element-type.js';
import { childPath, xpathName } from './schema/xpath.js';
import { parseXml, type ParseXmlOptions } from './xml/parse-xml.js';
import { serializeXml } from './xml/serialize-xml.js';

/** `RefDoc/Content` as this project reads it: an M1 Resept or an M10 Utleveringsrapport. */
export const ereseptContent = complex(NS.msgHead, [
  choice([opt('Resept', resept, { ns: NS.m1 }), opt('Utleveringsrapport', utleveringsrapport, { ns: NS.m10 })], 0),
]);

/** The `MsgHead` element type carrying e-resept content. */
export const ereseptMsgHead = msgHeadType(ereseptContent);

/** A decoded MsgHead with its documents. */
export type MsgHead = InferItems<typeof ereseptMsgHead.items>;

/** `MsgInfo/Type/@V` of an M1. */
export const MSG_TYPE_M1 = 'ERM1';
/** `MsgInfo/Type/@V` of an M10. */
export const MSG_TYPE_M10 = 'ERM10';

/** A read M1: the envelope, the prescription, and its ReseptId (= `MsgInfo/MsgId`). */
export interface M1Message {
  readonly msgHead: MsgHead;
  readonly resept: Resept;
  readonly reseptId: string;
}

/** A read M10: the envelope and the dispensing report. */
export interface M10Message {
  readonly msgHead: MsgHead;
  readonly utleveringsrapport: Utleveringsrapport;
}

/** Options for the readers. */
export interface ReadOptions extends ParseXmlOptions {
  /** Accept synthetic test person numbers (month + 80). Only in test environments. Default false. */
  readonly allowSyntheticIdentities?: boolean;
  /** Code lists for coded values; default: the project's `profiles/terminology`. */
  readonly codeLists?: CodeListLookup;
}

/** Result of a read: the message with any warnings, or every problem found. */
export type ReadResult<M> =
  | { readonly ok: true; readonly message: M; readonly issues: readonly EreseptIssue[] }
  | { readonly ok: false; readonly issues: readonly EreseptIssue[] };

const ROOT_PATH = `/${xpathName(NS.msgHead, 'MsgHead')}`;
const MSG_INFO_PATH = childPath(ROOT_PATH, NS.msgHead, 'MsgInfo');
const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

const KNOWN_TYPES: Record<string, string> = {
  [MSG_TYPE_M1]: 'an M1 Resept',
  [MSG_TYPE_M10]: 'an M10 Utleveringsrapport',
};

function readMsgHead(input: string | Uint8Array, options: ReadOptions): { msgHead?: MsgHead; collector: IssueCollector } {
  const collector = new IssueCollector();
  const parsed = parseXml(input, options);
  if (!parsed.ok) {
    collector.issues.push(...parsed.issues);
    return { collector };
  }
  const root = parsed.root;
  if (root.ns !== NS.msgHead || root.local !== 'MsgHead') {
    collector.error('structure', `/${xpathName(root.ns, root.local)}`, `the root element must be MsgHead in namespace ${NS.msgHead}; found ${root.local} in ${root.ns ? `namespace ${root.ns}` : 'no namespace'}`);
    return { collector };
  }
  const ctx: DecodeContext = {
    issues: collector,
    codeLists: options.codeLists ?? defaultCodeLists(),
    allowSyntheticIdentities: options.allowSyntheticIdentities ?? false,
  };
  const msgHead = ereseptMsgHead.decode(root, ROOT_PATH, ctx);
  return { msgHead, collector };
}

function documentPath(index: number, local: string, ns: string): string {
  const doc = childPath(ROOT_PATH, NS.msgHead, 'Document', index + 1);
  return childPath(childPath(childPath(doc, NS.msgHead, 'RefDoc'), NS.msgHead, 'Content'), ns, local);
}

/** Checks the message type and finds the one document of the expected kind. */
function expectDocument<K extends 'resept' | 'utleveringsrapport'>(
  msgHead: MsgHead,
  type: string,
  key: K,
  local: string,
  ns: string,
  issues: IssueCollector,
): NonNullable<NonNullable<MsgHead['document'][number]['refDoc']['content']>[K]> | undefined {
  const actual = msgHead.msgInfo.type.v;
  if (actual !== type) {
    const what = (actual && KNOWN_TYPES[actual]) ?? `message type "${actual ?? ''}"`;
    issues.error('business-rule', `${childPath(MSG_INFO_PATH, NS.msgHead, 'Type')}/@V`, `expected ${KNOWN_TYPES[type]} (${type}), but this is ${what}`);
    return undefined;
  }
  const found = msgHead.document.map((d) => d.refDoc.content?.[key]);
  const index = found.findIndex((d) => d !== undefined);
  if (index < 0) {
    issues.error('required', documentPath(0, local, ns), `the message carries no ${xpathName(ns, local)} document`);
    return undefined;
  }
  if (found.filter((d) => d !== undefined).length > 1) {
    issues.error('structure', documentPath(found.lastIndexOf(found[index]), local, ns), `the message carries more than one ${local}`);
  }
  return found[index] as NonNullable<NonNullable<MsgHead['document'][number]['refDoc']['content']>[K]>;
}

function hasHprIdent(org: Organisation | undefined): boolean {
  if (!org) return false;
  const hp: HealthcareProfessional | undefined = org.healthcareProfessional;
  if (hp?.ident.some((i) => i.typeId.v === ID_TYPE_HPR)) return true;
  return hasHprIdent(org.organisation);
}

function finish<M>(collector: IssueCollector, build: () => M | undefined): ReadResult<M> {
  const message = collector.errorCount === 0 ? build() : undefined;
  if (message === undefined || collector.errorCount > 0) {
    const sorted = [...collector.issues].sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1));
    return { ok: false, issues: sorted };
  }
  return { ok: true, message, issues: collector.issues };
}

function m1Of(msgHead: MsgHead | undefined, collector: IssueCollector): M1Message | undefined {
  if (!msgHead) return undefined;
  const r = expectDocument(msgHead, MSG_TYPE_M1, 'resept', 'Resept', NS.m1, collector);
  const reseptId = msgHead.msgInfo.msgId.trim();
  if (!UUID.test(reseptId)) {
    collector.error('value', childPath(MSG_INFO_PATH, NS.msgHead, 'MsgId'), `the MsgId of an M1 is its ReseptId and must be a UUID; found "${reseptId.slice(0, 60)}"`);
  }
  if (!msgHead.msgInfo.patient) {
    collector.error('required', childPath(MSG_INFO_PATH, NS.msgHead, 'Patient'), 'an M1 must name the patient');
  }
  if (!hasHprIdent(msgHead.msgInfo.sender.organisation)) {
    collector.error('required', `${childPath(childPath(MSG_INFO_PATH, NS.msgHead, 'Sender'), NS.msgHead, 'Organisation')}//mh:HealthcareProfessional/mh:Ident`, 'an M1 must identify the prescriber (HealthcareProfessional) by HPR number');
  }
  return r && { msgHead, resept: r, reseptId };
}

function m10Of(msgHead: MsgHead | undefined, collector: IssueCollector): M10Message | undefined {
  if (!msgHead) return undefined;
  const u = expectDocument(msgHead, MSG_TYPE_M10, 'utleveringsrapport', 'Utleveringsrapport', NS.m10, collector);
  return u && { msgHead, utleveringsrapport: u };
}

/**
 * Reads and validates an M1 Resept message (structure, types, code-system OIDs, identity numbers and
 * M1 rules: ERM1 type, UUID MsgId, a patient, a prescriber with HPR number).
 * @param input the MsgHead XML as text or bytes
 */
export function readM1(input: string | Uint8Array, options: ReadOptions = {}): ReadResult<M1Message> {
  const { msgHead, collector } = readMsgHead(input, options);
  return finish(collector, () => m1Of(msgHead, collector));
}

/**
 * Reads and validates an M10 Utleveringsrapport message.
 * @param input the MsgHead XML as text or bytes
 */
export function readM10(input: string | Uint8Array, options: ReadOptions = {}): ReadResult<M10Message> {
  const { msgHead, collector } = readMsgHead(input, options);
  return finish(collector, () => m10Of(msgHead, collector));
}

/** An M1 or an M10, told apart by `MsgInfo/Type`. */
export type EreseptMessage = ({ readonly kind: 'M1' } & M1Message) | ({ readonly kind: 'M10' } & M10Message);

/**
 * Reads an M1 or an M10, whichever `MsgInfo/Type/@V` says it is (any other type is read as an M1 and
 * refused with a clear issue).
 */
export function readEresept(input: string | Uint8Array, options: ReadOptions = {}): ReadResult<EreseptMessage> {
  const { msgHead, collector } = readMsgHead(input, options);
  return finish(collector, (): EreseptMessage | undefined => {
    if (msgHead?.msgInfo.type.v === MSG_TYPE_M10) {
      const m10 = m10Of(msgHead, collector);
      return m10 && { kind: 'M10', ...m10 };
    }
    const m1 = m1Of(msgHead, collector);
    return m1 && { kind: 'M1', ...m1 };
  });
}

/** Like {@link readM1}, but throws {@link EreseptReadError} with every issue when the message has errors. */
export function readM1OrThrow(input: string | Uint8Array, options: ReadOptions = {}): M1Message {
  const r = readM1(input, options);
  if (!r.ok) throw new EreseptReadError(r.issues);
  return r.message;
}

/** Like {@link readM10}, but throws {@link EreseptReadError} with every issue when the message has errors. */
export function readM10OrThrow(input: string | Uint8Array, options: ReadOptions = {}): M10Message {
  const r = readM10(input, options);
  if (!r.ok) throw new EreseptReadError(r.issues);
  return r.message;
}

/** Prefixes this project writes: MsgHead as the default namespace, the rest as in XPaths. */
const WRITE_PREFIXES: Record<string, string> = { ...XPATH_PREFIXES, [NS.msgHead]: '' };

/**
 * Writes a MsgHead (with its M1 or M10 document) as XML, in schema order, UTF-8.
 * @param msgHead e.g. `readM1(xml).message.msgHead`, or one built by a conversion
 */
export function writeMsgHead(msgHead: MsgHead): string {
  return serializeXml(ereseptMsgHead.encode(msgHead, NS.msgHead, 'MsgHead'), { prefixes: WRITE_PREFIXES });
}
