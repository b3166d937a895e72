/**
 * Comparing what a request gives now with what an earlier one stored as JSON.
 */
import { isDeepStrictEqual } from 'node:util';

/** A value as it is stored (JSON): absent optional parts leave no key behind. */
const asStored = (value: unknown): unknown => (value === undefined ? undefined : JSON.parse(JSON.stringify(value)));

/**
 * True when `fresh` is what `stored` holds, compared as stored JSON: properties that are undefined count as
 * absent, and the order of keys does not count (a database's JSON column may reorder them).
 * @example sameAsStored({ b: 1, a: 'x' }, { a: 'x', b: 1, c: undefined }) // true
 */
export function sameAsStored(stored: unknown, fresh: unknown): boolean {
  return isDeepStrictEqual(asStored(stored), asStored(fresh));
}
