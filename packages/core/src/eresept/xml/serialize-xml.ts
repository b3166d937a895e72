/**
 * Writes a namespace-resolved {@link XmlElement} tree as XML text. Every namespace used in the tree is
 * declared once on the root element, with the caller's preferred prefixes.
 */
import { XMLBuilder } from 'fast-xml-parser';
import type { XmlElement } from './xml-tree.js';

/** Options for {@link serializeXml}. */
export interface SerializeXmlOptions {
  /** Namespace URI → prefix; '' makes it the default namespace. Unknown namespaces get `ns1`, `ns2`, …. */
  readonly prefixes: Readonly<Record<string, string>>;
  /** Indent with two spaces (default true): M10 reports are read by people too. */
  readonly pretty?: boolean;
}

const XML_NS = 'http://www.w3.org/XML/1998/namespace';

/** One indentation step of pretty output. */
const INDENT = '  ';

function makeBuilder(format: boolean): XMLBuilder {
  return new XMLBuilder({
    preserveOrder: true,
    ignoreAttributes: false,
    attributeNamePrefix: '',
    processEntities: true,
    suppressEmptyNode: true,
    format,
    indentBy: INDENT,
  });
}

// Pretty output comes from the builder's own `format` option, except when the tree holds verbatim content
// (a kept `ds:Signature`): `format` indents inside every element, so then the indentation is added around
// that content by toFxp instead. Only then: as text nodes it costs the builder a third more time.
const formattingBuilder = makeBuilder(true);
const plainBuilder = makeBuilder(false);

function hasVerbatim(node: XmlElement): boolean {
  return node.verbatim === true || node.children.some((c) => c.kind === 'element' && hasVerbatim(c));
}

function collectNamespaces(node: XmlElement, into: Set<string>): void {
  into.add(node.ns);
  for (const a of node.attributes) if (a.ns !== '' && a.ns !== XML_NS) into.add(a.ns);
  for (const c of node.children) if (c.kind === 'element') collectNamespaces(c, into);
}

type FxpNode = Record<string, unknown>;

/**
 * The builder's node for `node`. `indent` is the indentation of the element's own line when toFxp adds
 * the indentation; undefined when it adds none: when the builder formats, inside verbatim content, and
 * inside elements that hold text (whose whitespace is part of the value).
 */
function toFxp(node: XmlElement, prefixOf: ReadonlyMap<string, string>, indent: string | undefined, rootDeclarations?: Record<string, string>): FxpNode {
  const qualify = (ns: string, local: string) => {
    if (ns === XML_NS) return `xml:${local}`;
    const p = prefixOf.get(ns);
    return p ? `${p}:${local}` : local;
  };
  const attrs: Record<string, string> = { ...rootDeclarations };
  for (const a of node.attributes) attrs[a.ns === '' ? a.local : qualify(a.ns, a.local)] = a.value;
  // Element-only content is indented one step deeper; anything else is written as it is.
  const inner = indent !== undefined && !node.verbatim && node.children.length > 0 && node.children.every((c) => c.kind === 'element')
    ? indent + INDENT
    : undefined;
  const children: FxpNode[] = [];
  for (const c of node.children) {
    if (inner !== undefined) children.push({ '#text': `\n${inner}` });
    children.push(c.kind === 'text' ? { '#text': c.text } : toFxp(c, prefixOf, inner));
  }
  if (inner !== undefined) children.push({ '#text': `\n${indent}` });
  const out: FxpNode = { [qualify(node.ns, node.local)]: children };
  if (Object.keys(attrs).length > 0) out[':@'] = attrs;
  return out;
}

/**
 * Serialises a tree with an XML declaration (UTF-8).
 * @example serializeXml(element('urn:x', 'a'), { prefixes: { 'urn:x': '' } }) // '<?xml …?>\n<a xmlns="urn:x"/>'
 */
export function serializeXml(root: XmlElement, options: SerializeXmlOptions): string {
  const used = new Set<string>();
  collectNamespaces(root, used);
  const prefixOf = new Map<string, string>();
  const declarations: Record<string, string> = {};
  let generated = 0;
  for (const ns of used) {
    if (ns === '') continue;
    let prefix = options.prefixes[ns];
    // An element in no namespace needs the default namespace free.
    if (prefix === undefined || (prefix === '' && used.has(''))) prefix = `ns${++generated}`;
    prefixOf.set(ns, prefix);
    declarations[prefix === '' ? 'xmlns' : `xmlns:${prefix}`] = ns;
  }
  const pretty = options.pretty ?? true;
  const indentHere = pretty && hasVerbatim(root);
  const builder = pretty && !indentHere ? formattingBuilder : plainBuilder;
  const body = builder.build([toFxp(root, prefixOf, indentHere ? '' : undefined, declarations)]) as string;
  return `<?xml version="1.0" encoding="UTF-8"?>\n${body.trim()}\n`;
}
