/**
 * Where things are in a read M1, as model paths from the MsgHead (for conversion reports, rendered as
 * XPath through the message description).
 */
import { ereseptMsgHead, type M1Message, type MsgHead } from '../eresept/messages.js';
import { NS } from '../eresept/namespaces.js';
import { ModelXPathRenderer } from '../eresept/schema/model-xpath.js';
import { xpathName } from '../eresept/schema/xpath.js';
import type { ConversionReport, PathRenderer, SourcePath } from './report.js';

const MSG_HEAD_XPATH = `/${xpathName(NS.msgHead, 'MsgHead')}`;

/** A renderer of model paths below the MsgHead as XPaths, for one conversion's report. */
export function msgHeadXPath(): PathRenderer {
  const renderer = new ModelXPathRenderer(ereseptMsgHead, MSG_HEAD_XPATH);
  return { kind: 'xpath', render: (path) => renderer.render(path) };
}

/**
 * True for an element the reader keeps as it is (e.g. `ds:Signature`, `OtherReceiver`): the report's sweep
 * counts it as one field instead of walking into its XML tree. Decoded values are plain objects, so a
 * property read is enough (and cheaper than an `in` test on every value the sweep visits).
 */
function isKeptXmlElement(value: object): boolean {
  return (value as { kind?: unknown }).kind === 'element';
}

/** The model path of a document (`resept` or `utleveringsrapport`) inside its MsgHead. */
export function contentPath<K extends 'resept' | 'utleveringsrapport'>(msgHead: MsgHead, key: K, document: unknown): SourcePath {
  const index = msgHead.document.findIndex((d) => d.refDoc.content?.[key] === document);
  return ['document', Math.max(index, 0), 'refDoc', 'content', key];
}

/** The model path of the Resept inside its MsgHead. */
export function reseptPath(m1: M1Message): SourcePath {
  return contentPath(m1.msgHead, 'resept', m1.resept);
}

/** Why a message's `ds:Signature` is never carried over. */
export const SIGNATURE_NOT_CARRIED = "the sender's XML signature covers the Norwegian message only; it cannot sign the converted Bundle";

/**
 * The final sweep of a conversion from a MsgHead: its signature, when it has one, is reported with its own
 * reason; every other field the conversion did not mention with `reason`. Kept XML elements count as one
 * field each.
 */
export function sweepMsgHead(msgHead: MsgHead, report: ConversionReport, reason: string): void {
  if (msgHead.signature) report.notCarried(['signature'], SIGNATURE_NOT_CARRIED);
  report.sweep(msgHead, [], reason, isKeptXmlElement);
}
