/**
 * XPaths for issues: conventional prefixes (see `XPATH_PREFIXES`) and 1-based positions on repeatable elements.
 */
import { XPATH_PREFIXES } from '../namespaces.js';

/** The qualified name of an element for an XPath, e.g. `m1:Resept`, or `{urn:x}a` for an unknown namespace. */
export function xpathName(ns: string, local: string): string {
  const prefix = XPATH_PREFIXES[ns];
  if (prefix !== undefined) return `${prefix}:${local}`;
  return ns === '' ? local : `*[local-name()='${local}' and namespace-uri()='${ns}']`;
}

/** The XPath of a child step; `position` is added for elements that may repeat. */
export function childPath(parent: string, ns: string, local: string, position?: number): string {
  return `${parent}/${xpathName(ns, local)}${position === undefined ? '' : `[${position}]`}`;
}
