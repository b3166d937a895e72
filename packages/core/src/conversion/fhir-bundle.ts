/**
 * Reading FHIR Bundles: entries of a type with their index (for FHIRPath locations), and references
 * resolved inside the Bundle (by fullUrl, or by `Type/id`).
 */
import type { Bundle, BundleEntry, Reference, Resource } from '@medplum/fhirtypes';
import { refuse } from './refusal.js';
import type { PathRenderer, SourcePath } from './report.js';

/** A resource found in a Bundle, with the path of its entry. */
export interface Located<R extends Resource> {
  readonly resource: R;
  /** `['entry', i, 'resource']`. */
  readonly path: SourcePath;
}

/** Renders source paths below a Bundle as FHIRPath, e.g. `Bundle.entry[2].resource.quantity`. */
export const bundleFhirPath: PathRenderer = {
  kind: 'fhirpath',
  render: (path) => path.reduce<string>((acc, seg) => (typeof seg === 'number' ? `${acc}[${seg}]` : `${acc}.${seg}`), 'Bundle'),
};

/** Every entry whose resource has the given type. */
export function entriesOfType<R extends Resource>(bundle: Bundle, type: R['resourceType']): Located<R>[] {
  const out: Located<R>[] = [];
  (bundle.entry ?? []).forEach((e, i) => {
    if (e.resource?.resourceType === type) out.push({ resource: e.resource as R, path: ['entry', i, 'resource'] });
  });
  return out;
}

/**
 * The first entry whose fullUrl an earlier entry already has, with the index of that earlier entry:
 * a reference to it would be ambiguous (FHIR's bdl-7). Undefined when every fullUrl is unique.
 * @example repeatedFullUrl(bundle) // { index: 3, first: 1 }
 */
export function repeatedFullUrl(bundle: Bundle): { readonly index: number; readonly first: number } | undefined {
  const seen = new Map<string, number>();
  const entries = bundle.entry ?? [];
  for (let i = 0; i < entries.length; i++) {
    const url = entries[i]?.fullUrl;
    if (url === undefined) continue;
    const first = seen.get(url);
    if (first !== undefined) return { index: i, first };
    seen.set(url, i);
  }
  return undefined;
}

/** Why a repeated fullUrl is refused, for {@link repeatedFullUrl}'s answer. */
export function repeatedFullUrlMessage(first: number): string {
  return `fullUrl repeats that of entry[${first}]: references in the Bundle would be ambiguous (bdl-7)`;
}

/** Most entries a Bundle may have for references to be resolved by a scan, without an index. */
const SCAN_MAX = 32;
const SLASH = 0x2f;

/** Whether an entry is what `target` refers to: its fullUrl, or its resource's `Type/id` (compared without building it). */
function answersTo(entry: BundleEntry, target: string): boolean {
  if (entry.fullUrl === target) return true;
  const r = entry.resource;
  if (r?.id === undefined) return false;
  const type = r.resourceType;
  return target.length === type.length + 1 + r.id.length && target.charCodeAt(type.length) === SLASH && target.startsWith(type) && target.endsWith(r.id);
}

/**
 * A Bundle's entries by what a reference to them may say: their fullUrl, or `Type/id`. The few entries of an
 * ordinary Bundle are scanned; a large one gets an index, built on the first look-up, so that resolving
 * costs one look-up however many entries and references the Bundle has (a scan per reference grew with
 * their product).
 */
export class BundleReferences {
  /** The entry index of each reference target: the first entry that answers to it, as a scan would find. */
  private byTarget: Map<string, number> | undefined;

  constructor(readonly bundle: Bundle) {}

  /**
   * The resource a reference points to inside the Bundle, if any.
   * @param type when given, a target of another type counts as not found (a reference may point anywhere)
   */
  resolve<R extends Resource>(ref: Reference | undefined, type?: R['resourceType']): Located<R> | undefined {
    const target = ref?.reference;
    if (!target) return undefined;
    const index = this.indexOf(target);
    const resource = index === undefined ? undefined : this.bundle.entry?.[index]?.resource;
    if (!resource || (type !== undefined && resource.resourceType !== type)) return undefined;
    return { resource: resource as R, path: ['entry', index!, 'resource'] };
  }

  private indexOf(target: string): number | undefined {
    const entries = this.bundle.entry ?? [];
    if (entries.length <= SCAN_MAX) {
      for (let i = 0; i < entries.length; i++) if (entries[i] && answersTo(entries[i]!, target)) return i;
      return undefined;
    }
    if (!this.byTarget) {
      const byTarget = new Map<string, number>();
      for (let i = 0; i < entries.length; i++) {
        const e = entries[i];
        if (e?.fullUrl !== undefined && !byTarget.has(e.fullUrl)) byTarget.set(e.fullUrl, i);
        const r = e?.resource;
        if (r?.id !== undefined) {
          const local = `${r.resourceType}/${r.id}`;
          if (!byTarget.has(local)) byTarget.set(local, i);
        }
      }
      this.byTarget = byTarget;
    }
    return this.byTarget.get(target);
  }
}

/**
 * The references of a Bundle: `target` itself when it already is them, so that a caller resolving many
 * references builds them once.
 */
export function bundleReferences(target: Bundle | BundleReferences): BundleReferences {
  return target instanceof BundleReferences ? target : new BundleReferences(target);
}

/**
 * The resource a reference points to inside the Bundle, if any.
 * @param bundle the Bundle, or its {@link BundleReferences} when it resolves more than one reference
 * @param type when given, a target of another type counts as not found (a reference may point anywhere)
 */
export function resolveInBundle<R extends Resource>(bundle: Bundle | BundleReferences, ref: Reference | undefined, type?: R['resourceType']): Located<R> | undefined {
  return ref?.reference ? bundleReferences(bundle).resolve<R>(ref, type) : undefined;
}

/**
 * The `type` resource a reference in the Bundle points to, for references the conversion reads: one that
 * finds nothing in the Bundle, or a resource of another type, refuses the conversion (400 at `path`)
 * instead of being read as what it is not. Undefined when there is no reference.
 * @param what how the reference is named in the refusal, e.g. `PractitionerRole.organization`
 * @example referencedInBundle<Organization>(bundle, role.organization, 'Organization', [...rolePath, 'organization'], 'organization')
 */
export function referencedInBundle<R extends Resource>(bundle: Bundle | BundleReferences, ref: Reference | undefined, type: R['resourceType'], path: SourcePath, what: string): Located<R> | undefined {
  if (!ref?.reference) return undefined;
  const found = resolveInBundle<R>(bundle, ref, type);
  if (!found) refuse('invalid', 'structure', path, `${what} must refer to a ${type} in the Bundle`);
  return found;
}
