/**
 * Deterministic UUIDs (RFC 4122 version 5 style, SHA-1 based) from a name, so that converting the same
 * input twice gives the same `fullUrl`s and resource ids (golden tests, idempotent storage).
 */
import { createHash } from 'node:crypto';

/**
 * A UUID derived from the parts.
 * @example stableUuid('m1', reseptId, 'Patient') // same input → same UUID
 */
export function stableUuid(...parts: readonly string[]): string {
  const h = createHash('sha1').update(parts.join('\u0000')).digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** `urn:uuid:` form of {@link stableUuid}, for Bundle `fullUrl`s. */
export function stableUrn(...parts: readonly string[]): string {
  return `urn:uuid:${stableUuid(...parts)}`;
}
