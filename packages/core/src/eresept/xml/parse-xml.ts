/**
 * Parses untrusted XML bytes into a namespace-resolved {@link XmlElement} tree, safely: bounded size and
 * depth, no DOCTYPE (so no entity expansion and no external entities), no network or file access, strict
 * well-formedness, and every failure reported as an issue rather than thrown.
 *
 * The parser is saxes: a conformant, namespace-aware, non-validating XML parser that checks
 * well-formedness in the same single pass that builds the tree (fast-xml-parser needs a second,
 * separate validation pass for that; see docs/PERFORMANCE.md).
 */
import { SaxesParser, type SaxesAttributeNS } from 'saxes';
import type { EreseptIssue } from '../issues.js';
import { NS } from '../namespaces.js';
import { indentNode, type XmlAttribute, type XmlElement, type XmlNode } from './xml-tree.js';

/** Limits for {@link parseXml}. */
export interface ParseXmlOptions {
  /** Largest accepted message in bytes. Default 2 MiB: an M1 is about 5–15 KB. */
  readonly maxBytes?: number;
  /** Deepest accepted element nesting. Default 64: e-resept messages nest about 12 deep. */
  readonly maxDepth?: number;
}

/** The parsed root element, or the problems that stopped parsing. */
export type ParseXmlResult =
  | { readonly ok: true; readonly root: XmlElement }
  | { readonly ok: false; readonly issues: readonly EreseptIssue[] };

/** Default size limit of {@link ParseXmlOptions.maxBytes}. */
export const DEFAULT_MAX_MESSAGE_BYTES = 2 * 1024 * 1024;
const DEFAULT_MAX_DEPTH = 64;
/** The attributes of the many elements that have none: one shared empty list. */
const NO_ATTRIBUTES: readonly XmlAttribute[] = Object.freeze([]);

/** `<!DOCTYPE` or `<!ENTITY` anywhere: one regex pass costs a seventh of two `includes` scans. */
const DTD_MARKUP = /<!(?:DOCTYPE|ENTITY)/;

/** The e-resept namespace URIs, mapped to the very string objects the schema descriptions compare against. */
const KNOWN_NAMESPACES: ReadonlyMap<string, string> = new Map(Object.values(NS).map((uri) => [uri, uri]));

function issue(code: EreseptIssue['code'], message: string): ParseXmlResult {
  return { ok: false, issues: [{ severity: 'error', code, xpath: '/', message }] };
}

/** Reads the encoding from the XML declaration; defaults to UTF-8 as XML does. */
function declaredEncoding(head: string): string {
  const m = /^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(head);
  return (m?.[1] ?? 'utf-8').toLowerCase();
}

/** The UTF-16 encoding a byte order mark names (XML 1.0 §4.3.3: UTF-16 documents begin with one). */
function utf16ByBom(bytes: Uint8Array): string | undefined {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  return undefined;
}

function decodeBytes(bytes: Uint8Array): string {
  // fatal: invalid byte sequences are an error, never silently replaced.
  const utf16 = utf16ByBom(bytes);
  if (utf16) return new TextDecoder(utf16, { fatal: true }).decode(bytes);
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 200));
  return new TextDecoder(declaredEncoding(head), { fatal: true }).decode(bytes);
}

/**
 * The attributes of an element in a list of exactly their number: a list grown by `push` would take V8's
 * first capacity of 17 slots for the one to four attributes an element has. Their namespaces are resolved
 * by now (saxes resolves them before `opentag`).
 */
function attributesOf(pending: readonly SaxesAttributeNS[], count: number): readonly XmlAttribute[] {
  const list = new Array<XmlAttribute>(count);
  for (let i = 0; i < count; i++) {
    const a = pending[i]!;
    list[i] = { ns: a.uri, local: a.local, value: a.value };
  }
  return list;
}

/**
 * A namespace declaration (XML Names: the attribute `xmlns` or one prefixed `xmlns:`), which the tree does
 * not keep as an attribute. Told by name when saxes announces the attribute (no other prefix may be bound to
 * the xmlns namespace; saxes refuses a document that tries).
 */
function isNamespaceDeclaration(a: { readonly prefix: string; readonly name: string }): boolean {
  return a.prefix === 'xmlns' || a.name === 'xmlns';
}

/** Raised from inside the parser's callbacks to stop it with a specific issue. */
class Stop extends Error {
  constructor(
    readonly code: EreseptIssue['code'],
    message: string,
  ) {
    super(message);
  }
}

/** An element while its children are still being added: its list is replaced by a new one on the first. */
type Building = XmlElement & { children: readonly XmlNode[]; otherText: boolean };

/**
 * The children of an element that has none yet: shared, so that the many leaf elements do not each get an
 * empty array which their one text node would grow to V8's first capacity of 17 slots.
 */
const NO_CHILDREN: readonly XmlNode[] = Object.freeze([]);

