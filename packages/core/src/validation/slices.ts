/**
 * Slicing, checked whole: which value belongs to which slice, slice cardinality, the elements required
 * inside a slice (Medplum misses a 1..1 element inside a slice: tooling-notes.md §3), a slice's own
 * invariants, the value type of sliced extensions, and what a slice asks of the resources it refers to
 * (a section slot's entry profile, a Bundle entry slot's resource profile).
 */
import { deepEquals, deepIncludes } from '@medplum/core';
import type { ElementDefinition, ElementDefinitionConstraint, ElementDefinitionType, StructureDefinition } from '@medplum/fhirtypes';
import { invariantHolds } from './fhirpath-cache.js';
import { issue, type ValidationIssue } from './issues.js';

/** One slice of a sliced element, read from the snapshot. */
interface SliceSpec {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly type: readonly ElementDefinitionType[];
  readonly constraints: readonly ElementDefinitionConstraint[];
  /** The slice's child elements by path below the slice (`value`, `code.coding`). */
  readonly elements: ReadonlyMap<string, ElementDefinition>;
}

/** A sliced element of a profile, located by JSON property names from the resource root. */
interface SlicingSite {
  readonly keys: readonly string[];
  readonly discriminators: readonly { readonly type: string; readonly path: string }[];
  readonly slices: readonly SliceSpec[];
  /** Invariants of the sliced element itself (Medplum checks those on every value). */
  readonly baseConstraints: ReadonlySet<string>;
}

/** A reference made from inside a slice whose definition names target profiles. */
export interface SliceReference {
  readonly path: string;
  readonly reference: unknown;
  readonly targetProfiles: readonly string[];
  readonly slice: string;
}

/** What the slice check found. */
export interface SliceFindings {
  readonly issues: ValidationIssue[];
  /** References made from slices with target profiles (e.g. section entries): checked by the caller. */
  readonly references: SliceReference[];
  /** Bundle entries a slot assigns a profile to. */
  readonly entryProfiles: { readonly entryIndex: number; readonly profile: string }[];
}

/** Looks up an extension definition by URL. */
export type StructureLookup = (url: string) => StructureDefinition | undefined;

const sites = new WeakMap<StructureDefinition, SlicingSite[]>();

function maxOf(max: string | undefined): number {
  return max === undefined || max === '*' ? Number.POSITIVE_INFINITY : Number(max);
}

/** The value of an element's `fixed[x]` or `pattern[x]`. */
function fixedOrPattern(e: ElementDefinition | undefined): { value: unknown; pattern: boolean } | undefined {
  if (!e) return undefined;
  for (const [k, v] of Object.entries(e)) {
    if (k.startsWith('fixed')) return { value: v, pattern: false };
    if (k.startsWith('pattern')) return { value: v, pattern: true };
  }
  return undefined;
}

/**
 * The slicings of a profile, read from its snapshot. (Medplum's own parser mixes up slices nested in slices,
 * e.g. the extension slices every section slice repeats, so the snapshot is read directly.) Slicings inside a
 * slice are left out: the same slicing on the unsliced element applies to every value anyway.
 */
