/**
 * One call that says everything wrong with an e-resept message: the project's own rules (structure,
 * types, code systems, identities, message rules) and, when a validator is given, the official XSDs.
 */
import type { EreseptIssue } from './issues.js';
import { readEresept, type ReadOptions } from './messages.js';
import type { EreseptXsdValidator } from './xsd-validator.js';

/** What {@link validateEreseptMessage} found. */
export interface EreseptValidation {
  /** The message kind, when the message could be read. */
  readonly kind?: 'M1' | 'M10';
  /** Errors first, then warnings. Empty when the message is valid. */
  readonly issues: readonly EreseptIssue[];
}

/** Options: the reader's, plus the XSD validator to run as well. */
export interface ValidateMessageOptions extends ReadOptions {
  readonly xsd?: EreseptXsdValidator;
}

const UNPARSEABLE: ReadonlySet<EreseptIssue['code']> = new Set(['malformed', 'security', 'too-costly']);

/**
 * Validates an M1 or M10 message with the project's rules and, if given, the official XSDs. The XSD
 * check runs only on a message that parsed, so one syntax error is not reported twice.
 * @example validateEreseptMessage(xml, { xsd }).issues // [] when valid
 */
export function validateEreseptMessage(xml: string | Uint8Array, options: ValidateMessageOptions = {}): EreseptValidation {
  const read = readEresept(xml, options);
  const parsed = !read.issues.some((i) => UNPARSEABLE.has(i.code));
  const xsd = parsed && options.xsd ? options.xsd.validate(xml) : [];
  const issues = [...read.issues, ...xsd].sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1));
  return read.ok ? { kind: read.message.kind, issues } : { issues };
}
