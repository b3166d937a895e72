/**
 * References inside a Bundle: resolved by `fullUrl` (urn:uuid, urn:oid or absolute) or `Type/id`, so that
 * valid `urn:uuid:` references raise no warning (Medplum's "Invalid reference" ones are dropped), while a
 * reference that resolves nowhere, or to the wrong kind of resource, is reported where it is.
 */
import type { Bundle, BundleEntry, Reference, Resource } from '@medplum/fhirtypes';
import { CORE_SD_PREFIX } from './base-definitions.js';
import type { PlannedValue } from './element-plan.js';
import { issue, type ValidationIssue } from './issues.js';

/** A resolved entry. */
export interface ResolvedEntry {
  readonly index: number;
  readonly resource: Resource;
}

const RELATIVE = /^([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(\/_history\/.+)?$/;

/** The entries of a Bundle by every name a reference may use for them. */
export class BundleIndex {
  private readonly byUrl = new Map<string, ResolvedEntry>();

  constructor(bundle: Bundle) {
    (Array.isArray(bundle.entry) ? bundle.entry : []).forEach((entry: BundleEntry, index) => {
      const resource = entry?.resource;
      if (!resource || typeof resource !== 'object') return;
      const resolved = { index, resource };
      if (entry.fullUrl && !this.byUrl.has(entry.fullUrl)) this.byUrl.set(entry.fullUrl, resolved);
      if (resource.id) {
        const relative = `${resource.resourceType}/${resource.id}`;
        if (!this.byUrl.has(relative)) this.byUrl.set(relative, resolved);
      }
    });
  }

  /** The entry a reference points at, if it is in the Bundle. */
  resolve(reference: string): ResolvedEntry | undefined {
    const direct = this.byUrl.get(reference);
    if (direct) return direct;
    // An absolute RESTful URL whose last two segments are Type/id. Split, then tested anchored: an unanchored
    // search from the end took time growing with the square of the reference's length (seconds at 40 KB).
    const tail = reference.split('/').slice(-2).join('/');
    return RELATIVE.test(tail) ? this.byUrl.get(tail) : undefined;
  }
}

/** The resource type a reference names without resolving it (`Patient/1`, `http://x/fhir/Patient/1`). */
function typeNamedBy(reference: string): string | undefined {
  if (reference.startsWith('urn:') || reference.startsWith('#')) return undefined;
  const tail = reference.replace(/\/_history\/[^/]+$/, '').split('/').slice(-2);
  return tail.length === 2 && RELATIVE.test(tail.join('/')) ? tail[0] : undefined;
}

/** Maps a target profile canonical to the resource type it stands for (undefined when not known). */
export type ProfileTypeLookup = (canonical: string) => string | undefined;

/** What a reference in a profiled resource asks of its target. */
export interface TargetProfileDemand {
  readonly entryIndex: number;
  readonly profile: string;
}

/**
 * Checks a planned Reference value: the target's type against the element's target profiles. Returns the
 * issue, if any, and the project profiles the (resolved) target must meet.
 */
export function checkReferenceTarget(
  v: PlannedValue, index: BundleIndex | undefined, typeOf: ProfileTypeLookup, contained: readonly Resource[],
): { issue?: ValidationIssue; demands: TargetProfileDemand[] } {
  const ref = (v.value as Reference).reference;
  const targets = v.node.targetProfiles ?? [];
  if (typeof ref !== 'string' || targets.length === 0) return { demands: [] };
  const resolved = ref.startsWith('#') ? undefined : index?.resolve(ref);
  const containedType = ref.startsWith('#') ? contained.find((c) => c.id === ref.slice(1))?.resourceType : undefined;
  const actual = resolved?.resource.resourceType ?? containedType ?? typeNamedBy(ref);
  if (!actual) return { demands: [] };
  const allowed = targets.map((t) => (t.startsWith(CORE_SD_PREFIX) ? t.slice(CORE_SD_PREFIX.length) : typeOf(t)));
  // Any target that cannot be typed (an unknown profile) means the check cannot refuse.
  if (allowed.some((t) => t === undefined || t === 'Resource')) return { demands: [] };
  if (!allowed.includes(actual)) {
    const names = [...new Set(allowed)].join(', ');
    return { issue: issue('error', 'structure', v.path, `refers to a resource of type ${actual}; this element takes ${names}`), demands: [] };
  }
  const demands = resolved
    ? targets.filter((t, i) => !t.startsWith(CORE_SD_PREFIX) && allowed[i] === actual).map((profile) => ({ entryIndex: resolved.index, profile }))
    : [];
  return { demands };
}

/**
 * Every reference in `resource` that does not resolve inside the Bundle. In a document every reference
 * must resolve (FHIR documents are self-contained); elsewhere a `urn:` reference must (it can name nothing
 * outside the Bundle), and a RESTful one only earns a warning.
 */
export function unresolvedReferences(resource: Resource, prefix: string, index: BundleIndex, isDocument: boolean): ValidationIssue[] {
  const out: ValidationIssue[] = [];
  const containedIds = new Set(((resource as { contained?: Resource[] }).contained ?? []).map((c) => c.id));
  const walk = (value: unknown, path: string, key: string | undefined) => {
    // Contained resources are checked with their container's own rules, not as document references.
    if (key === 'contained') return;
    if (Array.isArray(value)) {
      value.forEach((v, i) => walk(v, `${path}[${i}]`, undefined));
      return;
    }
    if (!value || typeof value !== 'object') return;
    const object = value as Record<string, unknown>;
    const ref = object.reference;
    if (typeof ref === 'string') {
      const found = ref.startsWith('#') ? containedIds.has(ref.slice(1)) || ref === '#' : index.resolve(ref) !== undefined;
      if (!found) {
        const mustResolve = isDocument || ref.startsWith('urn:') || ref.startsWith('#');
        out.push(issue(mustResolve ? 'error' : 'warning', 'not-found', `${path}.reference`, `reference "${ref.length > 100 ? `${ref.slice(0, 100)}…` : ref}" does not resolve to any entry in the Bundle${mustResolve ? ' (dangling reference)' : ''}`));
      }
    }
    for (const [k, v] of Object.entries(object)) if (v && typeof v === 'object') walk(v, `${path}.${k}`, k);
  };
  for (const [k, v] of Object.entries(resource)) if (v && typeof v === 'object') walk(v, `${prefix}.${k}`, k);
  return out;
}
