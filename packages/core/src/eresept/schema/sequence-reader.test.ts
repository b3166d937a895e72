import { IssueCollector } from '../issues.js';
import { NS as NAMESPACES } from '../namespaces.js';
import { parseXml } from '../xml/parse-xml.js';
import { choice, complex, many, one, opt, oneOrMore } from './complex-type.js';
import type { CodeListLookup, DecodeContext } from './element-type.js';
import { xsInt, xsString } from './simple-types.js';
import { textElement } from './text-element.js';

// A namespace with an XPath prefix (m1), so that issues read as they do for messages.
const NS = NAMESPACES.m1;
const NO_CODE_LISTS: CodeListLookup = { contains: () => undefined, display: () => undefined };
const str = textElement(xsString);
const int = textElement(xsInt);

// A sequence with every kind of item the compiled reader writes code for.
const inner = complex(NS, [one('Id', str)]);
const type = complex(NS, [
  one('Name', str),
  opt('Age', int),
  many('Note', str, { max: 3 }),
  choice([opt('Phone', str), opt('Mail', str)]),
  oneOrMore('Part', inner),
  // A property name that is no JavaScript identifier: the generated code must quote it safely.
  opt('Odd', str, { key: 'odd "key" \\ \u2028' as const }),
], {
  check: (value, path, ctx) => {
    if (value.name === 'forbidden') ctx.issues.error('business-rule', `${path}/Name`, 'this name is not allowed');
  },
});

function read(body: string) {
  const parsed = parseXml(`<Root xmlns="${NS}">${body}</Root>`);
  if (!parsed.ok) throw new Error('test XML');
  const issues = new IssueCollector();
  const ctx: DecodeContext = { issues, codeLists: NO_CODE_LISTS, allowSyntheticIdentities: false };
  return { value: type.decode(parsed.root, '/Root', ctx), issues: issues.issues.map((i) => `${i.code} ${i.xpath}: ${i.message}`) };
}

describe('the compiled sequence reader', () => {
  it('reads every kind of item into its property, with indentation between elements', () => {
    const r = read('\n  <Name>Ola</Name>\n  <Age>42</Age>\n  <Note>a</Note>\n  <Note>b</Note>\n  <Mail>o@x.no</Mail>\n  <Part><Id>1</Id></Part>\n  <Part><Id>2</Id></Part>\n  <Odd>q</Odd>\n');
    expect(r.issues).toEqual([]);
    expect(r.value).toEqual({ name: 'Ola', age: 42, note: ['a', 'b'], mail: 'o@x.no', part: [{ id: '1' }, { id: '2' }], 'odd "key" \\ \u2028': 'q' });
  });

  it('leaves absent optional fields out and keeps one occurrence of a repeatable one in an array', () => {
    const r = read('<Name>Kari</Name><Phone>123</Phone><Part><Id>1</Id></Part>');
    expect(r.issues).toEqual([]);
    expect(r.value).toEqual({ name: 'Kari', phone: '123', part: [{ id: '1' }] });
  });

  it('names a missing required element, a missing choice and what was found in their place', () => {
    const r = read('<Age>1</Age><Part><Id>1</Id></Part>');
    expect(r.issues).toEqual([
      'required /Root/m1:Name: required element m1:Name is missing, found m1:Age',
      'required /Root/(m1:Phone | m1:Mail): one of m1:Phone | m1:Mail is required here, found m1:Part',
    ]);
  });

  it('gives each occurrence of a repeated element its position, and refuses one occurrence too many', () => {
    const r = read('<Name>x</Name><Note>1</Note><Note>2</Note><Note>3</Note><Note>4</Note><Mail>m</Mail><Part><Id/></Part>');
    expect(r.issues).toEqual([
      // Three notes are read; the fourth is where the choice and Part should be, and is itself left over.
      'required /Root/(m1:Phone | m1:Mail): one of m1:Phone | m1:Mail is required here, found m1:Note',
      'required /Root/m1:Part: required element m1:Part is missing, found m1:Note',
      'structure /Root/m1:Note: element m1:Note is not allowed here (unknown, repeated, or out of schema order)',
    ]);
    const empty = read('<Name>x</Name><Mail>m</Mail><Part><Id>1</Id></Part><Part></Part>');
    expect(empty.issues).toEqual(['required /Root/m1:Part[2]/m1:Id: required element m1:Id is missing']);
  });

  it('refuses elements out of order, unknown elements, stray text and attributes', () => {
    expect(read('<Age>1</Age><Name>x</Name><Mail>m</Mail><Part><Id>1</Id></Part>').issues[0]).toBe('required /Root/m1:Name: required element m1:Name is missing, found m1:Age');
    expect(read('<Name>x</Name><Mail>m</Mail><Part><Id>1</Id></Part><Extra/>').issues).toEqual([
      'structure /Root/m1:Extra: element m1:Extra is not allowed here (unknown, repeated, or out of schema order)',
    ]);
    expect(read('<Name>x</Name> stray <Mail>m</Mail><Part><Id>1</Id></Part>').issues).toEqual([
      'structure /Root: text "stray" is not allowed directly inside m1:Root',
    ]);
    const parsed = parseXml(`<Root xmlns="${NS}" A="1"><Name>x</Name><Mail>m</Mail><Part><Id>1</Id></Part></Root>`);
    const issues = new IssueCollector();
    if (parsed.ok) type.decode(parsed.root, '/Root', { issues, codeLists: NO_CODE_LISTS, allowSyntheticIdentities: false });
    expect(issues.issues.map((i) => i.xpath)).toEqual(['/Root/@A']);
  });

  it('says an element that must have a value and has none is empty', () => {
    expect(read('<Name></Name><Mail>m</Mail><Part><Id>1</Id></Part>').issues).toEqual(['required /Root/m1:Name: m1:Name is required and must not be empty']);
  });

  it("runs the type's business rules only on an element read without errors", () => {
    expect(read('<Name>forbidden</Name><Mail>m</Mail><Part><Id>1</Id></Part>').issues).toEqual(['business-rule /Root/Name: this name is not allowed']);
    expect(read('<Name>forbidden</Name><Mail>m</Mail>').issues).toEqual(['required /Root/m1:Part: required element m1:Part is missing']);
  });
});
