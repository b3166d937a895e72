/**
 * Refusing a conversion: the kind decides the HTTP status the service answers with, the path where in
 * the input the reason lies. Thrown inside a conversion, caught at its top and put in the report.
 */
import type { OperationOutcomeIssue } from '@medplum/fhirtypes';
import type { PathRenderer, SourcePath } from './report.js';

/** Why a conversion is refused: `invalid` (400), `business-rule` (422) or `conflict` (409). */
export type RefusalKind = 'invalid' | 'business-rule' | 'conflict';

/** A refusal on its way to the conversion's top. */
export class Refused extends Error {
  constructor(
    readonly kind: RefusalKind,
    readonly code: OperationOutcomeIssue['code'],
    readonly path: SourcePath,
    message: string,
    /** How `path` is written, when it lies in another input than the one the report renders (e.g. FHIRPath). */
    readonly renderer?: PathRenderer,
  ) {
    super(message);
  }
}

/**
 * Refuses the conversion.
 * @param path where in the input the reason lies
 * @param renderer how to write `path` when it lies in another input than the conversion's main one
 */
export function refuse(kind: RefusalKind, code: OperationOutcomeIssue['code'], path: SourcePath, message: string, renderer?: PathRenderer): never {
  throw new Refused(kind, code, path, message, renderer);
}
