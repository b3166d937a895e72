/**
 * The evidence of a conversion: which source fields were carried, approximated or not carried, as a FHIR
 * OperationOutcome with one issue per field that was not carried over exactly. A final sweep reports every
 * source field the conversion did not mention, so nothing can disappear silently.
 */
import type { OperationOutcome, OperationOutcomeIssue } from '@medplum/fhirtypes';

/** A path into the source: property names and array indexes of the decoded message or FHIR JSON. */
export type SourcePath = readonly (string | number)[];

/** How a source path is written in the report: XPath (XML sources) or FHIRPath (FHIR sources). */
export interface PathRenderer {
  readonly kind: 'xpath' | 'fhirpath';
  render(path: SourcePath): string;
}

const joinPath = (path: SourcePath) => path.join('/');
const NO_KEYS: ReadonlySet<string> = new Set();

/** Keys of FHIR JSON that are structure, not content: never reported as lost. */
export const FHIR_STRUCTURAL_KEYS: ReadonlySet<string> = new Set(['resourceType', 'fullUrl', 'id', 'meta']);

/** Collects what happened to each source field of one conversion. */
export class ConversionReport {
  private readonly covered = new Map<string, SourcePath>();
  private readonly issues: OperationOutcomeIssue[] = [];

  constructor(private readonly renderer: PathRenderer) {}

  private issue(severity: OperationOutcomeIssue['severity'], code: OperationOutcomeIssue['code'], path: SourcePath, diagnostics: string): void {
    const where = this.renderer.render(path);
    const issue: OperationOutcomeIssue = { severity, code, diagnostics };
    if (this.renderer.kind === 'xpath') issue.location = [where];
    else issue.expression = [where];
    this.issues.push(issue);
  }

  /** The field (and everything below it) was carried over exactly. */
  carried(...paths: SourcePath[]): void {
    for (const p of paths) this.covered.set(joinPath(p), p);
  }

  /** The field was carried over, but not exactly (e.g. a code mapped with `wider` equivalence). */
  approximated(path: SourcePath, reason: string): void {
    this.covered.set(joinPath(path), path);
    this.issue('information', 'informational', path, `approximated: ${reason}`);
  }

  /** The field could not be carried over; the reason says why. */
  notCarried(path: SourcePath, reason: string): void {
    this.covered.set(joinPath(path), path);
    this.issue('warning', 'not-supported', path, `not carried over: ${reason}`);
  }

  /** The input cannot be converted at all (a business rule refuses it). */
  refuse(path: SourcePath, code: OperationOutcomeIssue['code'], reason: string): void {
    this.issue('error', code, path, reason);
  }

  /** True when a {@link refuse} was recorded. */
  get refused(): boolean {
    return this.issues.some((i) => i.severity === 'error');
  }

  private isCovered(path: SourcePath): boolean {
    for (let n = path.length; n >= 0; n--) if (this.covered.has(joinPath(path.slice(0, n)))) return true;
    return false;
  }

  /**
   * Reports every leaf under `source` (at `base`) that no call above mentioned: "no element in the target".
   * Call once, after the conversion.
   * @param leafWhere stops the walk at objects that count as one field (e.g. an opaque XML element)
   */
  sweep(
    source: unknown,
    base: SourcePath,
    reason: string,
    leafWhere: (value: object) => boolean = () => false,
    structural: ReadonlySet<string> = NO_KEYS,
  ): void {
    // Ancestors are checked on the way down, so each node only looks up its own key; the path is one
    // mutable stack, copied only when a field is reported.
    const path: (string | number)[] = [...base];
    const walk = (value: unknown, key: string) => {
      const last = path[path.length - 1];
      if (typeof last === 'string' && structural.has(last)) return;
      if (value === undefined || this.covered.has(key)) return;
      if (value === null || typeof value !== 'object' || leafWhere(value)) {
        this.notCarried([...path], reason);
        return;
      }
      const prefix = key === '' ? '' : `${key}/`;
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) {
          path.push(i);
          walk(value[i], prefix + i);
          path.pop();
        }
      } else {
        for (const k in value) {
          path.push(k);
          walk((value as Record<string, unknown>)[k], prefix + k);
          path.pop();
        }
      }
    };
    if (!this.isCovered(base)) walk(source, joinPath(base));
  }

  /** Every source path mentioned so far (carried, approximated or reported), rendered as XPath or FHIRPath. */
  coveredLocations(): string[] {
    return [...this.covered.values()].map((p) => this.renderer.render(p));
  }

  /** Only the refusals, as the OperationOutcome of a refused request. */
  refusalOutcome(): OperationOutcome {
    return { resourceType: 'OperationOutcome', issue: this.issues.filter((i) => i.severity === 'error') };
  }

  /** The report as an OperationOutcome (an `information` issue saying so when everything was carried). */
  toOperationOutcome(): OperationOutcome {
    const issue = this.issues.length > 0
      ? [...this.issues]
      : [{ severity: 'information' as const, code: 'informational' as const, diagnostics: 'every source field was carried over' }];
    return { resourceType: 'OperationOutcome', issue };
  }
}