function slicingSites(sd: StructureDefinition): SlicingSite[] {
  const cached = sites.get(sd);
  if (cached) return cached;
  const elements = sd.snapshot?.element ?? [];
  const root = elements[0]?.path ?? '';
  const out: SlicingSite[] = [];
  const unsliced = new Map(elements.filter((e) => !(e.id ?? '').includes(':')).map((e) => [e.id ?? '', e]));
  for (const sliced of elements) {
    const id = sliced.id ?? '';
    if (!sliced.slicing || id.includes(':')) continue;
    const slices: SliceSpec[] = [];
    for (const e of elements) {
      const eid = e.id ?? '';
      if (!e.sliceName || eid !== `${id}:${e.sliceName}`) continue;
      const children = new Map<string, ElementDefinition>();
      for (const c of elements) {
        const cid = c.id ?? '';
        if (!cid.startsWith(`${eid}.`)) continue;
        const rest = cid.slice(eid.length + 1);
        // Only what the slice adds to the element it slices: the rest Medplum checks on every value.
        if (!rest.includes(':') && addsToBase(c, unsliced.get(`${id}.${rest}`))) children.set(rest, c);
      }
      slices.push({ name: e.sliceName, min: e.min ?? 0, max: maxOf(e.max), type: e.type ?? [], constraints: e.constraint ?? [], elements: children });
    }
    if (slices.length === 0) continue;
    out.push({
      keys: id.slice(root.length + 1).split('.').map((k) => k.replace('[x]', '')),
      discriminators: (sliced.slicing.discriminator ?? []).map((d) => ({ type: d.type ?? 'value', path: d.path ?? '$this' })),
      slices,
      baseConstraints: new Set((sliced.constraint ?? []).map((c) => c.key ?? '')),
    });
  }
  sites.set(sd, out);
  return out;
}

/** The parts of an element definition a slice can tighten. */
function constraintShape(e: ElementDefinition): string {
  return JSON.stringify([e.min ?? 0, e.max ?? '*', e.type ?? [], fixedOrPattern(e) ?? null, (e.constraint ?? []).map((c) => c.key)]);
}

/** True when a slice's child element says more than the unsliced element at the same path. */
function addsToBase(child: ElementDefinition, base: ElementDefinition | undefined): boolean {
  return !base || constraintShape(child) !== constraintShape(base);
}

interface Located {
  readonly value: unknown;
  readonly path: string;
}

/** The values of `key` in `parent`, each with its FHIRPath. */
function childValues(parent: Located, key: string): Located[] {
  const raw = (parent.value as Record<string, unknown> | undefined)?.[key];
  if (raw === undefined || raw === null) return [];
  if (Array.isArray(raw)) return raw.map((value, i) => ({ value, path: `${parent.path}.${key}[${i}]` }));
  return [{ value: raw, path: `${parent.path}.${key}` }];
}

/** Values at a dotted path below `parent`. */
function valuesAt(parent: Located, dotted: string): Located[] {
  let current = [parent];
  for (const key of dotted.split('.')) current = current.flatMap((p) => childValues(p, key));
  return current;
}

function discriminatorMatches(value: unknown, slice: SliceSpec, discriminator: { type: string; path: string }): boolean {
  const located = discriminator.path === '$this' ? [{ value, path: '' }] : valuesAt({ value, path: '' }, discriminator.path);
  if (discriminator.type === 'type') {
    const allowed = (slice.elements.get(discriminator.path)?.type ?? slice.type).map((t) => t.code ?? '');
    return located.some((l) => allowed.includes((l.value as { resourceType?: string }).resourceType ?? ''));
  }
  const fixed = discriminator.path === '$this' ? undefined : fixedOrPattern(slice.elements.get(discriminator.path));
  // An extension slice is matched by its profile's URL (the meaning of the `url` discriminator).
  const expected = fixed?.value ?? (discriminator.path === 'url' ? slice.type[0]?.profile?.[0] : undefined);
  if (expected === undefined) return false;
  const pattern = fixed?.pattern ?? false;
  return located.some((l) => (pattern ? deepIncludes(l.value, expected) : deepEquals(l.value, expected)));
}

function sliceOf(value: unknown, site: SlicingSite): SliceSpec | undefined {
  return site.slices.find((slice) => site.discriminators.every((d) => discriminatorMatches(value, slice, d)));
}

function cardinality(min: number, max: number): string {
  return `${min}..${Number.isFinite(max) ? max : '*'}`;
}

