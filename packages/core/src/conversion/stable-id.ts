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

/** The scheme prefix of a UUID URN (RFC 4122), as Bundle `fullUrl`s carry them. */
const URN_UUID_PREFIX = 'urn:uuid:';

/**
 * The `urn:uuid:` URN of a UUID, for Bundle `fullUrl`s.
 * @example uuidUrn(patient.id) // 'urn:uuid:…'
 */
export function uuidUrn(uuid: string): string {
  return `${URN_UUID_PREFIX}${uuid}`;
}

/** `urn:uuid:` form of {@link stableUuid}, for Bundle `fullUrl`s. */
export function stableUrn(...parts: readonly string[]): string {
  return uuidUrn(stableUuid(...parts));
}

/**
 * The UUID of a `urn:uuid:` URN, used as the resource id of the entry it names.
 * @example uuidOfUrn('urn:uuid:0f6c1c55-2d5e-4b7a-9a43-7c1d2e3f4a5b') // '0f6c1c55-…'
 */
export function uuidOfUrn(urn: string): string {
  return urn.slice(URN_UUID_PREFIX.length);
}
