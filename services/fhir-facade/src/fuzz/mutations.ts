/**
 * Test support for the fuzz suite (`http-fuzz.test.ts`): fast-check arbitraries that turn the project's own
 * fixtures into malformed requests. JSON is mutated as a value (a value replaced, deleted, duplicated or
 * wrapped at a random path; wrong types, huge strings, NUL, lone surrogates, deep nesting) and then as bytes
 * (invalid UTF-8, truncation, a flipped byte, a BOM); XML as text (elements duplicated or removed, entity
 * and DOCTYPE tricks, encoding declarations) and as bytes. Everything is drawn from fast-check's seeded
 * random source, so a failing case replays from its seed and path.
 */
import fc from 'fast-check';

/** A parsed JSON value. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Where a value sits in a JSON document: property names and array indexes from the root. */
type JsonPath = readonly (string | number)[];

/** Every path in `value`, the root (`[]`) first. */
function pathsOf(value: Json, at: JsonPath = [], into: JsonPath[] = []): JsonPath[] {
  into.push(at);
  if (Array.isArray(value)) value.forEach((v, i) => pathsOf(v, [...at, i], into));
  else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) pathsOf(v, [...at, k], into);
  return into;
}

/** Nesting deeper than any reader takes (`readFhirResource` stops at 100). */
const deeplyNested = (depth: number): Json => {
  let v: Json = 'deep';
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { x: v };
  return v;
};

/**
 * Values that have broken readers before, or could: wrong types, empty and blank strings, control
 * characters, lone surrogates, numbers outside int32, SQL and markup, prototype keys, huge and deep values,
 * and the person numbers of the fixtures (which must never reach the log).
 */
export function oddJson(personNumbers: readonly string[]): fc.Arbitrary<Json> {
  return fc.oneof(
    fc.constantFrom<Json>(
      null, true, false, 0, -1, 1.5, 2147483648, -2147483649, 2 ** 53, 1e308, '', ' ', ' x ', 'x', '\u0000', 'a\u0000b',
      '\uD800', '\uDFFF', 'x\uDBFF', '\u0007\u001b', '\uFFFE', "' OR 1=1 --", '<b>&amp;</b>', '../../etc/passwd', '%00', '${x}',
      [], {}, [null], [{}], [[]], { toString: {} }, JSON.parse('{"__proto__": {"x": 1}}') as Json, { constructor: 'x' },
      '2024-02-30', '2024-06-10T25:00:00Z', 'urn:uuid:not-a-uuid', 'Patient/x',
    ),
    fc.constantFrom(...personNumbers),
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc.constantFrom(1000, 5000, 70_000, 400_000).map((n) => 'A'.repeat(n)),
    fc.integer({ min: 90, max: 400 }).map(deeplyNested),
    fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json>,
  );
}

/** One change to a JSON value. */
interface JsonEdit {
  readonly at: number;
  readonly op: 'replace' | 'delete' | 'duplicate' | 'wrap' | 'rename';
  readonly value: Json;
}

function applyEdit(doc: Json, edit: JsonEdit): Json {
  const paths = pathsOf(doc);
  const path = paths[edit.at % paths.length]!;
  if (path.length === 0) return edit.op === 'wrap' ? [doc] : edit.op === 'replace' ? edit.value : doc;
  let parent: Json = doc;
  for (const step of path.slice(0, -1)) parent = (parent as Record<string | number, Json>)[step]!;
  const key = path[path.length - 1]!;
  if (Array.isArray(parent)) {
    const i = key as number;
    if (edit.op === 'replace') parent[i] = edit.value;
    else if (edit.op === 'delete') parent.splice(i, 1);
    else if (edit.op === 'duplicate') parent.splice(i, 0, structuredClone(parent[i]!));
    else if (edit.op === 'wrap') parent[i] = [parent[i]!];
    return doc;
  }
  const object = parent as Record<string, Json>;
  const k = String(key);
  const current = object[k]!;
  if (edit.op === 'replace') object[k] = edit.value;
  else if (edit.op === 'delete') delete object[k];
  else if (edit.op === 'duplicate') object[k] = [current, structuredClone(current)];
  else if (edit.op === 'wrap') object[k] = [current];
  else {
    delete object[k];
    object[typeof edit.value === 'string' ? edit.value : `_${k}`] = current;
  }
  return doc;
}

