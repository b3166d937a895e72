/**
 * Code lists as data: FHIR CodeSystem resources under `profiles/terminology/`, loaded once and looked up
 * by OID. Only a CodeSystem with `content: complete` can refuse a code; a fragment only names codes.
 */
import { fileURLToPath } from 'node:url';
import type { CodeSystem, CodeSystemConcept } from '@medplum/fhirtypes';
import type { CodeListLookup } from '../eresept/schema/element-type.js';
import { OID_URI_PREFIX } from './fhir-systems.js';
import { loadResources } from './load-resources.js';

/** The project's conformance resources (`profiles/`): terminology, operations, later the FSH output. */
export const PROFILES_DIR = fileURLToPath(new URL('../../../../profiles/', import.meta.url));

/** Folder with the project's terminology resources (`profiles/terminology`). */
export const TERMINOLOGY_DIR = fileURLToPath(new URL('../../../../profiles/terminology/', import.meta.url));

/** Code lists by OID, answering membership and display questions. */
export class CodeSystemIndex implements CodeListLookup {
  private readonly byOid = new Map<string, { complete: boolean; displays: Map<string, string> }>();

  /** Indexes CodeSystems whose `url` is `urn:oid:<oid>`; others are ignored. */
  constructor(codeSystems: readonly CodeSystem[]) {
    for (const cs of codeSystems) {
      if (!cs.url?.startsWith(OID_URI_PREFIX)) continue;
      const displays = new Map<string, string>();
      const add = (concepts: readonly CodeSystemConcept[] | undefined) => {
        for (const c of concepts ?? []) {
          displays.set(c.code ?? '', c.display ?? '');
          add(c.concept);
        }
      };
      add(cs.concept);
      this.byOid.set(cs.url.slice(OID_URI_PREFIX.length), { complete: cs.content === 'complete', displays });
    }
  }

  /** @inheritdoc */
  contains(oid: string, code: string): boolean | undefined {
    const list = this.byOid.get(oid);
    if (!list) return undefined;
    if (list.displays.has(code)) return true;
    return list.complete ? false : undefined;
  }

  /** @inheritdoc */
  display(oid: string, code: string): string | undefined {
    return this.byOid.get(oid)?.displays.get(code);
  }
}

/**
 * Reads every `CodeSystem-*.json` in a folder.
 * @param dir defaults to {@link TERMINOLOGY_DIR}
 */
export function loadCodeSystems(dir: string = TERMINOLOGY_DIR): CodeSystem[] {
  return loadResources<CodeSystem>('CodeSystem', dir);
}

let defaultIndex: CodeSystemIndex | undefined;

/** The project's code lists from `profiles/terminology`, loaded on first use. */
export function defaultCodeLists(): CodeSystemIndex {
  defaultIndex ??= new CodeSystemIndex(loadCodeSystems());
  return defaultIndex;
}
