/**
 * Refusing a conversion: the kind decides the HTTP status the service answers with, the path where in
 * the input the reason lies. Thrown inside a conversion, caught at its top and put in the report.
 */
import type { OperationOutcomeIssue } from '@medplum/fhirtypes';
import type { SourcePath } from './report.js';

/** Why a conversion is refused: `invalid` (400), `business-rule` (422) or `conflict` (409). */
export type RefusalKind = 'invalid' | 'business-rule' | 'conflict';

/** A refusal on its way to the conversion's top. */
export class Refused extends Error {
  constructor(
    readonly kind: RefusalKind,
    readonly code: OperationOutcomeIssue['code'],
    readonly path: SourcePath,
    message: string,
  ) {
    super(message);
  }
}

/** Refuses the conversion. */
export function refuse(kind: RefusalKind, code: OperationOutcomeIssue['code'], path: SourcePath, message: string): never {
  throw new Refused(kind, code, path, message);
}
