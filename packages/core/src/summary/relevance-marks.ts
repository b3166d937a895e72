/**
 * Clinical relevance marks: a clinician marks an entry as most relevant. The mark (who, when) is kept by
 * the store apart from the summary, so it survives every rebuild; applying the marks puts marked entries
 * first in their section and records the mark on the entry (the narrative flags it).
 */
import type { Bundle, Composition, Extension, Reference, Resource } from '@medplum/fhirtypes';
import { IDENTIFIER_SYSTEM } from '../terminology/oids.js';
import { sectionByCode } from './sections/index.js';
import { SUMMARY_EXTENSION } from './summary-codes.js';

/** Who marked an entry, from the caller's token. */
export interface Clinician {
  /** HPR number. */
  readonly hpr?: string;
  readonly name?: string;
  /** Organisation number (ENH) of the clinician's organisation. */
  readonly organisation?: string;
}

/** A relevance mark on one entry. */
export interface RelevanceMark {
  /** The entry as `ResourceType/id` (ids are stable across versions). */
  readonly entry: string;
  readonly markedBy: Clinician;
  /** ISO 8601 instant. */
  readonly markedAt: string;
}

function markExtension(mark: RelevanceMark): Extension {
  const who: Reference = {
    ...(mark.markedBy.hpr ? { identifier: { system: IDENTIFIER_SYSTEM.hpr, value: mark.markedBy.hpr } } : {}),
    ...(mark.markedBy.name ? { display: mark.markedBy.name } : {}),
  };
  return {
    url: SUMMARY_EXTENSION.clinicalRelevance,
    extension: [
      { url: 'markedBy', valueReference: who },
      { url: 'markedAt', valueDateTime: mark.markedAt },
    ],
  };
}

/** The mark recorded on a resource, if any (for the narrative). */
export function markOf(resource: Resource): { by?: string; at?: string } | undefined {
  const ext = ('extension' in resource ? (resource.extension as Extension[] | undefined) : undefined)?.find((e) => e.url === SUMMARY_EXTENSION.clinicalRelevance);
  if (!ext) return undefined;
  const by = ext.extension?.find((e) => e.url === 'markedBy')?.valueReference;
  const at = ext.extension?.find((e) => e.url === 'markedAt')?.valueDateTime;
  return { ...(by?.display || by?.identifier?.value ? { by: by.display ?? `HPR ${by.identifier?.value ?? ''}` } : {}), ...(at ? { at } : {}) };
}

/** True when the mark names an entry of this document. */
export function marksEntry(bundle: Bundle, entry: string): boolean {
  return (bundle.entry ?? []).some((e) => e.resource && `${e.resource.resourceType}/${e.resource.id}` === entry);
}

/**
 * Applies the marks to an assembled summary (in place): each marked entry resource gets the mark
 * extension (earlier marks are removed first, so applying is repeatable), and each section lists its
 * marked entries first, each group newest first (the section's own date).
 */
export function applyMarks(bundle: Bundle, marks: readonly RelevanceMark[]): void {
  const byEntry = new Map(marks.map((m) => [m.entry, m]));
  const fullUrlOf = new Map<string, string>();
  for (const e of bundle.entry ?? []) {
    const r = e.resource as (Resource & { extension?: Extension[] }) | undefined;
    if (!r || !e.fullUrl) continue;
    const name = `${r.resourceType}/${r.id}`;
    fullUrlOf.set(e.fullUrl, name);
    if (r.resourceType === 'Composition' || r.resourceType === 'Provenance' || r.resourceType === 'Patient') continue;
    const kept = (r.extension ?? []).filter((x) => x.url !== SUMMARY_EXTENSION.clinicalRelevance);
    const mark = byEntry.get(name);
    const extension = mark ? [...kept, markExtension(mark)] : kept;
    if (extension.length) r.extension = extension;
    else delete r.extension;
  }
  const byUrl = new Map((bundle.entry ?? []).map((e) => [e.fullUrl ?? '', e.resource]));
  const composition = bundle.entry?.[0]?.resource as Composition | undefined;
  for (const section of composition?.section ?? []) {
    if (!section.entry) continue;
    const def = sectionByCode(section.code?.coding?.[0]?.code);
    const marked = (ref: Reference) => (byEntry.has(fullUrlOf.get(ref.reference ?? '') ?? '') ? 1 : 0);
    const date = (ref: Reference) => {
      const resource = byUrl.get(ref.reference ?? '');
      return (resource && def?.sortDate(resource)) ?? '';
    };
    // Marked first; then newest first; the fullUrl (stable per entry) breaks ties, so the order is repeatable.
    section.entry = [...section.entry].sort((a, b) => marked(b) - marked(a) || compareDesc(date(a), date(b)) || compareDesc(b.reference ?? '', a.reference ?? ''));
  }
}

function compareDesc(a: string, b: string): number {
  return a < b ? 1 : a > b ? -1 : 0;
}