function addChild(parent: Building, node: XmlNode): void {
  if (parent.children === NO_CHILDREN) parent.children = [node];
  else (parent.children as XmlNode[]).push(node);
}

function buildTree(xml: string, maxDepth: number): XmlElement {
  const parser = new SaxesParser({ xmlns: true, position: true });
  const stack: Building[] = [];
  let root: Building | undefined;
  // Elements get the schema's own namespace strings, so that the decoder's many namespace comparisons
  // are pointer comparisons instead of comparing some 45 characters each. saxes hands out one string
  // object per namespace declaration, so this per-message map is looked up by identity.
  const namespaces = new Map<string, string>();
  let lastUri = '';
  let lastNs = '';
  const namespaceOf = (uri: string): string => {
    // Siblings usually share their namespace: the last answer is checked before the map.
    if (uri === lastUri) return lastNs;
    let ns = namespaces.get(uri);
    if (ns === undefined) {
      ns = KNOWN_NAMESPACES.get(uri) ?? uri;
      namespaces.set(uri, ns);
    }
    lastUri = uri;
    lastNs = ns;
    return ns;
  };
  // Six handlers at most: saxes stores each as a property of the parser, and a seventh turns the parser
  // into a slow dictionary-mode object (every parse about four times slower). There is no `doctype`
  // handler: parseXml refuses any DOCTYPE before parsing starts.
  //
  // Attributes are collected as saxes announces them (namespaces are resolved on the same objects before
  // `opentag`): walking `tag.attributes`, a dictionary-mode object, cost more than the rest of the tree.
  // The list is reused from element to element (setting its length to 0 would let V8 drop its storage).
  const pending: SaxesAttributeNS[] = [];
  let pendingCount = 0;
  parser.on('attribute', (a) => {
    if (!isNamespaceDeclaration(a)) pending[pendingCount++] = a as SaxesAttributeNS;
  });
  parser.on('opentag', (tag) => {
    if (stack.length >= maxDepth) throw new Stop('too-costly', `elements nest deeper than ${maxDepth} levels`);
    const attributes = pendingCount > 0 ? attributesOf(pending, pendingCount) : NO_ATTRIBUTES;
    pendingCount = 0;
    const el: Building = { kind: 'element', ns: namespaceOf(tag.uri), local: tag.local, attributes, children: NO_CHILDREN, otherText: false };
    const parent = stack[stack.length - 1];
    if (parent) addChild(parent, el);
    else root = el;
    stack.push(el);
  });
  parser.on('closetag', () => {
    stack.pop();
  });
  const addText = (text: string) => {
    // Whitespace outside the root element is allowed and meaningless.
    const parent = stack[stack.length - 1];
    if (!parent) return;
    const indent = indentNode(text);
    if (indent) {
      addChild(parent, indent);
    } else {
      parent.otherText = true;
      addChild(parent, { kind: 'text', text });
    }
  };
  parser.on('text', addText);
  parser.on('cdata', addText);
  parser.on('error', (e) => {
    throw new Stop('malformed', `not well-formed XML: ${e.message}`);
  });
  parser.write(xml).close();
  if (!root) throw new Stop('malformed', 'the message has no root element');
  return root;
}

/**
 * Parses an XML message into a namespace-resolved tree.
 * @param input the message as text, or as bytes (encoding from the XML declaration, UTF-8 by default)
 * @param options size and depth limits
 * @returns the root element, or issues (malformed, security, too-costly) at XPath `/`
 * @example parseXml('<a xmlns="urn:x"><b/></a>') // → { ok: true, root: { ns: 'urn:x', local: 'a', … } }
 */
export function parseXml(input: string | Uint8Array, options: ParseXmlOptions = {}): ParseXmlResult {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
  // A UTF-16 code unit is at most three bytes of UTF-8: a text that short cannot be too large, and the
  // exact count (a pass over the whole text) is left out.
  const size = typeof input !== 'string' ? input.byteLength : input.length * 3 <= maxBytes ? 0 : Buffer.byteLength(input, 'utf8');
  if (size > maxBytes) return issue('too-costly', `message is ${size} bytes; at most ${maxBytes} are accepted`);

  let xml: string;
  try {
    xml = typeof input === 'string' ? input : decodeBytes(input);
  } catch (e) {
    return issue('malformed', `message bytes cannot be decoded: ${(e as Error).message}`);
  }
  if (xml.charCodeAt(0) === 0xfeff) xml = xml.slice(1);
  // No e-resept message has a DTD; refusing it outright rules out entity expansion and external entities.
  if (DTD_MARKUP.test(xml)) {
    return issue('security', 'DOCTYPE and entity declarations are not allowed in e-resept messages');
  }
  try {
    return { ok: true, root: buildTree(xml, options.maxDepth ?? DEFAULT_MAX_DEPTH) };
  } catch (e) {
    if (e instanceof Stop) return issue(e.code, e.message);
    return issue('malformed', 'the message could not be parsed as XML');
  }
}
