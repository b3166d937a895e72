import { parseXml } from './parse-xml.js';
import { textContent, attributeValue, childElements, type XmlElement } from './xml-tree.js';

function root(input: string | Uint8Array): XmlElement {
  const r = parseXml(input);
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.root;
}

describe('parseXml', () => {
  it('resolves namespaces by URI, default and prefixed, with redeclaration', () => {
    const el = root('<a xmlns="urn:one" xmlns:p="urn:two"><p:b/><c xmlns="urn:three"><p:d/></c></a>');
    const [b, c] = childElements(el);
    expect([el.ns, b?.ns, c?.ns, childElements(c!)[0]?.ns]).toEqual(['urn:one', 'urn:two', 'urn:three', 'urn:two']);
  });

  it('gives each element exactly its own attributes: namespace declarations left out, prefixes resolved', () => {
    const el = root('<a xmlns="urn:one" xmlns:x="urn:xsi" V="1" x:type="T"><b/><c S="2.16" DN="Ja"/><d xmlns:y="urn:y"/></a>');
    const [b, c, d] = childElements(el);
    expect(el.attributes).toEqual([{ ns: '', local: 'V', value: '1' }, { ns: 'urn:xsi', local: 'type', value: 'T' }]);
    expect(b?.attributes).toEqual([]);
    expect(c?.attributes).toEqual([{ ns: '', local: 'S', value: '2.16' }, { ns: '', local: 'DN', value: 'Ja' }]);
    expect(d?.attributes).toEqual([]);
  });

  it('refuses a prefix bound to the xmlns namespace (so a namespace declaration is told by its name)', () => {
    const r = parseXml('<a xmlns:p="http://www.w3.org/2000/xmlns/" p:V="1"/>');
    expect(!r.ok && r.issues[0]?.code).toBe('malformed');
  });

  it('decodes entity and character references in one pass', () => {
    const el = root('<a V="&quot;x&#65;&#x42;&amp;"><b>&lt;&amp;amp;&#229;</b></a>');
    expect(attributeValue(el, 'V')).toBe('"xAB&');
    expect(textContent(childElements(el)[0]!)).toBe('<&amp;å');
  });

  it('keeps CDATA as text and values as strings (leading zeros stay)', () => {
    const el = root('<a><b><![CDATA[x < y]]></b><c>0100000</c></a>');
    const [b, c] = childElements(el);
    expect(textContent(b!)).toBe('x < y');
    expect(textContent(c!)).toBe('0100000');
  });

  it('decodes bytes in the declared encoding, UTF-8 by default, and skips a BOM', () => {
    const latin1 = Buffer.from('<?xml version="1.0" encoding="ISO-8859-1"?><a>Bodø</a>', 'latin1');
    expect(textContent(root(latin1))).toBe('Bodø');
    const utf8 = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('<a>Tromsø</a>', 'utf8')]);
    expect(textContent(root(utf8))).toBe('Tromsø');
  });

  it('decodes UTF-16 by its byte order mark, little- and big-endian', () => {
    const xml = '<?xml version="1.0" encoding="UTF-16"?><a xmlns="urn:x">Besøk</a>';
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(xml, 'utf16le')]);
    const be = Buffer.from(le);
    be.swap16();
    for (const bytes of [le, be]) {
      const r = parseXml(bytes);
      expect(r.ok && r.root.children).toEqual([{ kind: 'text', text: 'Besøk' }]);
    }
  });

  it('refuses an unknown encoding name with a clear issue', () => {
    const r = parseXml(Buffer.from('<?xml version="1.0" encoding="x-klingon"?><a/>'));
    expect(r.ok).toBe(false);
    expect(!r.ok && r.issues[0]).toMatchObject({ code: 'malformed', xpath: '/' });
  });

  it('refuses a character reference to a non-character', () => {
    const r = parseXml('<a>&#0;</a>');
    expect(!r.ok && r.issues[0]?.code).toBe('malformed');
  });

  it('keeps every piece of text exactly, indentation included (one shared node per indentation)', () => {
    const el = root('<a>\n  <b/>\n  <c> x </c>\n\t<d/>\n</a>');
    const texts = el.children.filter((c) => c.kind === 'text');
    expect(texts.map((t) => t.kind === 'text' && t.text)).toEqual(['\n  ', '\n  ', '\n\t', '\n']);
    expect(texts[0]).toBe(texts[1]);
    expect(Object.isFrozen(texts[0])).toBe(true);
    expect(textContent(childElements(el)[1]!)).toBe(' x ');
  });

  it('says of each element whether it holds text other than the usual indentation', () => {
    const el = root('<a>\n  <b/>\n  <c> x </c>\n  <d>\n    <e/>\n  </d>\n  <f>\t<g/></f>\n</a>');
    const [b, c, d, f] = childElements(el);
    expect([el, b, c, d, f].map((e) => e!.otherText)).toEqual([false, false, true, false, true]);
  });

  it('refuses nesting deeper than maxDepth', () => {
    const r = parseXml(`${'<a>'.repeat(10)}${'</a>'.repeat(10)}`, { maxDepth: 5 });
    expect(!r.ok && r.issues[0]?.code).toBe('too-costly');
  });
});
