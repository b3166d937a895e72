/**
 * Deterministic UUIDs (RFC 4122 version 5 style, SHA-1 based) from a name, so that converting the same
 * input twice gives the same `fullUrl`s and resource ids (golden tests, idempotent storage).
 */
import { hash } from 'node:crypto';

/** The RFC 4122 variant nibble (binary 10xx) for each value of the low two bits of the hash's nibble. */
const VARIANT = '89ab';

/**
 * A UUID derived from the parts.
 * @example stableUuid('m1', reseptId, 'Patient') // same input → same UUID
 */
export function stableUuid(...parts: readonly string[]): string {
  // The one-shot hash() as hex, with the version and variant set on the text, costs less than half of a
  // createHash() object and a Buffer per id (a conversion makes about ten ids).
  const hex = hash('sha1', parts.join('\u0000'), 'hex');
  const version = `5${hex.slice(13, 16)}`;
  const variant = `${VARIANT[parseInt(hex.charAt(16), 16) & 0x3]!}${hex.slice(17, 20)}`;
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${version}-${variant}-${hex.slice(20, 32)}`;
}

/** `urn:uuid:` form of {@link stableUuid}, for Bundle `fullUrl`s. */
export function stableUrn(...parts: readonly string[]): string {
  return `urn:uuid:${stableUuid(...parts)}`;
}
