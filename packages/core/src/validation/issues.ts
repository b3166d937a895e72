/**
 * Validation issues: OperationOutcome issues that always carry a FHIRPath `expression` into the submitted
 * document, and the helpers that place them there.
 */
import type { OperationOutcome, OperationOutcomeIssue } from '@medplum/fhirtypes';

/** One finding. `expression` holds exactly one FHIRPath. */
export type ValidationIssue = OperationOutcomeIssue & { expression: [string] };

/** Severity of a finding. */
export type IssueSeverity = ValidationIssue['severity'];

/**
 * A finding at `expression`.
 * @example issue('error', 'required', 'Bundle.entry[3].resource.code', 'Medication.code is required')
 */
export function issue(severity: IssueSeverity, code: OperationOutcomeIssue['code'], expression: string, diagnostics: string): ValidationIssue {
  return { severity, code, diagnostics, expression: [expression] };
}

/**
 * Moves a path from a resource's own root onto where the resource sits in the document:
 * `Patient.name[0]` with prefix `Bundle.entry[1].resource` → `Bundle.entry[1].resource.name[0]`.
 * @param fromRoot the root name the path starts with (`Patient`, or a Medplum view's root)
 */
export function placePath(path: string, fromRoot: string, prefix: string): string {
  if (path === fromRoot) return prefix;
  if (path.startsWith(`${fromRoot}.`) || path.startsWith(`${fromRoot}[`)) return prefix + path.slice(fromRoot.length);
  return path;
}

const SEVERITY_ORDER: Record<IssueSeverity, number> = { fatal: 0, error: 1, warning: 2, information: 3 };

/** The entry index a path points into, for ordering (`-1` for the Bundle itself). */
function entryIndex(path: string): number {
  const m = /^Bundle\.entry\[(\d+)\]/.exec(path);
  return m ? Number(m[1]) : -1;
}

/**
 * Drops repeated findings (the same severity at the same place: the first one found is kept, so the more
 * specific layers run first) and orders the rest by severity, then by entry.
 */
export function settleIssues(issues: readonly ValidationIssue[]): ValidationIssue[] {
  const seen = new Set<string>();
  const kept: ValidationIssue[] = [];
  for (const i of issues) {
    const key = `${i.severity}|${i.expression[0]}`;
    if (seen.has(key)) continue;
    seen.add(key);
    kept.push(i);
  }
  return kept
    .map((i, n) => ({ i, n }))
    .sort((a, b) => SEVERITY_ORDER[a.i.severity] - SEVERITY_ORDER[b.i.severity] || entryIndex(a.i.expression[0]) - entryIndex(b.i.expression[0]) || a.n - b.n)
    .map(({ i }) => i);
}

/**
 * The OperationOutcome of a validation. With no findings it holds one `information` issue saying so,
 * since an OperationOutcome needs at least one issue.
 * @param root where the all-clear issue points (the validated resource's type)
 */
export function validationOutcome(issues: readonly ValidationIssue[], root: string): OperationOutcome {
  const list: OperationOutcomeIssue[] = issues.length > 0 ? [...issues] : [issue('information', 'informational', root, 'No issues found')];
  return { resourceType: 'OperationOutcome', issue: list };
}

/** True when any issue is an error or fatal. */
export function hasErrors(outcome: OperationOutcome): boolean {
  return (outcome.issue ?? []).some((i) => i.severity === 'error' || i.severity === 'fatal');
}

/** One issue on one line (`error Bundle.entry[3].resource.code: …`), for the CLI and test messages. */
export function issueLine(i: OperationOutcomeIssue): string {
  return `${i.severity} ${i.expression?.[0] ?? i.location?.[0] ?? ''}: ${i.diagnostics ?? i.details?.text ?? ''}`;
}
