/**
 * Turning KITH coded values and quantities into FHIR Codings, CodeableConcepts and Quantities through the
 * ConceptMaps, reporting every code that could not be carried exactly. The original Norwegian coding is
 * always kept beside the translation, never dropped or guessed.
 */
import type { CodeableConcept, Coding, Quantity } from '@medplum/fhirtypes';
import type { CS, CV, PQ } from '../eresept/schema/kith-datatypes.js';
import { EXACT, type ConceptMapIndex, type Translation } from '../terminology/concept-maps.js';
import { oidUri, SYSTEM, volvenSystem } from '../terminology/fhir-systems.js';
import { below } from './covered-paths.js';
import type { ConversionReport, SourcePath } from './report.js';

/** What code translation needs. */
export interface CodeContext {
  readonly maps: ConceptMapIndex;
  readonly report: ConversionReport;
}

/** The FHIR system of a KITH CV (`urn:oid:` + S). */
export function cvSystem(cv: CV): string | undefined {
  return cv.s ? oidUri(cv.s) : undefined;
}

/**
 * A Coding with a display only when there is one (built by assignment: objects spread together serialise
 * slower, and Codings are the most numerous objects of a converted Bundle).
 * @example coding(SYSTEM.atc, 'B01AF02', 'apiksaban') // { system, code, display }
 */
export function coding(system: string | undefined, code: string | undefined, display: string | undefined): Coding {
  const out: Coding = { system, code };
  if (display) out.display = display;
  return out;
}

/** A CV as a Coding in its own (Norwegian) system, V and DN exactly as written. */
export function originalCoding(cv: CV): Coding {
  const coding: Coding = { code: cv.v };
  const system = cvSystem(cv);
  if (system) coding.system = system;
  if (cv.dn) coding.display = cv.dn;
  return coding;
}

function noteEquivalence(t: Translation, path: SourcePath, what: string, ctx: CodeContext): void {
  if (!EXACT.has(t.equivalence)) {
    ctx.report.approximated(path, `${what} mapped with equivalence "${t.equivalence}" to ${t.system}#${t.code}${t.comment ? ` (${t.comment})` : ''}`);
  } else {
    ctx.report.carried(path);
  }
}

/**
 * A CodeableConcept with the translation into `targetSystem` first (when the ConceptMaps have one) and
 * the original Norwegian coding after it; `text` keeps the original display or text.
 * @param what name of the field, for the report
 */
export function translatedConcept(cv: CV, targetSystem: string, path: SourcePath, what: string, ctx: CodeContext): CodeableConcept {
  const original = originalCoding(cv);
  const system = cvSystem(cv);
  const t = system && cv.v ? ctx.maps.translate(system, cv.v, targetSystem)[0] : undefined;
  const concept: CodeableConcept = { coding: t ? [coding(t.system, t.code, t.display), original] : [original] };
  const text = cv.ot ?? cv.dn;
  if (text) concept.text = text;
  if (t) noteEquivalence(t, path, what, ctx);
  else ctx.report.approximated(path, `${what} ${cv.v ?? ''} (${system ?? 'no code system'}) has no mapping to ${targetSystem}; the Norwegian code is kept`);
  return concept;
}

/** A CS code (no S in the message) as a Coding of Volven list `kodeverk`. */
export function csCoding(cs: CS, kodeverk: number): Coding {
  return coding(volvenSystem(kodeverk), cs.v, cs.dn);
}

/** Unit sources tried for a unit written as text, in order: dosing units, then package units. */
const UNIT_SOURCES = [7480, 7452].map(volvenSystem);

/**
 * A KITH PQ (value and unit text, e.g. 1 "tablett") as a FHIR Quantity: UCUM when the unit maps to UCUM,
 * otherwise an EDQM unit of presentation, otherwise the unit text alone (reported).
 */
export function quantity(pq: PQ, path: SourcePath, what: string, ctx: CodeContext): Quantity {
  const q: Quantity = {};
  if (pq.v !== undefined) {
    // kith:PQ's V is an xs:double: INF and NaN are valid there, but a FHIR decimal cannot hold them (JSON would say null).
    if (Number.isFinite(pq.v)) q.value = pq.v;
    else ctx.report.notCarried(below(path, 'v'), `${what} value ${pq.v} is not a finite number, which FHIR cannot carry`);
  }
  if (!pq.u) {
    ctx.report.carried(path);
    return q;
  }
  q.unit = pq.u;
  for (const target of [SYSTEM.ucum, SYSTEM.edqm]) {
    for (const source of UNIT_SOURCES) {
      const t = ctx.maps.translateText(source, pq.u, target)[0];
      if (t) {
        q.system = t.system;
        q.code = t.code;
        noteEquivalence(t, path, `${what} unit "${pq.u}"`, ctx);
        return q;
      }
    }
  }
  ctx.report.approximated(path, `${what} unit "${pq.u}" has no UCUM or EDQM mapping; carried as unit text only`);
  return q;
}