/** The value[x] of an extension definition: allowed types and whether a value is required. */
function extensionValueRule(sd: StructureDefinition): { types: string[]; min: number } | undefined {
  const element = sd.snapshot?.element?.find((e) => e.path === 'Extension.value[x]');
  if (!element || element.max === '0') return undefined;
  return { types: (element.type ?? []).map((t) => t.code ?? ''), min: element.min ?? 0 };
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** Checks the value of an extension against its definition: present when required, and of an allowed type. */
function checkExtensionValue(ext: Located, sd: StructureDefinition, sliceName: string): ValidationIssue | undefined {
  const rule = extensionValueRule(sd);
  if (!rule) return undefined;
  const object = ext.value as Record<string, unknown>;
  const valueKey = Object.keys(object).find((k) => k.startsWith('value') && k.length > 5);
  if (!valueKey) {
    return rule.min > 0 ? issue('error', 'required', ext.path, `extension ${sliceName} (${sd.url}) needs a value of type ${rule.types.join(' or ')}`) : undefined;
  }
  const allowed = rule.types.map((t) => `value${capitalize(t)}`);
  if (!allowed.includes(valueKey)) {
    return issue('error', 'structure', `${ext.path}.${valueKey}`, `extension ${sliceName} (${sd.url}) takes ${allowed.join(' or ')}, not ${valueKey} (wrong datatype)`);
  }
  return undefined;
}

/**
 * Checks every slicing of `profile` on `resource`.
 * @param prefix FHIRPath of the resource in the document
 * @param profileName how diagnostics name the profile
 */
export function checkSlices(resource: unknown, profile: StructureDefinition, prefix: string, profileName: string, structure: StructureLookup): SliceFindings {
  const findings: SliceFindings = { issues: [], references: [], entryProfiles: [] };
  const root: Located = { value: resource, path: prefix };
  for (const site of slicingSites(profile)) {
    let parents = [root];
    for (const key of site.keys.slice(0, -1)) parents = parents.flatMap((p) => childValues(p, key));
    const last = site.keys[site.keys.length - 1] ?? '';
    for (const parent of parents) checkSite(site, parent, last, profileName, structure, findings);
  }
  return findings;
}

function checkSite(site: SlicingSite, parent: Located, key: string, profileName: string, structure: StructureLookup, findings: SliceFindings): void {
  const values = childValues(parent, key);
  const sitePath = `${parent.path}.${key}`;
  const counts = new Map<string, number>();
  values.forEach((located, index) => {
    const slice = sliceOf(located.value, site);
    if (!slice) return;
    counts.set(slice.name, (counts.get(slice.name) ?? 0) + 1);
    checkInsideSlice(located, index, slice, site, profileName, structure, findings);
  });
  for (const slice of site.slices) {
    const n = counts.get(slice.name) ?? 0;
    if (n < slice.min || n > slice.max) {
      findings.issues.push(issue('error', 'structure', sitePath, `${key}: ${n} ${describeSlice(slice)} found; ${profileName} requires ${cardinality(slice.min, slice.max)} (slice ${slice.name})`));
    }
  }
}

/** How a vendor recognises a slice: its fixed code, system or type. */
function describeSlice(slice: SliceSpec): string {
  const code = fixedOrPattern(slice.elements.get('code'))?.value as { coding?: { system?: string; code?: string }[] } | undefined;
  const coding = code?.coding?.[0];
  if (coding?.code) return `with code ${coding.system ?? ''}|${coding.code}`;
  const system = fixedOrPattern(slice.elements.get('system'))?.value;
  if (typeof system === 'string') return `with system ${system}`;
  const resource = slice.elements.get('resource')?.type?.map((t) => t.code).join('/');
  if (resource) return resource;
  const ext = slice.type[0]?.profile?.[0];
  return ext ? `extension ${ext}` : `value(s) of slice ${slice.name}`;
}

function checkInsideSlice(
  located: Located, index: number, slice: SliceSpec, site: SlicingSite, profileName: string, structure: StructureLookup, findings: SliceFindings,
): void {
  const where = `slice ${slice.name} of ${profileName}`;
  const typeCode = slice.type[0]?.code ?? 'Element';
  for (const c of slice.constraints) {
    if (c.severity !== 'error' || !c.key || !c.expression || site.baseConstraints.has(c.key) || c.key === 'ele-1') continue;
    if (!invariantHolds(c.expression, { type: typeCode === 'BackboneElement' ? 'Element' : typeCode, value: located.value })) {
      findings.issues.push(issue('error', 'invariant', located.path, `${c.key}: ${c.human ?? c.expression} (${where})`));
    }
  }
  for (const [key, element] of slice.elements) {
    const min = element.min ?? 0;
    const max = maxOf(element.max);
    const jsonKey = key.replace('[x]', '');
    const found = key.endsWith('[x]') ? choiceValues(located, jsonKey) : valuesAt(located, jsonKey);
    if (found.length < min && parentPresent(located, jsonKey)) {
      findings.issues.push(issue('error', 'required', `${located.path}.${jsonKey}`, `${jsonKey} is required in ${where} (${cardinality(min, max)}) but missing`));
    } else if (found.length > max) {
      findings.issues.push(issue('error', 'structure', `${located.path}.${jsonKey}`, `${jsonKey} has ${found.length} value(s); ${where} allows ${cardinality(min, max)}`));
    }
    if (key.endsWith('[x]')) {
      const wrong = wrongChoiceType(found, jsonKey, element);
      if (wrong) findings.issues.push(issue('error', 'structure', wrong.path, `${wrong.path.slice(wrong.path.lastIndexOf('.') + 1)}: ${where} takes ${wrong.allowed} (wrong datatype)`));
    }
    const reference = element.type?.find((t) => t.code === 'Reference' && t.targetProfile?.length);
    if (reference?.targetProfile) {
      for (const f of found) findings.references.push({ path: f.path, reference: f.value, targetProfiles: reference.targetProfile, slice: slice.name });
    }
    if (key === 'resource' && site.keys.length === 1 && site.keys[0] === 'entry') {
      for (const profile of (element.type ?? []).flatMap((t) => t.profile ?? [])) findings.entryProfiles.push({ entryIndex: index, profile });
    }
  }
  const extensionUrl = typeCode === 'Extension' ? slice.type[0]?.profile?.[0] : undefined;
  const definition = extensionUrl ? structure(extensionUrl) : undefined;
  if (definition) {
    const problem = checkExtensionValue(located, definition, slice.name);
    if (problem) findings.issues.push(problem);
    // A complex extension's own parts (e.g. source and status of section-source-status) are slices too.
    const inner = checkSlices(located.value, definition, located.path, definition.id ?? extensionUrl ?? slice.name, structure);
    findings.issues.push(...inner.issues);
  }
}

/** A value of a choice element whose type the slice does not allow. */
function wrongChoiceType(found: readonly Located[], stem: string, element: ElementDefinition): { path: string; allowed: string } | undefined {
  const allowed = (element.type ?? []).map((t) => `${stem}${capitalize(t.code ?? '')}`);
  if (allowed.length === 0) return undefined;
  const bad = found.find((f) => !allowed.some((a) => f.path.endsWith(`.${a}`) || f.path.includes(`.${a}[`)));
  return bad ? { path: bad.path, allowed: allowed.join(' or ') } : undefined;
}

/** The values of a choice element (`value[x]` → `valueString`, `valueCode` …) below `located`. */
function choiceValues(located: Located, stem: string): Located[] {
  const object = located.value as Record<string, unknown> | undefined;
  if (!object || typeof object !== 'object') return [];
  return Object.keys(object).filter((k) => k.startsWith(stem) && k.length > stem.length && /[A-Z]/.test(k.charAt(stem.length))).flatMap((k) => childValues(located, k));
}

/** A nested required element only counts as missing when its parent is there (`code.coding` needs `code`). */
function parentPresent(located: Located, dotted: string): boolean {
  const parts = dotted.split('.');
  return parts.length === 1 || valuesAt(located, parts.slice(0, -1).join('.')).length > 0;
}
