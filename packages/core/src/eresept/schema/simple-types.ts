/**
 * XML Schema simple types as used by the e-resept schemas: strict lexical checks, and the value they
 * stand for. Dates stay ISO strings (FHIR uses the same lexical forms); numbers become numbers.
 * Nothing is guessed: a value that does not match its type is refused. One restriction beyond the schema
 * types: years are 0001–9999, as FHIR writes them.
 */
import { daysInMonth } from '../../calendar/days-in-month.js';

/** A simple type: how its lexical form is checked and turned into a value, and back. */
export interface SimpleType<T> {
  /** The XML Schema name, used in messages (e.g. `xs:date`). */
  readonly name: string;
  /** The value of a lexical form, or undefined when it is not valid for this type. */
  parse(lexical: string): T | undefined;
  /** The canonical lexical form of a value. */
  format(value: T): string;
}

/** XML Schema `collapse`: runs of tab, newline, carriage return and space become one space; then trimmed. */
function collapse(s: string): string {
  return isCollapsed(s) ? s : s.replace(/[\t\n\r ]+/g, ' ').trim();
}

/**
 * True when {@link collapse} would return `s` unchanged, decided in one pass without the regex and the
 * copies (nearly every value in a message is already collapsed). Ends in any other character that `trim()`
 * removes (vertical tab, form feed, non-ASCII spaces) are left to the full path.
 */
function isCollapsed(s: string): boolean {
  const n = s.length;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x09 || c === 0x0a || c === 0x0d) return false;
    if (c === 0x20 && (i === 0 || i === n - 1 || s.charCodeAt(i + 1) === 0x20)) return false;
  }
  return n === 0 || (plainEnd(s.charCodeAt(0)) && plainEnd(s.charCodeAt(n - 1)));
}

function plainEnd(c: number): boolean {
  return c < 0x7f && c !== 0x0b && c !== 0x0c;
}

const TZ = '(Z|[+-](?:(?:0\\d|1[0-3]):[0-5]\\d|14:00))?';
/**
 * A year as FHIR and the e-resept systems write it: four digits, 0001–9999. The schema types also allow
 * negative years and years from 10000 on; no prescription has one, and FHIR could not carry it on.
 */
const YEAR = '((?!0000)\\d{4})';
const DATE_RE = new RegExp(`^${YEAR}-(\\d{2})-(\\d{2})${TZ}$`);
const DATETIME_RE = new RegExp(`^${YEAR}-(\\d{2})-(\\d{2})T(\\d{2}):(\\d{2}):(\\d{2})(\\.\\d+)?${TZ}$`);
const TIME_RE = new RegExp(`^(\\d{2}):(\\d{2}):(\\d{2})(\\.\\d+)?${TZ}$`);
// Patterns live here, not as literals inside the checks: a literal makes a new RegExp object per call.
const DURATION_RE = /^-?P(?=\d|T\d)(?:\d+Y)?(?:\d+M)?(?:\d+D)?(?:T(?=\d)(?:\d+H)?(?:\d+M)?(?:\d+(?:\.\d+)?S)?)?$/;
const NCNAME_RE = /^[A-Za-z_][\w.-]*$/;
const WHITESPACE = /\s/;
/** Digit groups separated by single dots (the same language as the schema's `(\d+\.?)*\d+`, without its backtracking). */
const OID_RE = /^\d+(?:\.\d+)*$/;

function validDate(y: string, m: string, d: string): boolean {
  const month = Number(m);
  const day = Number(d);
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(Number(y), month);
}

function validTime(h: string, min: string, s: string, frac: string | undefined): boolean {
  const hour = Number(h);
  if (hour === 24) return min === '00' && s === '00' && (!frac || /^\.0+$/.test(frac));
  return hour < 24 && Number(min) < 60 && Number(s) < 60;
}

function stringType(name: string): SimpleType<string> {
  return { name, parse: (s) => s, format: (v) => v };
}

function patternType(name: string, test: (collapsed: string) => boolean): SimpleType<string> {
  return {
    name,
    parse: (s) => {
      const c = collapse(s);
      return test(c) ? c : undefined;
    },
    format: (v) => v,
  };
}

/** `xs:string`: any text, whitespace kept. */
export const xsString = stringType('xs:string');

