/**
 * Problems found while reading or validating an e-resept message, each with an XPath into the message.
 */

/** What kind of problem it is (mirrors FHIR `OperationOutcome.issue.code` where one fits). */
export type EreseptIssueCode =
  /** Not well-formed XML, or bytes that cannot be decoded. */
  | 'malformed'
  /** Forbidden construct: DOCTYPE, entity declarations, external references. */
  | 'security'
  /** Message larger or deeper than allowed. */
  | 'too-costly'
  /** Element or namespace in the wrong place, unknown, or out of schema order. */
  | 'structure'
  /** A required element or attribute is missing. */
  | 'required'
  /** A value that does not fit its type (date, decimal, boolean, pattern). */
  | 'value'
  /** A code or code-system OID that is not allowed here. */
  | 'code-invalid'
  /** A business rule of the message specification is broken. */
  | 'business-rule';

/** One problem in a message. */
export interface EreseptIssue {
  readonly severity: 'error' | 'warning';
  readonly code: EreseptIssueCode;
  /** XPath of the offending node, with the prefixes of {@link XPATH_PREFIXES}, e.g. `/mh:MsgHead/mh:MsgInfo/mh:MsgId`. */
  readonly xpath: string;
  /** What is wrong, in words a message developer understands. */
  readonly message: string;
}

/** Thrown by the strict readers (`readM1OrThrow`, …) when a message has errors. */
export class EreseptReadError extends Error {
  /** Every problem found (errors first). */
  readonly issues: readonly EreseptIssue[];

  constructor(issues: readonly EreseptIssue[]) {
    const first = issues[0];
    super(first ? `${first.message} (at ${first.xpath})${issues.length > 1 ? ` and ${issues.length - 1} more` : ''}` : 'invalid message');
    this.name = 'EreseptReadError';
    this.issues = issues;
  }
}

/** Collects issues while a message is read; the path is kept by the caller. */
export class IssueCollector {
  readonly issues: EreseptIssue[] = [];
  private errors = 0;

  /** Records an error at `xpath`. */
  error(code: EreseptIssueCode, xpath: string, message: string): void {
    this.errors++;
    this.issues.push({ severity: 'error', code, xpath, message });
  }

  /** Records a warning at `xpath`. */
  warning(code: EreseptIssueCode, xpath: string, message: string): void {
    this.issues.push({ severity: 'warning', code, xpath, message });
  }

  /** How many errors were recorded so far. */
  get errorCount(): number {
    return this.errors;
  }
}