/** A change to the bytes of a serialized body. */
interface ByteEdit {
  readonly at: number;
  readonly op: 'invalid-utf8' | 'truncate' | 'flip' | 'bom' | 'nul' | 'surrogate-bytes' | 'append';
  readonly bit: number;
}

/** Byte sequences that are not UTF-8: a lone continuation byte, 0xFF, an overlong NUL, an encoded surrogate, a cut character. */
const NOT_UTF8 = [[0x80], [0xff, 0x28], [0xc0, 0x80], [0xed, 0xa0, 0x80], [0xe2, 0x82]];

function applyByteEdit(bytes: Buffer, edit: ByteEdit): Buffer {
  const at = bytes.length === 0 ? 0 : edit.at % bytes.length;
  const insert = (extra: readonly number[]) => Buffer.concat([bytes.subarray(0, at), Buffer.from(extra), bytes.subarray(at)]);
  switch (edit.op) {
    case 'invalid-utf8':
      return insert(NOT_UTF8[edit.bit % NOT_UTF8.length]!);
    case 'surrogate-bytes':
      return insert([0xed, 0xbf, 0xbf]);
    case 'truncate':
      return bytes.subarray(0, at);
    case 'flip': {
      const copy = Buffer.from(bytes);
      if (copy.length > 0) copy[at] = copy[at]! ^ (1 << (edit.bit % 8));
      return copy;
    }
    case 'bom':
      return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), bytes]);
    case 'nul':
      return insert([0x00]);
    case 'append':
      return Buffer.concat([bytes, Buffer.from(' {"x": 1}')]);
  }
}

const byteEdit: fc.Arbitrary<ByteEdit> = fc.record({
  at: fc.nat(),
  op: fc.constantFrom('invalid-utf8', 'truncate', 'flip', 'bom', 'nul', 'surrogate-bytes', 'append'),
  bit: fc.nat({ max: 63 }),
});

/**
 * Bodies made from `bases` (parsed fixtures): up to three value edits (none: the fixture as it is), then, one time in four, one or two
 * byte edits of the serialized text.
 * @example fc.sample(mutatedJson([{ resourceType: 'Bundle' }], ['13116900216']), 1)
 */
export function mutatedJson(bases: readonly Json[], personNumbers: readonly string[]): fc.Arbitrary<Buffer> {
  const edit: fc.Arbitrary<JsonEdit> = fc.record({
    at: fc.nat(),
    op: fc.constantFrom('replace', 'replace', 'delete', 'duplicate', 'wrap', 'rename'),
    value: oddJson(personNumbers),
  });
  return fc
    .record({
      base: fc.nat({ max: bases.length - 1 }),
      edits: fc.array(edit, { minLength: 0, maxLength: 3 }),
      bytes: fc.option(fc.array(byteEdit, { minLength: 1, maxLength: 2 }), { freq: 3 }),
    })
    .map(({ base, edits, bytes }) => {
      const doc = edits.reduce(applyEdit, structuredClone(bases[base]!));
      const text = Buffer.from(JSON.stringify(doc) ?? '', 'utf8');
      return (bytes ?? []).reduce(applyByteEdit, text);
    });
}

/** XML that readers must refuse: declarations, entities, markup out of place. */
const XML_TRICKS = [
  '<!DOCTYPE MsgHead [<!ENTITY x SYSTEM "file:///etc/passwd">]>', '<!DOCTYPE a [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>',
  '&x;', '&#0;', '&#xD800;', '&#xFFFE;', '&amp', '&lt;', '<![CDATA[', ']]>', '<?pi x?>', '<!-- -- -->', '<x:y>', '</MsgHead>', '<', '>',
  'xmlns="urn:x"', ' xmlns:fk1="" ', '\u0000', '\uFFFD', 'A'.repeat(70_000),
];

/** Encoding declarations to swap in for the fixture's own. */
const XML_ENCODINGS = ['UTF-16', 'utf-7', 'ISO-8859-1', 'EBCDIC', 'windows-1252', '', 'x"'];

/** One change to an XML text. */
interface XmlEdit {
  readonly at: number;
  readonly op: 'duplicate-element' | 'remove-element' | 'insert' | 'encoding' | 'text';
  readonly pick: number;
  readonly text: string;
}

