/**
 * The evidence of a conversion: which source fields were carried, approximated or not carried, as a FHIR
 * OperationOutcome with one issue per field that was not carried over exactly. A final sweep reports every
 * source field the conversion did not mention, so nothing can disappear silently.
 */
import type { OperationOutcome, OperationOutcomeIssue } from '@medplum/fhirtypes';
import { CoveredPaths, type PathNode, type SourcePath } from './covered-paths.js';

export type { SourcePath } from './covered-paths.js';

/** How a source path is written in the report: XPath (XML sources) or FHIRPath (FHIR sources). */
export interface PathRenderer {
  readonly kind: 'xpath' | 'fhirpath';
  render(path: SourcePath): string;
}

const NO_KEYS: ReadonlySet<string> = new Set();

/**
 * Most fields a report lists by place; past it they are counted in one closing issue. A message has a few
 * dozen fields a conversion cannot carry; an input with 150,000 of them would otherwise get a report some
 * seventy times its own size, and spend most of its time writing it.
 */
const MAX_REPORTED = 500;

/** Keys of FHIR JSON that are structure, not content: never reported as lost. */
export const FHIR_STRUCTURAL_KEYS: ReadonlySet<string> = new Set(['resourceType', 'fullUrl', 'id', 'meta']);

/** True when `value` has a property, other than a structural one, with a value. */
function hasContent(value: object, structural: ReadonlySet<string>): boolean {
  for (const k in value) if ((value as Record<string, unknown>)[k] !== undefined && !structural.has(k)) return true;
  return false;
}

/** Collects what happened to each source field of one conversion. */
export class ConversionReport {
  private readonly covered = new CoveredPaths();
  private readonly issues: OperationOutcomeIssue[] = [];
  /** Fields past {@link MAX_REPORTED} that were not carried or only approximated: counted, not listed. */
  private unlisted = 0;
  private unlistedWarnings = false;

  constructor(private readonly renderer: PathRenderer) {}

  private issue(severity: OperationOutcomeIssue['severity'], code: OperationOutcomeIssue['code'], path: SourcePath, diagnostics: string, renderer = this.renderer): void {
    if (severity !== 'error' && this.issues.length >= MAX_REPORTED) {
      this.unlisted++;
      if (severity === 'warning') this.unlistedWarnings = true;
      return;
    }
    const where = renderer.render(path);
    const issue: OperationOutcomeIssue = { severity, code, diagnostics };
    if (renderer.kind === 'xpath') issue.location = [where];
    else issue.expression = [where];
    this.issues.push(issue);
  }

  /** The field (and everything below it) was carried over exactly. */
  carried(...paths: SourcePath[]): void {
    for (const p of paths) this.covered.mark(p);
  }

  /**
   * The fields `keys` of the element at `path` (and everything below them) were carried over exactly:
   * `carriedFields(p, 'city', 'postalCode')` is `carried([...p, 'city'], [...p, 'postalCode'])` without
   * building a path for each field.
   */
  carriedFields(path: SourcePath, ...keys: (string | number)[]): void {
    this.covered.markBelow(path, keys);
  }

  /** The field was carried over, but not exactly (e.g. a code mapped with `wider` equivalence). */
  approximated(path: SourcePath, reason: string): void {
    this.covered.mark(path);
    this.issue('information', 'informational', path, `approximated: ${reason}`);
  }

  /** The field could not be carried over; the reason says why. */
  notCarried(path: SourcePath, reason: string): void {
    this.covered.mark(path);
    this.issue('warning', 'not-supported', path, `not carried over: ${reason}`);
  }

  /**
   * The input cannot be converted at all (a business rule refuses it).
   * @param renderer how to write `path` when it lies in another input than the report's (e.g. FHIRPath into a Bundle)
   */
  refuse(path: SourcePath, code: OperationOutcomeIssue['code'], reason: string, renderer?: PathRenderer): void {
    this.issue('error', code, path, reason, renderer);
  }

  /** True when a {@link refuse} was recorded. */
  get refused(): boolean {
    return this.issues.some((i) => i.severity === 'error');
  }

  /**
   * Reports every field under `source` (at `base`) that no call above mentioned: "no element in the target".
   * A field whose parts none was mentioned is reported once, as a whole.
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
    // The source and the trie of mentioned paths are walked together, so each node costs one look-up of
    // its own key (ancestors were checked on the way down) and a subtree no path mentions costs none. The
    // path is one mutable stack, copied only when a field is reported.
    const path: (string | number)[] = [...base];
    const hasStructural = structural.size > 0;
    const walk = (value: unknown, node: PathNode | undefined) => {
      if (hasStructural) {
        const last = path[path.length - 1];
        if (typeof last === 'string' && structural.has(last)) return;
      }
      if (value === undefined || node?.marked) return;
      if (value === null || typeof value !== 'object' || leafWhere(value)) {
        this.notCarried([...path], reason);
        return;
      }
      // An element no call mentioned anything in is one issue, not one per field below it (the M1's
      // Receiver is one line, not nine for the parts of its two identifiers). Array items each count.
      if (node === undefined && !Array.isArray(value)) {
        if (hasContent(value, structural)) this.notCarried([...path], reason);
        return;
      }
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) {
          path.push(i);
          walk(value[i], node?.childAt(i));
          path.pop();
        }
      } else {
        for (const k in value) {
          path.push(k);
          walk((value as Record<string, unknown>)[k], node?.childNamed(k));
          path.pop();
        }
      }
    };
    if (!this.covered.isCovered(base)) walk(source, this.covered.find(base));
  }

  /** Every source path mentioned so far (carried, approximated or reported), rendered as XPath or FHIRPath. */
  coveredLocations(): string[] {
    return this.covered.paths().map((p) => this.renderer.render(p));
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
    if (this.unlisted > 0) {
      issue.push({
        severity: this.unlistedWarnings ? 'warning' : 'information',
        code: 'informational',
        diagnostics: `${this.unlisted} more source fields were not carried over or only approximated; the report lists the first ${MAX_REPORTED}`,
      });
    }
    return { resourceType: 'OperationOutcome', issue };
  }
}
