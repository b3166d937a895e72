/**
 * Request body parsing by media type, with 415 for a type the operation does not take. Bodies are decoded
 * strictly: bytes that are not valid in their encoding are refused with a 400 saying where, never replaced
 * (a replaced byte would reach a conversion, a stored document or a pharmacist's screen as "�").
 */
import { isUtf8 } from 'node:buffer';
import { jsonLineColumn } from '@ehds-no/core';
import type { OperationOutcome } from '@medplum/fhirtypes';
import express, { type Request, type RequestHandler } from 'express';
import { HTTP_PART, HttpProblem, operationOutcome, xmlLocatedOutcome } from './operation-outcome.js';

/** Media types of e-resept XML bodies. */
export const XML_TYPES = ['application/xml', 'text/xml'];
/** Media types of FHIR JSON bodies. */
export const FHIR_JSON_TYPES = ['application/fhir+json', 'application/json'];

/** Largest accepted body: an e-resept message is at most 2 MiB (the reader's own limit). */
export const BODY_LIMIT = '2mb';

/** 415 with an OperationOutcome unless the request's Content-Type is one of `types`. */
export function requireType(types: readonly string[]): RequestHandler {
  return (req, _res, next) => {
    if (!req.is(types as string[])) {
      next(new HttpProblem(415, operationOutcome('not-supported', `Content-Type must be one of ${types.join(', ')}; got ${req.headers['content-type'] ?? 'none'}`)));
      return;
    }
    next();
  };
}

/** 406 unless the client accepts FHIR JSON (no `Accept`, any type, `application/fhir+json` or `application/json`). */
export const acceptsFhirJson: RequestHandler = (req, _res, next) => {
  if (!req.accepts(FHIR_JSON_TYPES)) {
    next(new HttpProblem(406, operationOutcome('not-supported', `this endpoint answers with ${FHIR_JSON_TYPES.join(' or ')}; Accept was ${req.headers.accept ?? 'none'}`)));
    return;
  }
  next();
};

/** The `charset` parameter of the request's Content-Type (lower case), when there is one. */
function charsetOf(req: Request): string | undefined {
  const m = /;\s*charset\s*=\s*(?:"([^"]*)"|([^;\s]+))/i.exec(req.headers['content-type'] ?? '');
  return (m?.[1] ?? m?.[2])?.toLowerCase();
}

/**
 * RFC 7303 §3: a `charset` parameter overrides the XML declaration, so the bytes are decoded with it here;
 * without one the bytes stay bytes, for the reader to decode by the BOM or the XML declaration (UTF-8 by
 * default). Decoding is fatal: bytes that are not valid in the charset are refused, never replaced.
 */
const decodeByCharset: RequestHandler = (req, _res, next) => {
  const charset = charsetOf(req);
  const bytes: unknown = req.body;
  if (charset === undefined || !(bytes instanceof Uint8Array)) {
    next();
    return;
  }
  let decoder: InstanceType<typeof TextDecoder>;
  try {
    decoder = new TextDecoder(charset, { fatal: true });
  } catch {
    next(new HttpProblem(415, operationOutcome('not-supported', `the Content-Type's charset "${charset}" is not supported; send UTF-8, ISO-8859-1, or the bytes without a charset parameter so the XML declaration decides`)));
    return;
  }
  try {
    req.body = decoder.decode(bytes);
  } catch {
    next(new HttpProblem(400, undecodable(bytes, charset)));
    return;
  }
  next();
};

/**
 * Where the first bytes that are not valid in `charset` are: the byte offset, and the text decoded before
 * them (its end is the line and column of the first character that cannot be read); `undefined` when all
 * bytes are valid. Decoding a prefix in streaming mode throws only at a byte that cannot continue any
 * character, so the longest prefix that decodes is found by bisection (on the error path only).
 * @example firstInvalidBytes(Buffer.from([0x61, 0x0a, 0xff]), 'utf-8') // { offset: 2, before: 'a\n' }
 */
