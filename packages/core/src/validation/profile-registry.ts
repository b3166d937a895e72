/**
 * The profiles, extensions and terminology the validator knows: this project's (profiles/generated, compiled
 * from FSH; profiles/terminology) and FHIR R4 core's. Each profile is prepared once: on first use, or all
 * at once by {@link ProfileRegistry.prepareAll} (a service, at startup).
 */
import { join } from 'node:path';
import type { CodeSystem, StructureDefinition, ValueSet } from '@medplum/fhirtypes';
import { PROFILES_DIR, TERMINOLOGY_DIR } from '../terminology/code-systems.js';
import { loadResources } from '../terminology/load-resources.js';
import { coreStructureDefinitions, coreTerminology, ensureCoreDefinitions } from './base-definitions.js';
import { registerMedplumView, type MedplumView } from './medplum-view.js';
import { STAND_IN_PROFILES } from './stand-in-profiles.js';
import { ValueSetIndex } from './value-sets.js';

/** Folder of the compiled profiles. */
export const GENERATED_PROFILES_DIR = join(PROFILES_DIR, 'generated');

/** A profile ready for validation. */
export interface LoadedProfile {
  readonly url: string;
  readonly sd: StructureDefinition;
  /** The resource type it constrains. */
  readonly type: string;
  /** Short name for diagnostics: the profile's id. */
  readonly name: string;
  /** The slice-free copy Medplum validates with. */
  readonly view: MedplumView;
}

/** What a declared canonical resolves to. */
export interface ProfileResolution {
  readonly profile: LoadedProfile;
  /** The IPS/EPS/MPD canonical it stands in for, when it does. */
  readonly standInFor?: string;
}

/** Profiles and terminology. Build once and share: preparing profiles and ValueSets costs time. */
export class ProfileRegistry {
  private readonly structures = new Map<string, StructureDefinition>();
  private readonly loaded = new Map<string, LoadedProfile>();
  private valueSetIndex: ValueSetIndex | undefined;

  /**
   * @param dir folder of the compiled profiles (default profiles/generated)
   * @param terminologyDir folder of the project's CodeSystems (default profiles/terminology)
   */
  constructor(
    private readonly dir: string = GENERATED_PROFILES_DIR,
    private readonly terminologyDir: string = TERMINOLOGY_DIR,
  ) {
    // Validation needs R4 core's StructureDefinitions from its first call on; read before Medplum's types are
    // indexed, they are parsed once for both (see ensureCoreDefinitions).
    coreStructureDefinitions();
    ensureCoreDefinitions();
    for (const sd of loadResources<StructureDefinition>('StructureDefinition', dir)) if (sd.url) this.structures.set(sd.url, sd);
  }

  /** The canonical URLs of this project's resource profiles (not extensions). */
  profileUrls(): string[] {
    return [...this.structures.values()].filter((sd) => sd.kind === 'resource' && sd.derivation === 'constraint').map((sd) => sd.url ?? '');
  }

  /** A profile by canonical (a `|version` suffix is ignored), directly or as the stand-in for an IPS/EPS/MPD one. */
  resolve(canonical: string): ProfileResolution | undefined {
    const url = canonical.split('|')[0] ?? canonical;
    const own = this.load(url);
    if (own) return { profile: own };
    const standIn = STAND_IN_PROFILES.get(url);
    const profile = standIn ? this.load(standIn) : undefined;
    return profile ? { profile, standInFor: url } : undefined;
  }

  /**
   * Prepares now what validation otherwise prepares on first use: every profile of {@link profileUrls} and
   * the ValueSets. A service calls it at startup (see preloadValidation).
   * @returns the canonical URLs of the profiles now prepared
   * @example defaultProfileRegistry().prepareAll() // ['https://…/no-mpd-medication', …]
   */
  prepareAll(): string[] {
    this.valueSets();
    return this.profileUrls().filter((url) => this.load(url) !== undefined);
  }

  /** A StructureDefinition by URL: the project's, then R4 core's (e.g. extension definitions). */
  structure(url: string): StructureDefinition | undefined {
    return this.structures.get(url) ?? coreStructureDefinitions().get(url);
  }

  /** ValueSet membership over R4 core and the project's terminology. */
  valueSets(): ValueSetIndex {
    if (!this.valueSetIndex) {
      const core = coreTerminology();
      const ownValueSets = loadResources<ValueSet>('ValueSet', this.dir);
      const ownCodeSystems = [...loadResources<CodeSystem>('CodeSystem', this.terminologyDir), ...loadResources<CodeSystem>('CodeSystem', this.dir)];
      this.valueSetIndex = new ValueSetIndex([...core.valueSets, ...ownValueSets], [...core.codeSystems, ...ownCodeSystems]);
    }
    return this.valueSetIndex;
  }

  private load(url: string): LoadedProfile | undefined {
    const cached = this.loaded.get(url);
    if (cached) return cached;
    const sd = this.structures.get(url);
    if (!sd?.type || sd.kind !== 'resource' || !sd.snapshot) return undefined;
    const profile: LoadedProfile = {
      url,
      sd,
      type: sd.type,
      name: sd.id ?? sd.name ?? url,
      view: registerMedplumView(sd, { keepRootConstraints: sd.type !== 'Bundle' }),
    };
    this.loaded.set(url, profile);
    return profile;
  }
}

let shared: ProfileRegistry | undefined;

/** The registry over profiles/generated, built on first use. */
export function defaultProfileRegistry(): ProfileRegistry {
  shared ??= new ProfileRegistry();
  return shared;
}