/** The element that starts at the `n`-th start tag: its span up to the matching-by-name end tag, when there is one. */
function elementSpan(xml: string, n: number): { start: number; end: number } | undefined {
  const starts = [...xml.matchAll(/<([A-Za-z][\w:.-]*)[^>]*?(\/?)>/g)];
  if (starts.length === 0) return undefined;
  const m = starts[n % starts.length]!;
  const start = m.index;
  if (m[2] === '/') return { start, end: start + m[0].length };
  const close = xml.indexOf(`</${m[1]}>`, start);
  return close < 0 ? undefined : { start, end: close + m[1]!.length + 3 };
}

function applyXmlEdit(xml: string, edit: XmlEdit): string {
  const at = xml.length === 0 ? 0 : edit.at % xml.length;
  switch (edit.op) {
    case 'duplicate-element':
    case 'remove-element': {
      const span = elementSpan(xml, edit.pick);
      if (!span) return xml;
      const element = xml.slice(span.start, span.end);
      return xml.slice(0, span.start) + (edit.op === 'duplicate-element' ? element + element : '') + xml.slice(span.end);
    }
    case 'insert':
      return xml.slice(0, at) + XML_TRICKS[edit.pick % XML_TRICKS.length]! + xml.slice(at);
    case 'encoding':
      return xml.replace(/encoding="[^"]*"/, `encoding="${XML_ENCODINGS[edit.pick % XML_ENCODINGS.length]!}"`);
    case 'text': {
      // Into the text of an element: after the `at`-th `>` that is followed by text.
      const close = xml.indexOf('>', at);
      return close < 0 ? xml : xml.slice(0, close + 1) + edit.text + xml.slice(close + 1);
    }
  }
}

/**
 * XML bodies made from `bases` (fixture texts): up to three text edits, then, one time in three, one or two
 * byte edits.
 * @example fc.sample(mutatedXml([fixture('m1-magistrell.xml')]), 1)
 */
export function mutatedXml(bases: readonly string[]): fc.Arbitrary<Buffer> {
  const edit: fc.Arbitrary<XmlEdit> = fc.record({
    at: fc.nat(),
    op: fc.constantFrom('duplicate-element', 'remove-element', 'insert', 'encoding', 'text'),
    pick: fc.nat(),
    text: fc.oneof(fc.string({ unit: 'binary', maxLength: 20 }), fc.constantFrom('', ' ', '-1', '99999999999', '2024-02-30', '\uD800')),
  });
  return fc
    .record({
      base: fc.nat({ max: bases.length - 1 }),
      edits: fc.array(edit, { minLength: 0, maxLength: 3 }),
      bytes: fc.option(fc.array(byteEdit, { minLength: 1, maxLength: 2 }), { freq: 2 }),
    })
    .map(({ base, edits, bytes }) => {
      const text = Buffer.from(edits.reduce(applyXmlEdit, bases[base]!), 'utf8');
      return (bytes ?? []).reduce(applyByteEdit, text);
    });
}

/**
 * A string made odd: a character replaced, removed or added, spaces, NUL, a cut, or a stranger string.
 * @example fc.sample(mutatedText(['13116900216']), 3)
 */
export function mutatedText(bases: readonly string[]): fc.Arbitrary<string> {
  const edit = fc.record({ at: fc.nat(), op: fc.constantFrom('replace', 'remove', 'add', 'cut', 'pad'), char: fc.constantFrom('0', '9', 'x', ' ', '\u0000', '%', '|', '\uD800', 'ø', '+', '.') });
  return fc.oneof(
    fc.constantFrom(...bases),
    fc.record({ base: fc.constantFrom(...bases), edits: fc.array(edit, { minLength: 1, maxLength: 3 }) }).map(({ base, edits }) =>
      edits.reduce((s, e) => {
        const at = s.length === 0 ? 0 : e.at % s.length;
        if (e.op === 'replace') return s.slice(0, at) + e.char + s.slice(at + 1);
        if (e.op === 'remove') return s.slice(0, at) + s.slice(at + 1);
        if (e.op === 'add') return s.slice(0, at) + e.char + s.slice(at);
        if (e.op === 'cut') return s.slice(0, at);
        return ` ${s}${e.char}`;
      }, base),
    ),
    fc.string({ unit: 'binary', maxLength: 30 }),
    fc.constantFrom('', '0x1', '1.0', '%201', '%FF', '%ED%A0%80', '%', '2147483648', '2147483647', '-1', '1e3', '01', 'A'.repeat(5000)),
  );
}