export function firstInvalidBytes(bytes: Uint8Array, charset: string): { readonly offset: number; readonly before: string } | undefined {
  const decodes = (length: number, stream: boolean): string | undefined => {
    try {
      return new TextDecoder(charset, { fatal: true }).decode(bytes.subarray(0, length), { stream });
    } catch {
      return undefined;
    }
  };
  if (decodes(bytes.length, false) !== undefined) return undefined;
  // Invariant: the first `low` bytes decode (as a start of text), the first `high` do not (or the text ends inside a character).
  let low = 0;
  let high = bytes.length;
  while (high - low > 1) {
    const mid = low + Math.floor((high - low) / 2);
    if (decodes(mid, true) === undefined) high = mid;
    else low = mid;
  }
  const stream = decodes(bytes.length, true) !== undefined;
  const offset = stream ? bytes.length : low;
  return { offset, before: decodes(offset, true) ?? '' };
}

/** The 400 answer for bytes invalid in `charset`: located by XPath `/` (the document) and by line, as the reader does. */
function undecodable(bytes: Uint8Array, charset: string): OperationOutcome {
  const line = (firstInvalidBytes(bytes, charset)?.before ?? '').split('\n').length;
  return xmlLocatedOutcome('invalid', `the body is not valid ${charset}, the charset its Content-Type declares (first bad bytes on line ${line})`, '/');
}

/**
 * Reads an XML body, when the request has one: as text when the Content-Type names a charset, otherwise as
 * bytes (see {@link decodeByCharset}). Routes read it with {@link xmlBodyOf}.
 */
export const xmlBytes: RequestHandler[] = [express.raw({ type: XML_TYPES, limit: BODY_LIMIT }), decodeByCharset];

/** Accepts only an XML body, read as {@link xmlBytes} does. */
export const xmlBody: RequestHandler[] = [requireType(XML_TYPES), ...xmlBytes];

/**
 * The body {@link xmlBody} left, for the e-resept readers (which take text or bytes): text already decoded
 * by the Content-Type's charset, or the raw bytes. An empty body is the empty string.
 */
export function xmlBodyOf(req: Request): string | Uint8Array {
  const body: unknown = req.body;
  return typeof body === 'string' || body instanceof Uint8Array ? body : '';
}

/** Charsets a JSON body may declare: JSON exchanged between systems is UTF-8 (RFC 8259 §8.1). */
const JSON_CHARSETS: ReadonlySet<string> = new Set(['utf-8', 'utf8']);

/**
 * 415 for a JSON body whose Content-Type declares a charset other than UTF-8. The body parser would take any
 * `utf-*` (UTF-7 decodes `+AGA-` to a backtick) and replace bytes it cannot decode.
 */
const requireUtf8Charset: RequestHandler = (req, _res, next) => {
  const charset = charsetOf(req);
  if (charset !== undefined && !JSON_CHARSETS.has(charset)) {
    next(new HttpProblem(415, operationOutcome('not-supported', `the Content-Type's charset "${charset}" is not accepted: JSON is UTF-8 (RFC 8259 §8.1); send charset=utf-8 or no charset`, HTTP_PART.contentType)));
    return;
  }
  next();
};

/**
 * The body parsers' `verify` hook (it sees the bytes before they are decoded): 400 for bytes that are not
 * UTF-8, located by byte offset and by line and column, as a JSON syntax error is.
 */
function verifyUtf8(_req: unknown, _res: unknown, bytes: Buffer): void {
  if (isUtf8(bytes)) return;
  const bad = firstInvalidBytes(bytes, 'utf-8');
  const offset = bad?.offset ?? 0;
  const where = jsonLineColumn(bad?.before ?? '', bad?.before.length ?? 0);
  // Thrown here, the body parser passes this error on with its status (http-errors keeps an error's own `status`).
  throw new HttpProblem(400, {
    resourceType: 'OperationOutcome',
    issue: [{ severity: 'error', code: 'invalid', location: [where], diagnostics: `the body is not valid UTF-8 at byte ${offset} (${where}): JSON is UTF-8 (RFC 8259 §8.1), and bytes that are not are refused, not replaced` }],
  });
}

/**
 * C0 control characters other than tab, line feed and carriage return: FHIR R4 strings should not hold them
 * (datatypes §2.24.0.1, string), XML 1.0 cannot (the M10 and the CDA these bodies are written into), and
 * PostgreSQL's jsonb cannot hold U+0000 at all (the audit log and the stores would fail with a 500).
 */
