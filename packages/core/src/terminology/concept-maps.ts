/**
 * Code mappings as data: FHIR ConceptMaps under `profiles/terminology/`, loaded once and looked up by
 * source system, code (or the code's display text, as units appear in e-resept quantities) and target system.
 */
import type { ConceptMap } from '@medplum/fhirtypes';
import { TERMINOLOGY_DIR } from './code-systems.js';
import { loadResources } from './load-resources.js';

/** R4 `ConceptMap.group.element.target.equivalence`. */
export type Equivalence = 'relatedto' | 'equivalent' | 'equal' | 'wider' | 'subsumes' | 'narrower' | 'specializes' | 'inexact' | 'unmatched' | 'disjoint';

/** One translation found in a ConceptMap. */
export interface Translation {
  readonly system: string;
  readonly code: string;
  readonly display?: string;
  readonly equivalence: Equivalence;
  readonly comment?: string;
  /** The ConceptMap it came from (its canonical URL). */
  readonly map: string;
}

interface Entry {
  readonly sourceDisplay?: string;
  readonly targets: readonly Translation[];
}

/** What a look-up of an unmapped code gives. */
const NO_TRANSLATIONS: readonly Translation[] = Object.freeze([]);

const norm = (s: string) => s.trim().toLowerCase();

/** Equivalences that carry meaning across without loss. */
export const EXACT: ReadonlySet<Equivalence> = new Set(['equivalent', 'equal']);

/** The entries of one direction (source system → target system), by code and by display text. */
interface Direction {
  readonly byCode: Map<string, Entry>;
  readonly byDisplay: Map<string, Entry>;
}

/** All ConceptMaps of a folder, indexed for translation. */
export class ConceptMapIndex {
  // Keyed by system, then target, rather than by a joined "source|target" string: a conversion makes a
  // few dozen look-ups, and building and hashing that string each time cost more than the look-up.
  private readonly index = new Map<string, Map<string, Direction>>();

  /** Indexes the groups of the given ConceptMaps. */
  constructor(maps: readonly ConceptMap[]) {
    for (const map of maps) {
      for (const group of map.group ?? []) {
        if (!group.source || !group.target) continue;
        const targets = this.index.get(group.source) ?? new Map<string, Direction>();
        this.index.set(group.source, targets);
        const direction: Direction = targets.get(group.target) ?? { byCode: new Map(), byDisplay: new Map() };
        targets.set(group.target, direction);
        for (const element of group.element ?? []) {
          if (!element.code) continue;
          const found: Translation[] = (element.target ?? [])
            .filter((t) => t.code && t.equivalence && t.equivalence !== 'unmatched' && t.equivalence !== 'disjoint')
            .map((t) => ({
              system: group.target as string,
              code: t.code as string,
              display: t.display,
              equivalence: t.equivalence as Equivalence,
              comment: t.comment,
              map: map.url ?? map.id ?? 'ConceptMap',
            }));
          // Ranked once here; every look-up returns them in this order.
          const entry: Entry = { sourceDisplay: element.display, targets: rank(found) };
          direction.byCode.set(element.code, entry);
          if (element.display) direction.byDisplay.set(norm(element.display), entry);
        }
      }
    }
  }

  /**
   * Translations of `code` from `sourceSystem` into `targetSystem`, best first (exact before approximate).
   * Empty when the code is unmapped or mapped as `unmatched`.
   * @example maps.translate(volvenSystem(7448), '53', SYSTEM.edqm)[0]?.code // '10219000'
   */
  translate(sourceSystem: string, code: string, targetSystem: string): readonly Translation[] {
    // The index's own list, read-only: a conversion makes a few dozen look-ups, and a copy each was a tenth
    // of building the pharmacy view.
    return this.index.get(sourceSystem)?.get(targetSystem)?.byCode.get(code)?.targets ?? NO_TRANSLATIONS;
  }

  /**
   * Like {@link translate}, but finds the source concept by its display text (case-insensitive), for
   * values such as a dose unit written as text ("tablett", "ml").
   */
  translateText(sourceSystem: string, text: string, targetSystem: string): readonly Translation[] {
    return this.index.get(sourceSystem)?.get(targetSystem)?.byDisplay.get(norm(text))?.targets ?? NO_TRANSLATIONS;
  }

  /** True when some map translates from `sourceSystem` into `targetSystem`. */
  hasMap(sourceSystem: string, targetSystem: string): boolean {
    return this.index.get(sourceSystem)?.has(targetSystem) ?? false;
  }
}

/** Exact translations first; the sort is stable, so the maps' own order is kept otherwise. */
function rank(targets: Translation[]): Translation[] {
  return [...targets].sort((a, b) => Number(EXACT.has(b.equivalence)) - Number(EXACT.has(a.equivalence)));
}

/** Reads every `ConceptMap-*.json` in a folder (default `profiles/terminology`). */
export function loadConceptMaps(dir: string = TERMINOLOGY_DIR): ConceptMap[] {
  return loadResources<ConceptMap>('ConceptMap', dir);
}

let defaultIndex: ConceptMapIndex | undefined;

/** The project's ConceptMaps from `profiles/terminology`, loaded on first use. */
export function defaultConceptMaps(): ConceptMapIndex {
  defaultIndex ??= new ConceptMapIndex(loadConceptMaps());
  return defaultIndex;
}