/** `xs:token` and `xs:normalizedString`-like codes: whitespace collapsed. */
export const xsToken = patternType('xs:token', () => true);

/** `xs:date`, e.g. `2024-03-01` (an optional time zone is allowed by the schema type). */
export const xsDate = patternType('xs:date', (c) => {
  const m = DATE_RE.exec(c);
  return !!m && validDate(m[1]!, m[2]!, m[3]!);
});

/** `xs:dateTime`, e.g. `2024-03-01T10:15:00` or with a zone `…+01:00`. */
export const xsDateTime = patternType('xs:dateTime', (c) => {
  const m = DATETIME_RE.exec(c);
  return !!m && validDate(m[1]!, m[2]!, m[3]!) && validTime(m[4]!, m[5]!, m[6]!, m[7]);
});

/** `xs:time`, e.g. `08:00:00`. */
export const xsTime = patternType('xs:time', (c) => {
  const m = TIME_RE.exec(c);
  return !!m && validTime(m[1]!, m[2]!, m[3]!, m[4]);
});

/** `xs:duration`, e.g. `P1Y`, `P7D`, `PT12H`. */
export const xsDuration = patternType('xs:duration', (c) => DURATION_RE.test(c));

/** `xs:ID` / `xs:IDREF`: an XML NCName. */
export const xsId = patternType('xs:ID', (c) => NCNAME_RE.test(c));

const withoutSpace = (c: string): boolean => !WHITESPACE.test(c);

/** `xs:anyURI`: kept as written (whitespace collapsed). */
export const xsAnyUri = patternType('xs:anyURI', withoutSpace);

/**
 * An `xs:string` that names something (a product number): no whitespace inside, since the value goes on as a
 * FHIR code, whose pattern forbids it.
 */
export const xsStringWithoutSpace = patternType('xs:string without whitespace', withoutSpace);

/** The KITH `oid` type: dotted digits, e.g. `2.16.578.1.12.4.1.1.7448`. */
export const kithOid = patternType('kith:oid', (c) => OID_RE.test(c));

/** JavaScript's exponent form of a number (`-1.25e-7`, `1e+21`): sign, digits, exponent. */
const EXPONENT_FORM = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/;

/**
 * A number as XML Schema writes it: JavaScript's own shortest form, with an exponent form (`1e-7`) spelled
 * out digit for digit, since xs:decimal has no exponent.
 */
function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return Number.isNaN(v) ? 'NaN' : v > 0 ? 'INF' : '-INF';
  const s = String(v);
  const m = EXPONENT_FORM.exec(s);
  if (!m) return s;
  const sign = m[1]!;
  const digits = m[2]! + (m[3] ?? '');
  const point = 1 + Number(m[4]);
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return sign + digits + '0'.repeat(point - digits.length);
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

function numberType(name: string, pattern: RegExp, extra: (n: number, c: string) => boolean = () => true): SimpleType<number> {
  return {
    name,
    parse: (s) => {
      const c = collapse(s);
      if (!pattern.test(c)) return undefined;
      const n = c === 'INF' || c === '+INF' ? Infinity : c === '-INF' ? -Infinity : Number(c);
      return extra(n, c) ? n : undefined;
    },
    format: formatNumber,
  };
}

/** `xs:decimal`, e.g. `2.5` (no exponent). */
export const xsDecimal = numberType('xs:decimal', /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/);

/** `xs:double`, e.g. `0.5`, `1E3`, `INF`. */
export const xsDouble = numberType('xs:double', /^(?:[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?|[+-]?INF|NaN)$/, (n, c) => c === 'NaN' || !Number.isNaN(n));

/** `xs:int`: a 32-bit integer. */
export const xsInt = numberType('xs:int', /^[+-]?\d+$/, (n) => n >= -2147483648 && n <= 2147483647);

/** `xs:boolean`: `true`, `false`, `1` or `0`. */
export const xsBoolean: SimpleType<boolean> = {
  name: 'xs:boolean',
  parse: (s) => {
    const c = collapse(s);
    return c === 'true' || c === '1' ? true : c === 'false' || c === '0' ? false : undefined;
  },
  format: (v) => (v ? 'true' : 'false'),
};
