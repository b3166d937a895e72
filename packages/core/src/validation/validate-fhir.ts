/**
 * FHIR validation of a resource or a whole Bundle against FHIR R4 and this project's profiles, as one
 * OperationOutcome whose every issue points into the submitted document.
 *
 * Layers (docs/profiles.md, "The validator"):
 * 0. The datatypes of the JSON (fhir-json-shape.ts): a value of the wrong JSON type stops here, reported.
 * 1. Medplum `validateResource` per resource: structure, types, cardinality, invariants of its profile
 *    (a registered view, medplum-view.ts) or of base R4. A Bundle is checked as a shell whose entries are
 *    stubs, and each entry's resource on its own, so nothing is crawled twice.
 * 2. Each entry against its own profile: what it declares in `meta.profile` (IPS/EPS/MPD canonicals through
 *    their national stand-ins), its Bundle slot and the slot it is referred to from (a section's entries).
 * 3. Required bindings, against the R4 core ValueSets and the project's.
 * 4. Slices whole (slices.ts), the Bundle's invariants and the national document rules (invariants.ts).
 * 5. References resolved inside the Bundle (no false warnings for `urn:uuid:`), dangling ones reported.
 * 6. Norwegian person numbers (check digits, kind).
 */
import { isResourceType } from '@medplum/core';
import type { Bundle, OperationOutcome, Patient, Reference, Resource } from '@medplum/fhirtypes';
import { NATIONAL_PROFILE } from '../terminology/fhir-systems.js';
import { CORE_SD_PREFIX, coreStructureDefinitions } from './base-definitions.js';
import { elementPlan, walkPlan, type PlanNode } from './element-plan.js';
import { readFhirResource } from './fhir-json-shape.js';
import { bundleInvariantIssues, documentRuleIssues } from './invariants.js';
import { issue, settleIssues, validationOutcome, type ValidationIssue } from './issues.js';
import { medplumIssues } from './medplum-issues.js';
import { personIdentifierIssues } from './person-identifiers.js';
import { defaultProfileRegistry, type LoadedProfile, type ProfileRegistry } from './profile-registry.js';
import { BundleIndex, checkReferenceTarget, unresolvedReferences, type TargetProfileDemand } from './references.js';
import { checkRequiredBinding } from './required-bindings.js';
import { checkSlices } from './slices.js';

/** Options of {@link FhirValidator.validate}. */
export interface FhirValidationOptions {
  /** A profile canonical to validate the resource against, besides those it declares (the `$validate` `profile` parameter). */
  readonly profile?: string;
  /** Accept synthetic test person numbers (month + 80): test environments only. Default false. */
  readonly allowSyntheticIdentities?: boolean;
}

/** What one resource is checked in: its place in the document and the Bundle around it. */
interface Place {
  readonly prefix: string;
  readonly index?: BundleIndex;
}

/** A profile check's findings and the profiles it asks of other entries. */
interface Checked {
  readonly issues: ValidationIssue[];
  readonly demands: TargetProfileDemand[];
}

/** Validates FHIR resources and Bundles. Create once and reuse: profiles are prepared on first use. */
export class FhirValidator {
  constructor(private readonly registry: ProfileRegistry = defaultProfileRegistry()) {}

  /**
   * Validates a parsed FHIR JSON value. Bad input never throws: it is an issue in the outcome.
   * @example new FhirValidator().validate(bundle).issue // [{ severity: 'information', code: 'informational', … 'No issues found' }]
   */
  validate(input: unknown, options: FhirValidationOptions = {}): OperationOutcome {
    const resource = input as Resource | undefined;
    const type = resource && typeof resource === 'object' && !Array.isArray(resource) ? (resource as { resourceType?: unknown }).resourceType : undefined;
    if (typeof type !== 'string') return validationOutcome([issue('error', 'structure', 'Resource', 'not a FHIR resource: the JSON object needs a resourceType')], 'Resource');
    if (!isResourceType(type)) return validationOutcome([issue('error', 'structure', `${type}.resourceType`, `"${type}" is not a FHIR R4 resource type`)], type);

    // The datatypes first: the layers below read the resource through its TypeScript type, and a value of the
    // wrong JSON type (an identifier that is not an array) would make them throw instead of report.
    // Required codes are left to the binding layer below, which reports them beside everything else.
    const read = readFhirResource(resource, type as Resource['resourceType'], { requiredCodes: false });
    if (!read.ok) return read.outcome;

    const issues: ValidationIssue[] = [];
    const profiles = this.declaredProfiles(resource as Resource, type, type, options.profile, issues);
    if (type === 'Bundle') issues.push(...this.validateBundle(resource as Bundle, profiles, options));
    else issues.push(...this.validateAlone(resource as Resource, { prefix: type }, profiles, options).issues);
    return validationOutcome(settleIssues(issues), type);
  }

