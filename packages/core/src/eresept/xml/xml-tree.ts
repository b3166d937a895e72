/**
 * A namespace-resolved XML tree: what the e-resept codec reads from and writes to.
 * Elements carry their namespace URI; prefixes are gone after parsing and chosen anew when writing.
 */

/** An attribute; `ns` is '' for the usual unqualified attributes (V, S, DN, U, OT). */
export interface XmlAttribute {
  readonly ns: string;
  readonly local: string;
  readonly value: string;
}

/** Character data (text and CDATA, entity references decoded). */
export interface XmlText {
  readonly kind: 'text';
  readonly text: string;
}

/** An element with its namespace URI ('' when in no namespace). */
export interface XmlElement {
  readonly kind: 'element';
  readonly ns: string;
  readonly local: string;
  readonly attributes: readonly XmlAttribute[];
  readonly children: readonly XmlNode[];
  /**
   * Written exactly as it is, with no indentation added anywhere inside (content kept as it was read,
   * e.g. a `ds:Signature`, whose signed bytes must not change).
   */
  readonly verbatim?: boolean;
  /**
   * Set by the parser: false when every text child is the usual indentation between elements, true when
   * some other text was read; undefined for elements built in code. A reader of element-only content looks
   * for stray text only when it is not false (most complex elements of a message have only indentation).
   */
  readonly otherText?: boolean;
}

/** A node of the tree. Comments and processing instructions are not kept. */
export type XmlNode = XmlElement | XmlText;

/** Builds an element node. */
export function element(
  ns: string,
  local: string,
  children: readonly XmlNode[] = [],
  attributes: readonly XmlAttribute[] = [],
): XmlElement {
  return { kind: 'element', ns, local, attributes, children };
}

/** Builds a text node. */
export function text(value: string): XmlText {
  return { kind: 'text', text: value };
}

/** The indentation between elements as messages are usually written, by length: a line feed and spaces. */
const INDENTS: readonly string[] = Array.from({ length: 64 }, (_, n) => (n === 0 ? '' : `\n${' '.repeat(n - 1)}`));
/** One shared, frozen text node per indentation: a message has a hundred of them. */
const INDENT_NODES: readonly XmlText[] = INDENTS.map((indent) => Object.freeze(text(indent)));

/** True when `value` is one of {@link INDENTS}: compared whole, which V8 does much faster than a loop over its characters. */
function isUsualIndent(value: string): boolean {
  return value.length < INDENTS.length && value === INDENTS[value.length];
}

/**
 * The shared text node of the usual indentation `value` (the same text, not a copy per occurrence), or
 * undefined when `value` is other text.
 * @example indentNode('\n  ') === indentNode('\n  ') // true: one shared node
 */
export function indentNode(value: string): XmlText | undefined {
  return isUsualIndent(value) ? INDENT_NODES[value.length] : undefined;
}

/** The element children of a node, in order. */
export function childElements(node: XmlElement): XmlElement[] {
  const out: XmlElement[] = [];
  for (const c of node.children) if (c.kind === 'element') out.push(c);
  return out;
}

/** The concatenated character data directly inside an element. */
export function textContent(node: XmlElement): string {
  const children = node.children;
  // Nearly always one text node: returned as it is, without a concatenation.
  if (children.length === 1 && children[0]!.kind === 'text') return children[0]!.text;
  let s = '';
  for (let i = 0; i < children.length; i++) {
    const c = children[i]!;
    if (c.kind === 'text') s += c.text;
  }
  return s;
}

/**
 * True when `text` is empty or only whitespace as `String.prototype.trim` sees it (the indentation between
 * elements). Indentation is plain ASCII, checked here without the string copy `trim()` makes; anything
 * else is left to `trim()` itself, so the answer is always the same as `text.trim() === ''`.
 */
export function isBlank(text: string): boolean {
  if (isUsualIndent(text)) return true;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return c > 0x7e || c === 0x0b || c === 0x0c ? text.trim() === '' : false;
  }
  return true;
}

/** The value of an unqualified attribute, if present. */
export function attributeValue(node: XmlElement, local: string): string | undefined {
  for (const a of node.attributes) if (a.ns === '' && a.local === local) return a.value;
  return undefined;
}
