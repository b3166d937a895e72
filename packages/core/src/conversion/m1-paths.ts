/**
 * Where things are in a read M1, as model paths from the MsgHead (for conversion reports, rendered as
 * XPath through the message description).
 */
import { ereseptMsgHead, type M1Message, type MsgHead } from '../eresept/messages.js';
import { NS } from '../eresept/namespaces.js';
import { modelPathToXPath } from '../eresept/schema/model-xpath.js';
import { xpathName } from '../eresept/schema/xpath.js';
import type { PathRenderer, SourcePath } from './report.js';

/** Renders model paths below the MsgHead as XPaths. */
export const msgHeadXPath: PathRenderer = {
  kind: 'xpath',
  render: (path) => modelPathToXPath(ereseptMsgHead, `/${xpathName(NS.msgHead, 'MsgHead')}`, path),
};

/** The model path of a document (`resept` or `utleveringsrapport`) inside its MsgHead. */
export function contentPath<K extends 'resept' | 'utleveringsrapport'>(msgHead: MsgHead, key: K, document: unknown): SourcePath {
  const index = msgHead.document.findIndex((d) => d.refDoc.content?.[key] === document);
  return ['document', Math.max(index, 0), 'refDoc', 'content', key];
}

/** The model path of the Resept inside its MsgHead. */
export function reseptPath(m1: M1Message): SourcePath {
  return contentPath(m1.msgHead, 'resept', m1.resept);
}
