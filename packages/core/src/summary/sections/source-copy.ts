/**
 * Taking a source's resource into the summary: without the source's id and meta (the summary gives
 * every entry its own stable id; the source record is named in the entry's Provenance instead).
 */
import type { Resource } from '@medplum/fhirtypes';
import type { SourceRecordRef } from '../summary-model.js';
import type { SourceName, SourceSnapshot } from '../sources/source-data.js';

/** A copy of a source resource without `id` and `meta`. */
export function withoutSourceIdentity<R extends Resource>(resource: R): R {
  const copy: Resource = { ...resource };
  delete copy.id;
  delete copy.meta;
  return copy as R;
}

/** The record reference for a resource of a fetched snapshot (its id, with the version when known). */
export function recordOf(snapshot: SourceSnapshot<SourceName>, resource: Resource): SourceRecordRef {
  const version = resource.meta?.versionId;
  const id = `${resource.resourceType}/${resource.id ?? '?'}${version ? `/_history/${version}` : ''}`;
  return { source: snapshot.source, id, fetchedAt: snapshot.fetchedAt };
}

