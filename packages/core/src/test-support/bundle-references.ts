/**
 * Test helper: every `reference` string inside a value (a resource, a Bundle's entries), for checking
 * that references resolve inside the Bundle.
 */

/** The `reference` strings found anywhere below `value`, in document order. */
export function references(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((v) => references(v, out));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === 'reference' && typeof v === 'string') out.push(v);
      else references(v, out);
    }
  }
  return out;
}
