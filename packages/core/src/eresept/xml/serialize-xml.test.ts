import { serializeXml } from './serialize-xml.js';
import { element, text, type XmlElement } from './xml-tree.js';

const NS = 'urn:test';
const prefixes = { [NS]: '' };
const leaf = (local: string, value: string) => element(NS, local, [text(value)]);
/** An ordinary tree: element-only content two levels deep, text leaves, an empty element. */
const tree = (extra: XmlElement[] = []) =>
  element(NS, 'Rot', [element(NS, 'Info', [leaf('Id', 'a&b'), element(NS, 'Tom')]), leaf('Dato', '2024-06-11'), ...extra]);
/** Content kept as it was read: one line, no whitespace between its elements. */
const kept: XmlElement = { ...element(NS, 'Kept', [element(NS, 'A', [text('x < y')]), element(NS, 'B', [], [{ ns: '', local: 'V', value: '1' }])]), verbatim: true };

describe('serializeXml', () => {
  it('indents element-only content by two spaces and keeps text values as they are', () => {
    expect(serializeXml(tree(), { prefixes })).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n<Rot xmlns="urn:test">\n  <Info>\n    <Id>a&amp;b</Id>\n    <Tom/>\n  </Info>\n  <Dato>2024-06-11</Dato>\n</Rot>\n',
    );
  });

  it('writes verbatim content byte for byte, and indents everything around it as before', () => {
    const plain = serializeXml(tree(), { prefixes });
    const withKept = serializeXml(tree([kept]), { prefixes });
    expect(withKept).toBe(plain.replace('\n</Rot>', '\n  <Kept><A>x &lt; y</A><B V="1"/></Kept>\n</Rot>'));
  });

  it('writes one line when pretty is off', () => {
    expect(serializeXml(tree([kept]), { prefixes, pretty: false })).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n<Rot xmlns="urn:test"><Info><Id>a&amp;b</Id><Tom/></Info><Dato>2024-06-11</Dato><Kept><A>x &lt; y</A><B V="1"/></Kept></Rot>\n',
    );
  });
});