// eslint-disable-next-line no-control-regex -- finding these characters is the point
const CONTROL_CHARACTER = /[\u0000-\u0008\u000B\u000C\u000E-\u001F]/;

/**
 * The FHIRPath-like place of the first string (or property name) in `value` that holds a
 * {@link CONTROL_CHARACTER}, e.g. `Bundle.entry[0].resource.identifier[0].system`; undefined when none does.
 * @example controlCharacterAt({ resourceType: 'Patient', name: [{ family: 'A\u0000' }] }) // 'Patient.name[0].family'
 */
export function controlCharacterAt(value: unknown): string | undefined {
  // Iterative, with parent links for the path: a body nested deeper than the call stack is refused later
  // by the routes' own depth check, and must not crash this one.
  interface Node { readonly value: unknown; readonly step: string; readonly parent: Node | undefined }
  const pathOf = (node: Node): string => {
    const steps: string[] = [];
    for (let n: Node | undefined = node; n; n = n.parent) steps.push(n.step);
    return steps.reverse().join('');
  };
  const rootName = typeof (value as { resourceType?: unknown } | null)?.resourceType === 'string' ? String((value as { resourceType: string }).resourceType) : '$';
  const stack: Node[] = [{ value, step: rootName, parent: undefined }];
  while (stack.length > 0) {
    const node = stack.pop()!;
    const v = node.value;
    if (typeof v === 'string') {
      if (CONTROL_CHARACTER.test(v)) return pathOf(node);
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ value: v[i], step: `[${i}]`, parent: node });
    } else if (typeof v === 'object' && v !== null) {
      const entries = Object.entries(v);
      if (entries.some(([key]) => CONTROL_CHARACTER.test(key))) return pathOf(node);
      for (let i = entries.length - 1; i >= 0; i--) stack.push({ value: entries[i]![1], step: `.${entries[i]![0]}`, parent: node });
    }
  }
  return undefined;
}

/** 400 for a parsed JSON body with a control character in a string (see {@link CONTROL_CHARACTER}). */
const refuseControlCharacters: RequestHandler = (req, _res, next) => {
  const at = controlCharacterAt(req.body);
  if (at === undefined) {
    next();
    return;
  }
  next(new HttpProblem(400, operationOutcome('invalid', `${at} holds a control character (U+0000-U+001F other than tab, line feed, carriage return): FHIR strings should not, and XML and the database cannot hold them`, at)));
};

/** Accepts only a FHIR JSON body of at most `limit`, strictly UTF-8, parsed, without control characters in its strings. */
function fhirJsonUpTo(limit: string): RequestHandler[] {
  return [requireType(FHIR_JSON_TYPES), requireUtf8Charset, express.json({ type: FHIR_JSON_TYPES, limit, strict: true, verify: verifyUtf8 }), refuseControlCharacters];
}

/**
 * A FHIR JSON body as text, strictly UTF-8 but not parsed (for a route that parses it itself, to say where a
 * syntax error is); bodies of other types are left alone, for the route's own parsers.
 */
export const fhirJsonText: RequestHandler[] = [
  (req, res, next) => (req.is(FHIR_JSON_TYPES) ? requireUtf8Charset(req, res, next) : next()),
  express.text({ type: FHIR_JSON_TYPES, limit: BODY_LIMIT, verify: verifyUtf8 }),
];

/** Accepts only a FHIR JSON body, parsed ({@link BODY_LIMIT}: a payload to validate may be a large document). */
export const fhirJsonBody: RequestHandler[] = fhirJsonUpTo(BODY_LIMIT);

/**
 * Largest accepted body of the JSON conversions: an EU ePrescription or eDispensation Bundle is a few KB,
 * and the Parameters of `$convert-dispense-to-eu` with its M10 some 25 KB. A conversion's work grows with its
 * input and runs on the event loop: at 2 MiB a crafted Bundle held the process for 0.4 s, at this limit
 * about a quarter of that.
 */
export const CONVERSION_BODY_LIMIT = '512kb';

/** Accepts only a FHIR JSON body of at most {@link CONVERSION_BODY_LIMIT}, parsed. */
export const conversionJsonBody: RequestHandler[] = fhirJsonUpTo(CONVERSION_BODY_LIMIT);
