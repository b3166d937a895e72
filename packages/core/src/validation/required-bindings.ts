/**
 * Required bindings: a coded value bound `required` must come from its ValueSet (Medplum checks no
 * terminology). Only codes proven to be outside are errors; see value-sets.ts for what counts as unknown.
 */
import type { CodeableConcept, Coding } from '@medplum/fhirtypes';
import { EXTENSION } from '../terminology/fhir-systems.js';
import type { PlannedValue } from './element-plan.js';
import { issue, type ValidationIssue } from './issues.js';
import { valueSetName, type Membership, type ValueSetIndex } from './value-sets.js';

function codingMembership(vs: ValueSetIndex, url: string, coding: Coding): Membership {
  if (!coding.code) return 'unknown';
  return vs.contains(url, coding.system, coding.code);
}

function shown(coding: Coding): string {
  return `${coding.system ?? '(no system)'}|${coding.code ?? ''}`;
}

/**
 * Checks one planned value that carries a required binding; undefined when it conforms or cannot be judged.
 * @example checkRequiredBinding(valueSets, { node, value: 'mann', path: 'Patient.gender' })
 */
export function checkRequiredBinding(valueSets: ValueSetIndex, v: PlannedValue): ValidationIssue | undefined {
  const url = v.node.requiredValueSet;
  if (!url || !valueSets.has(url)) return undefined;
  const name = valueSetName(url);
  if (v.node.type === 'code') {
    if (typeof v.value !== 'string') return undefined;
    return valueSets.contains(url, undefined, v.value) === 'not-member'
      ? issue('error', 'code-invalid', v.path, `"${v.value}" is not in the required ValueSet ${name} (${url.split('|')[0]})`)
      : undefined;
  }
  if (v.node.type === 'Coding') {
    const coding = v.value as Coding;
    return codingMembership(valueSets, url, coding) === 'not-member'
      ? issue('error', 'code-invalid', v.path, `${shown(coding)} is not in the required ValueSet ${name} (${url.split('|')[0]})`)
      : undefined;
  }
  const concept = v.value as CodeableConcept & { extension?: { url?: string }[] };
  const codings = concept.coding ?? [];
  if (codings.length === 0) {
    // A required value that is absent on purpose (data-absent-reason) is not checked against the ValueSet.
    if ((concept.extension ?? []).some((e) => e.url === EXTENSION.dataAbsentReason)) return undefined;
    return issue('error', 'code-invalid', v.path, `a code from the required ValueSet ${name} is needed; the value has text only`);
  }
  const answers = codings.map((c) => codingMembership(valueSets, url, c));
  if (answers.some((a) => a !== 'not-member')) return undefined;
  return issue('error', 'code-invalid', v.path, `none of ${codings.map(shown).join(', ')} is in the required ValueSet ${name} (${url.split('|')[0]})`);
}
