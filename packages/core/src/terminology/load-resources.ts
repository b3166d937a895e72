/**
 * Reads the FHIR resources of one kind from a folder of JSON files named `<ResourceType>-<id>.json`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Resource } from '@medplum/fhirtypes';

/**
 * Every `<type>-*.json` in `dir`, in file-name order.
 * @example loadResources<ConceptMap>('ConceptMap', TERMINOLOGY_DIR)
 */
export function loadResources<R extends Resource>(type: R['resourceType'], dir: string): R[] {
  return readdirSync(dir)
    .filter((f) => f.startsWith(`${type}-`) && f.endsWith('.json'))
    .sort()
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as R);
}
