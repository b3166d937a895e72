/**
 * FHIR OperationOutcome responses: every error the facade returns is one of these.
 */
import type { OperationOutcome, OperationOutcomeIssue } from '@medplum/fhirtypes';
import type { Response } from 'express';

/** FHIR issue type codes the facade uses (http://hl7.org/fhir/issue-type). */
export type IssueType = OperationOutcomeIssue['code'];

/** Media type of FHIR JSON. */
export const FHIR_JSON = 'application/fhir+json';

/**
 * Where a problem of the HTTP request itself lies (not of its body's content), as `expression`: FHIR's
 * `http.` + the name of the header or part of the request.
 */
export const HTTP_PART = {
  method: 'http.method',
  path: 'http.path',
  version: 'http.version',
  headers: 'http.headers',
  body: 'http.body',
  contentEncoding: 'http.Content-Encoding',
  contentType: 'http.Content-Type',
  contentLength: 'http.Content-Length',
  transferEncoding: 'http.Transfer-Encoding',
} as const;

/**
 * An OperationOutcome with one error issue.
 * @param code FHIR issue type, e.g. `not-found`, `invalid`, `exception`
 * @param diagnostics what went wrong, for the caller
 * @param expression where (FHIRPath or XPath), when it is about a place in the request
 * @example operationOutcome('not-found', 'Unknown resource type Foo')
 */
export function operationOutcome(code: IssueType, diagnostics: string, expression?: string): OperationOutcome {
  const issue: OperationOutcomeIssue = { severity: 'error', code, diagnostics };
  if (expression) issue.expression = [expression];
  return { resourceType: 'OperationOutcome', issue: [issue] };
}

/**
 * An OperationOutcome with one error issue located in an XML body by XPath (`location`, as FHIR R4 has it
 * for XML; `expression` is FHIRPath).
 * @example xmlLocatedOutcome('invalid', 'the body is not valid UTF-8', '/')
 */
export function xmlLocatedOutcome(code: IssueType, diagnostics: string, xpath: string): OperationOutcome {
  return { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code, diagnostics, location: [xpath] }] };
}

/** An error that becomes an OperationOutcome response with the given HTTP status. */
export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly outcome: OperationOutcome,
  ) {
    super(outcome.issue?.[0]?.diagnostics ?? `HTTP ${status}`);
    this.name = 'HttpProblem';
  }
}

/**
 * Answers 503 with a `transient` OperationOutcome and `Retry-After`: something the service depends on (the
 * database, the token signing keys) cannot be reached now, and the same request may well succeed later.
 * One answer for every such case, so that clients can retry them alike.
 * @example sendUnavailable(res, 5, 'The database is unavailable for now; try again after the seconds in Retry-After')
 */
export function sendUnavailable(res: Response, retryAfterSeconds: number, diagnostics: string): void {
  res.status(503).set('Retry-After', String(retryAfterSeconds)).type(FHIR_JSON).json(operationOutcome('transient', diagnostics));
}
