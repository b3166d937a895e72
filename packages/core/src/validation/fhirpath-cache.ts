/**
 * FHIRPath expressions compiled once (Medplum's engine, the one its validator uses) and evaluated as
 * invariants: true when the expression yields exactly `true`.
 */
import { parseFhirPath, type FhirPathAtom, type TypedValue } from '@medplum/core';

const compiled = new Map<string, FhirPathAtom>();

/** The compiled form of an expression (compiled on first use, then reused). */
export function compileFhirPath(expression: string): FhirPathAtom {
  let atom = compiled.get(expression);
  if (!atom) {
    atom = parseFhirPath(expression);
    compiled.set(expression, atom);
  }
  return atom;
}

/**
 * Evaluates an invariant on `input`; an expression that fails to evaluate counts as not met.
 * @param variables `%resource`, `%rootResource` and any others the expression uses
 */
export function invariantHolds(expression: string, input: TypedValue, variables: Record<string, TypedValue> = {}): boolean {
  try {
    const result = compileFhirPath(expression).eval({ variables: { '%context': input, ...variables } }, [input]);
    return result.length === 1 && result[0]?.value === true;
  } catch {
    return false;
  }
}