  /** The profiles a resource is to meet: the asked one and those in `meta.profile` that are known. */
  private declaredProfiles(resource: Resource, type: string, prefix: string, asked: string | undefined, issues: ValidationIssue[]): LoadedProfile[] {
    const out = new Map<string, LoadedProfile>();
    const add = (canonical: string, explicit: boolean) => {
      const resolution = this.registry.resolve(canonical);
      if (!resolution) {
        issues.push(explicit
          ? issue('error', 'not-supported', prefix, `profile ${canonical} is not known to this validator; known: ${this.registry.profileUrls().join(', ')}`)
          : issue('information', 'not-supported', `${prefix}.meta.profile`, `profile ${canonical} is not known to this validator and was not checked`));
        return;
      }
      if (resolution.profile.type !== type) {
        issues.push(issue('error', 'structure', explicit ? prefix : `${prefix}.meta.profile`, `profile ${canonical} constrains ${resolution.profile.type}, not ${type}`));
        return;
      }
      out.set(resolution.profile.url, resolution.profile);
    };
    if (asked) add(asked, true);
    for (const p of resource.meta?.profile ?? []) if (typeof p === 'string') add(p, false);
    return [...out.values()];
  }

  private validateBundle(submitted: Bundle, profiles: readonly LoadedProfile[], options: FhirValidationOptions): ValidationIssue[] {
    const issues: ValidationIssue[] = [];
    // Medplum sees the Bundle as submitted (and reports what is malformed); the other layers see entries
    // that are at least objects, at their original indices.
    const entries = (Array.isArray(submitted.entry) ? submitted.entry : []).map((e) => (e && typeof e === 'object' && !Array.isArray(e) ? e : {}));
    const bundle: Bundle = { ...submitted, entry: entries };
    const index = new BundleIndex(bundle);

    // The shell: entries as stubs (their resources are checked one by one below).
    const shell = { ...submitted, ...(Array.isArray(submitted.entry) ? { entry: submitted.entry.map((e) => (e && typeof e === 'object' && e.resource ? { ...e, resource: stub(e.resource) } : e)) } : {}) } as Bundle;
    const ownEntryPath = /^Bundle\.entry\[\d+\]\.resource[.[]/;
    const shellChecks = profiles.length > 0 ? profiles : [undefined];
    for (const profile of shellChecks) {
      const sd = profile?.sd ?? coreStructureDefinitions().get(`${CORE_SD_PREFIX}Bundle`);
      const against = profile ? profile.name : 'FHIR R4 Bundle';
      const fromMedplum = profile ? medplumIssues(shell, profile.view.type, profile.view.rootPath, 'Bundle', against) : medplumIssues(shell, 'Bundle', 'Bundle', 'Bundle', against);
      issues.push(...fromMedplum.filter((i) => !ownEntryPath.test(i.expression[0])));
      if (sd) issues.push(...bundleInvariantIssues(bundle, sd, against));
      issues.push(...this.bindingIssues(bundle, profile?.view.type ?? 'Bundle', 'Bundle'));
    }

    // Which profiles each entry must meet: its meta.profile, its Bundle slot, and (below) the slots it is referred to from.
    const wanted = entries.map(() => new Set<string>());
    for (const profile of profiles) {
      const slots = checkSlices(bundle, profile.sd, 'Bundle', profile.name, (url) => this.registry.structure(url));
      issues.push(...slots.issues);
      for (const d of slots.entryProfiles) wanted[d.entryIndex]?.add(d.profile);
    }
    const byEntry = entries.map((entry, i) => {
      const resource = entry?.resource;
      if (!resource || typeof resource !== 'object' || !isResourceType(resource.resourceType)) return [];
      return this.declaredProfiles(resource, resource.resourceType, `Bundle.entry[${i}].resource`, undefined, issues);
    });

    const done = entries.map(() => new Set<string>());
    const queue: { entry: number; profile: LoadedProfile | undefined }[] = [];
    const enqueue = (entry: number, profile: LoadedProfile | undefined) => {
      const key = profile?.url ?? '';
      if (done[entry]?.has(key)) return;
      done[entry]?.add(key);
      queue.push({ entry, profile });
    };
    entries.forEach((entry, i) => {
      const resource = entry?.resource;
      if (!resource || typeof resource !== 'object') return;
      const own = new Map((byEntry[i] ?? []).map((p) => [p.url, p]));
      for (const url of wanted[i] ?? []) {
        const slot = this.registry.resolve(url)?.profile;
        if (slot && slot.type === resource.resourceType) own.set(slot.url, slot);
      }
      if (own.size === 0) enqueue(i, undefined);
      for (const p of own.values()) enqueue(i, p);
      const prefix = `Bundle.entry[${i}].resource`;
      if (isResourceType(resource.resourceType)) issues.push(...unresolvedReferences(resource, prefix, index, bundle.type === 'document'));
      if (resource.resourceType === 'Patient') issues.push(...personIdentifierIssues(resource as Patient, prefix, options.allowSyntheticIdentities ?? false));
    });

    for (let next = queue.shift(); next; next = queue.shift()) {
      const resource = entries[next.entry]?.resource as Resource;
      const checked = this.checkResource(resource, { prefix: `Bundle.entry[${next.entry}].resource`, index }, next.profile);
      issues.push(...checked.issues);
      for (const d of checked.demands) {
        const target = entries[d.entryIndex]?.resource;
        const profile = this.registry.resolve(d.profile)?.profile;
        if (!profile || profile.type !== target?.resourceType) continue;
        // The target was checked against base R4 only: its profile check now covers that.
        enqueue(d.entryIndex, profile);
      }
    }
    // After the entries' own findings, so that a wrong reference is reported as such first.
    if (profiles.some((p) => p.url === NATIONAL_PROFILE.bundle)) issues.push(...documentRuleIssues(bundle));
    return issues;
  }

  /** A resource that is not in a Bundle. */
  private validateAlone(resource: Resource, place: Place, profiles: readonly LoadedProfile[], options: FhirValidationOptions): Checked {
    const issues: ValidationIssue[] = [];
    for (const profile of profiles.length > 0 ? profiles : [undefined]) issues.push(...this.checkResource(resource, place, profile).issues);
    if (resource.resourceType === 'Patient') issues.push(...personIdentifierIssues(resource as Patient, place.prefix, options.allowSyntheticIdentities ?? false));
    return { issues, demands: [] };
  }

  /** One resource against one profile (or base R4 when none). */
  private checkResource(resource: Resource, place: Place, profile: LoadedProfile | undefined): Checked {
    if (!isResourceType(resource.resourceType)) {
      return { issues: [issue('error', 'structure', `${place.prefix}.resourceType`, `"${String(resource.resourceType)}" is not a FHIR R4 resource type`)], demands: [] };
    }
    const against = profile ? profile.name : `FHIR R4 ${resource.resourceType}`;
    const type = profile?.view.type ?? resource.resourceType;
    // The project's own layers first: where they and Medplum point at the same place, theirs is the message kept.
    const issues: ValidationIssue[] = [];
    const demands: TargetProfileDemand[] = [];
    const contained = ((resource as { contained?: Resource[] }).contained ?? []).filter((c) => c && typeof c === 'object');
    const typeOf = (canonical: string) => this.registry.resolve(canonical)?.profile.type;
    walkPlan(resource, elementPlan(type), place.prefix, (v) => {
      if (v.node.requiredValueSet) {
        const problem = checkRequiredBinding(this.registry.valueSets(), v);
        if (problem) issues.push(problem);
      }
      if (v.node.targetProfiles) {
        const checked = checkReferenceTarget(v, place.index, typeOf, contained);
        if (checked.issue) issues.push(checked.issue);
        demands.push(...checked.demands);
      }
    });
    if (profile) {
      const slices = checkSlices(resource, profile.sd, place.prefix, profile.name, (url) => this.registry.structure(url));
      issues.push(...slices.issues);
      for (const r of slices.references) {
        const node: PlanNode = { name: '', type: 'Reference', targetProfiles: r.targetProfiles, children: [] };
        const checked = checkReferenceTarget({ node, value: r.reference as Reference, path: r.path }, place.index, typeOf, contained);
        if (checked.issue) issues.push({ ...checked.issue, diagnostics: `${checked.issue.diagnostics} (slice ${r.slice} of ${profile.name})` });
        demands.push(...checked.demands);
      }
    }
    issues.push(...medplumIssues(resource, type, profile?.view.rootPath ?? resource.resourceType, place.prefix, against));
    return { issues, demands };
  }

  /** Required bindings of a resource's own elements (for a Bundle: not inside its entries). */
  private bindingIssues(resource: Resource, type: string, prefix: string): ValidationIssue[] {
    const out: ValidationIssue[] = [];
    walkPlan(resource, elementPlan(type), prefix, (v) => {
      const problem = v.node.requiredValueSet ? checkRequiredBinding(this.registry.valueSets(), v) : undefined;
      if (problem) out.push(problem);
    });
    return out;
  }
}

/**
 * What Medplum sees of an entry's resource when the Bundle shell is checked: an empty `Parameters` (the
 * cheapest resource to crawl). The entry-level invariants (bdl-5, bdl-8) only ask that there is one; the
 * Bundle-level ones, which look at resource types, are evaluated on the real Bundle (invariants.ts).
 */
function stub(resource: Resource): unknown {
  return resource && typeof resource === 'object' ? { resourceType: 'Parameters' } : resource;
}
