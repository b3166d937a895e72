/**
 * Reading FHIR Bundles: entries of a type with their index (for FHIRPath locations), and references
 * resolved inside the Bundle (by fullUrl, or by `Type/id`).
 */
import type { Bundle, Reference, Resource } from '@medplum/fhirtypes';
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
 * The resource a reference points to inside the Bundle, if any.
 * @param type when given, a target of another type counts as not found (a reference may point anywhere)
 */
export function resolveInBundle<R extends Resource>(bundle: Bundle, ref: Reference | undefined, type?: R['resourceType']): Located<R> | undefined {
  const target = ref?.reference;
  if (!target) return undefined;
  const index = (bundle.entry ?? []).findIndex((e) => e.fullUrl === target || (e.resource && `${e.resource.resourceType}/${e.resource.id}` === target));
  const resource = index >= 0 ? bundle.entry?.[index]?.resource : undefined;
  if (!resource || (type !== undefined && resource.resourceType !== type)) return undefined;
  return { resource: resource as R, path: ['entry', index, 'resource'] };
}
