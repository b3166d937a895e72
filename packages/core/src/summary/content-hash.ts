/**
 * The clinical content of a summary as a hash: two builds that would show a clinician the same thing have
 * the same hash, so a rebuild with nothing new creates no new version. Left out: this build's times and
 * document identity (Bundle id/meta/identifier/timestamp, Composition.date, Provenance.recorded and fetch
 * times) and the Composition's narrative (rendered per request). Kept: every entry, section state, mark, and which source
 * records each entry came from.
 */
import { createHash } from 'node:crypto';
import type { Bundle, Composition, Provenance, Resource } from '@medplum/fhirtypes';

function projection(resource: Resource): unknown {
  if (resource.resourceType === 'Provenance') {
    const p = resource as Provenance;
    return { target: p.target, entity: (p.entity ?? []).map((e) => e.what.identifier) };
  }
  if (resource.resourceType === 'Composition') {
    const c = resource as Composition;
    return (c.section ?? []).map((s) => ({ code: s.code, entry: s.entry, emptyReason: s.emptyReason, extension: s.extension }));
  }
  // Entry resources carry no build-specific meta or narrative (the assembly strips the sources' meta and
  // narrative is added to the Composition only), so they are hashed as they are, without a copy.
  return resource;
}

/** SHA-256 (hex) of the summary's clinical content. */
export function contentHash(bundle: Bundle): string {
  const parts = (bundle.entry ?? []).map((e) => (e.resource ? projection(e.resource) : null));
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex');
}
