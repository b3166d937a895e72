/**
 * Test helper: every place in an XML message that carries data (elements with text, attributes), as
 * XPaths with the project's prefixes, to prove that a conversion report accounts for each.
 */
import { NS } from '../eresept/namespaces.js';
import { parseXml } from '../eresept/xml/parse-xml.js';
import { childElements, textContent, type XmlElement } from '../eresept/xml/xml-tree.js';
import { xpathName } from '../eresept/schema/xpath.js';

/** Positions `[1]` are dropped, so that single and first occurrences compare equal. */
export function normaliseXPath(xpath: string): string {
  return xpath.replace(/\[1\]/g, '');
}

/** The XPath of every data-bearing leaf of a message (normalised). */
export function xmlLeaves(xml: string): string[] {
  const parsed = parseXml(xml);
  if (!parsed.ok) throw new Error('fixture must parse');
  const out: string[] = [];
  const walk = (el: XmlElement, path: string) => {
    // xsi:* (schemaLocation, type) describe the instance, not its content; the reader does not keep them.
    for (const a of el.attributes) if (a.ns !== NS.xsi) out.push(normaliseXPath(`${path}/@${a.local}`));
    const kids = childElements(el);
    if (kids.length === 0 && textContent(el).trim() !== '') out.push(normaliseXPath(path));
    const seen = new Map<string, number>();
    for (const k of kids) {
      const name = xpathName(k.ns, k.local);
      const n = (seen.get(name) ?? 0) + 1;
      seen.set(name, n);
      walk(k, `${path}/${name}[${n}]`);
    }
  };
  walk(parsed.root, `/${xpathName(parsed.root.ns, parsed.root.local)}`);
  return out;
}

/** True when `leaf` is at or below one of `locations`. */
export function accountedFor(leaf: string, locations: readonly string[]): boolean {
  return locations.some((l) => {
    const n = normaliseXPath(l);
    return leaf === n || leaf.startsWith(`${n}/`);
  });
}
