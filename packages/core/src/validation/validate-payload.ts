/**
 * One entry point for bytes as a vendor sends them: FHIR JSON or e-resept XML, told apart by media type
 * or, without one, by the first character. Unreadable input is an issue, never an exception.
 */
import type { OperationOutcome } from '@medplum/fhirtypes';
import { jsonErrorOffset } from './json-syntax.js';
import { FhirValidator, type FhirValidationOptions } from './validate-fhir.js';
import { validateEreseptXml, type EreseptXmlValidationOptions } from './validate-eresept.js';

/** What the payload is. */
export type PayloadFormat = 'json' | 'xml';

/** Options of {@link validatePayload}. */
export interface PayloadValidationOptions extends FhirValidationOptions, EreseptXmlValidationOptions {
  /** The format when known (from a media type or a file name); guessed from the content otherwise. */
  readonly format?: PayloadFormat;
  /** The FHIR validator to use (default: one over profiles/generated). */
  readonly validator?: FhirValidator;
}

/** The format of a payload: XML when it starts with `<` (after whitespace or a BOM), otherwise JSON. */
export function guessFormat(text: string): PayloadFormat {
  return /^[\uFEFF\s]*</.test(text) ? 'xml' : 'json';
}

/**
 * Line and column (1-based) of a character offset, for locating problems in JSON text.
 * @example jsonLineColumn('{\n  "a": x}', 9) // 'line 2, column 8'
 */
export function jsonLineColumn(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return `line ${line}, column ${offset - before.lastIndexOf('\n')}`;
}

/**
 * Parses FHIR JSON; a syntax error becomes an OperationOutcome located by line and column (there is no
 * FHIRPath into text that is not JSON).
 */
export function parseFhirJson(text: string): { ok: true; value: unknown } | { ok: false; outcome: OperationOutcome } {
  try {
    return { ok: true, value: JSON.parse(text.replace(/^\uFEFF/, '')) };
  } catch (e) {
    const body = text.replace(/^\uFEFF/, '');
    const offset = jsonErrorOffset(body) ?? 0;
    const near = body.slice(offset, offset + 20).split('\n')[0] ?? '';
    return {
      ok: false,
      outcome: {
        resourceType: 'OperationOutcome',
        issue: [{ severity: 'fatal', code: 'structure', location: [jsonLineColumn(body, offset)], diagnostics: `not valid JSON at ${jsonLineColumn(body, offset)}${near ? ` (near "${near}")` : ''}: ${e instanceof SyntaxError ? 'syntax error' : 'unreadable'}` }],
      },
    };
  }
}

let defaultValidator: FhirValidator | undefined;

/**
 * Validates a payload.
 * @example validatePayload(readFileSync('summary.json', 'utf8')).issue
 */
export function validatePayload(payload: string | Uint8Array, options: PayloadValidationOptions = {}): OperationOutcome {
  const text = typeof payload === 'string' ? payload : Buffer.from(payload).toString('utf8');
  const format = options.format ?? guessFormat(text);
  if (format === 'xml') return validateEreseptXml(payload, options);
  const parsed = parseFhirJson(text);
  if (!parsed.ok) return parsed.outcome;
  const validator = options.validator ?? (defaultValidator ??= new FhirValidator());
  return validator.validate(parsed.value, options);
}
