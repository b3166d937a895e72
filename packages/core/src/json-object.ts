/**
 * The one test for "a JSON object" that the readers of untrusted JSON share (source answers, change
 * notifications, request bodies, test-patient files): parsed JSON is only `unknown` until each step has
 * checked the type before it looks inside.
 */

/**
 * True for a JSON object: not `null`, not an array, not a primitive.
 * @example isJsonObject({ resourceType: 'Bundle' }) // true; isJsonObject([]) and isJsonObject(null) // false
 */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
