/**
 * The conformance resources under `profiles/` (CodeSystems, ConceptMaps, NamingSystems, ValueSets,
 * StructureDefinitions, OperationDefinitions), loaded once, readable by id and searchable by url.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { loadResources, PROFILES_DIR } from '@ehds-no/core';
import type { Resource } from '@medplum/fhirtypes';

/** The resource types served from `profiles/`. */
export const CONFORMANCE_TYPES = ['CodeSystem', 'ConceptMap', 'NamingSystem', 'ValueSet', 'StructureDefinition', 'OperationDefinition'] as const;
/** One of {@link CONFORMANCE_TYPES}. */
export type ConformanceType = (typeof CONFORMANCE_TYPES)[number];

type Canonical = Resource & { id?: string; url?: string; version?: string };

/** Is `type` served from `profiles/`? */
export function isConformanceType(type: string): type is ConformanceType {
  return (CONFORMANCE_TYPES as readonly string[]).includes(type);
}

/** All conformance resources of the project, by type. */
export class ConformanceRepository {
  private readonly byType = new Map<string, Canonical[]>();

  /** Loads every `<Type>-*.json` in every folder below `root`. */
  constructor(root: string = PROFILES_DIR) {
    const folders = [root, ...readdirSync(root).map((d) => join(root, d)).filter((d) => statSync(d).isDirectory())];
    for (const type of CONFORMANCE_TYPES) {
      this.byType.set(type, folders.filter(existsSync).flatMap((dir) => loadResources<Canonical>(type as Canonical['resourceType'], dir)));
    }
  }

  /** The resource of `type` with `id`. */
  read(type: ConformanceType, id: string): Canonical | undefined {
    return this.byType.get(type)?.find((r) => r.id === id);
  }

  /** Resources of `type`, those with canonical `url` (and `version`) when given. */
  search(type: ConformanceType, url?: string, version?: string): Canonical[] {
    return (this.byType.get(type) ?? []).filter((r) => (url === undefined || r.url === url) && (version === undefined || r.version === version));
  }
}
