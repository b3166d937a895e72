/**
 * The R4 Bundle invariants that cost the most as FHIRPath (bdl-7 compares every fullUrl with every other:
 * 0.7 ms on a 30-entry summary; bdl-3 and bdl-4 walk every entry with `%resource`), written natively. Each
 * is used only when the profile's expression is exactly R4's, so a profile that changes one falls back to
 * FHIRPath.
 */
import type { Bundle, BundleEntry } from '@medplum/fhirtypes';

/** A native form of an invariant: true when it holds. */
type NativeInvariant = (bundle: Bundle, entries: readonly BundleEntry[]) => boolean;

const REQUEST_TYPES = new Set(['batch', 'transaction', 'history']);
const RESPONSE_TYPES = new Set(['batch-response', 'transaction-response', 'history']);

/** R4 expression → native form. */
const NATIVE: ReadonlyMap<string, NativeInvariant> = new Map<string, NativeInvariant>([
  [
    "entry.all(request.exists() = (%resource.type = 'batch' or %resource.type = 'transaction' or %resource.type = 'history'))",
    (b, entries) => entries.every((e) => (e.request !== undefined) === REQUEST_TYPES.has(b.type ?? '')),
  ],
  [
    "entry.all(response.exists() = (%resource.type = 'batch-response' or %resource.type = 'transaction-response' or %resource.type = 'history'))",
    (b, entries) => entries.every((e) => (e.response !== undefined) === RESPONSE_TYPES.has(b.type ?? '')),
  ],
  [
    "(type = 'history') or entry.where(fullUrl.exists()).select(fullUrl&resource.meta.versionId).isDistinct()",
    (b, entries) => {
      if (b.type === 'history') return true;
      const seen = new Set<string>();
      for (const e of entries) {
        if (e.fullUrl === undefined) continue;
        // FHIRPath `&` treats an empty operand as the empty string.
        const key = `${e.fullUrl}${e.resource?.meta?.versionId ?? ''}`;
        if (seen.has(key)) return false;
        seen.add(key);
      }
      return true;
    },
  ],
]);

/** The native form of an invariant expression, when there is one. */
export function nativeInvariant(expression: string): NativeInvariant | undefined {
  return NATIVE.get(expression);
}
