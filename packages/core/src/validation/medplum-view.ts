/**
 * A profile as Medplum's validator can use it without re-reading it on every call.
 *
 * `validateResource(r, { profile })` parses the StructureDefinition on every call (4–27 ms for the
 * summary profiles), which would dominate validation. Instead each profile is registered once as a data
 * type of its own: a copy whose root path is renamed (so its BackboneElement types, e.g. `NoPsBundleEntry`,
 * never replace the base `BundleEntry`) and whose `type` is a URL (Medplum keeps URL-typed definitions in
 * its global type table). `validateTypedValue({ type: viewType, value })` then validates against it.
 *
 * Slices are left out of the copy: Medplum does not check what is inside a slice and cannot match a `type`
 * discriminator on a child path (it compares the slice's own type), so slices.ts checks slicing whole.
 * Bundle-level invariants are left out too (see invariants.ts: they are evaluated on the real Bundle,
 * while Medplum sees entries as stubs).
 */
import { loadDataType } from '@medplum/core';
import type { ElementDefinition, StructureDefinition } from '@medplum/fhirtypes';
import { EHDS_NO_CANONICAL_BASE } from '../terminology/fhir-systems.js';
import { CORE_SD_PREFIX, coreStructureDefinitions } from './base-definitions.js';

/** What a registered view is called in Medplum's type table. */
export interface MedplumView {
  /** The data type name to validate with (a URL). */
  readonly type: string;
  /** The renamed root path that Medplum's issue expressions start with. */
  readonly rootPath: string;
}

/** Type names of the views: URL-shaped, as Medplum keeps only those (and core types) in its global table. */
const VIEW_TYPE_PREFIX = `${EHDS_NO_CANONICAL_BASE}/medplum-view/`;

function renamePath(path: string, from: string, to: string): string {
  return path === from || path.startsWith(`${from}.`) ? to + path.slice(from.length) : path;
}

/** True for elements that define or belong to a slice. */
function inSlice(e: ElementDefinition): boolean {
  return e.sliceName !== undefined || (e.id ?? '').includes(':');
}

/** The parts of an element a profile can tighten (cardinality, types, fixed or pattern value, binding, invariants). */
function shape(e: ElementDefinition): string {
  const fixed = Object.entries(e).filter(([k]) => k.startsWith('fixed') || k.startsWith('pattern'));
  return JSON.stringify([e.min ?? 0, e.max ?? '*', (e.type ?? []).map((t) => [t.code, t.profile ?? [], t.targetProfile ?? []]), fixed, e.binding?.strength ?? null, e.binding?.valueSet ?? null, (e.constraint ?? []).map((c) => c.key).sort()]);
}

/**
 * True for a data type's child that the profile left as the data type defines it (SUSHI unfolds all of
 * `subject.*` to constrain `subject.reference`). Medplum checks those through the data type anyway, so
 * leaving them out of the view only saves work.
 */
function unchangedDataTypeChild(e: ElementDefinition, parentTypes: ReadonlyMap<string, readonly string[]>): boolean {
  const path = e.path ?? '';
  const parent = parentTypes.get(path.slice(0, path.lastIndexOf('.')));
  // Only children of a data type element: a BackboneElement's children are its own inner type's elements.
  if (!parent || parent.some((code) => code === 'BackboneElement' || code === 'Element')) return false;
  const basePath = e.base?.path ?? '';
  const type = basePath.split('.')[0] ?? '';
  const core = coreStructureDefinitions().get(`${CORE_SD_PREFIX}${type}`)?.snapshot?.element?.find((x) => x.path === basePath);
  return core !== undefined && shape(core) === shape({ ...e, constraint: e.constraint?.filter((c) => (core.constraint ?? []).some((k) => k.key === c.key)) ?? [] }) && (e.constraint ?? []).length === (core.constraint ?? []).length;
}

/**
 * Registers the view of `sd` (a profile with a snapshot) and returns its type name.
 * @param options.keepRootConstraints false for Bundles: their invariants are evaluated by invariants.ts
 */
export function registerMedplumView(sd: StructureDefinition, options: { keepRootConstraints: boolean }): MedplumView {
  const elements = sd.snapshot?.element ?? [];
  const from = elements[0]?.path ?? sd.type ?? '';
  // A name that cannot collide with a FHIR type: the profile's name, prefixed.
  const rootPath = `View${(sd.name ?? sd.id ?? 'Profile').replace(/[^A-Za-z0-9]/g, '')}`;
  const type = `${VIEW_TYPE_PREFIX}${sd.id ?? rootPath}`;
  const parentTypes = new Map(elements.filter((e) => !inSlice(e) && (e.path ?? '').includes('.')).map((e) => [e.path ?? '', (e.type ?? []).map((t) => t.code ?? '')]));
  const renamed: ElementDefinition[] = elements.filter((e) => !inSlice(e) && !unchangedDataTypeChild(e, parentTypes)).map((e, i) => {
    const copy: ElementDefinition = { ...e, id: renamePath(e.id ?? '', from, rootPath), path: renamePath(e.path ?? '', from, rootPath) };
    delete copy.slicing;
    if (e.base) copy.base = { ...e.base, path: renamePath(e.base.path ?? '', from, rootPath) };
    if (e.contentReference) copy.contentReference = `#${renamePath(e.contentReference.slice(1), from, rootPath)}`;
    if (i === 0 && !options.keepRootConstraints) copy.constraint = [];
    return copy;
  });
  loadDataType({ ...sd, url: type, type, snapshot: { element: renamed } });
  return { type, rootPath };
}
