/**
 * Medplum's findings, reworded for a vendor and placed in the submitted document.
 *
 * Medplum reports in `details.text` with short texts ("Missing required property"); the rewording keeps
 * the meaning and adds the element and the profile, so that the message reads on its own.
 */
import { getDataType, OperationOutcomeError, validateTypedValue, type InternalSchemaElement } from '@medplum/core';
import type { OperationOutcomeIssue, Resource } from '@medplum/fhirtypes';
import { issue, placePath, type ValidationIssue } from './issues.js';

/** Medplum's warning for any reference it cannot type, including valid `urn:uuid:` ones: replaced by references.ts. */
const INVALID_REFERENCE = /^Invalid reference/;

function lastElement(path: string): string {
  const name = path.slice(path.lastIndexOf('.') + 1);
  return name.replace(/\[\d+\]$/, '');
}

/** The schema element at a Medplum path (`Root.a.b`) of data type `type`, following inner types. */
function elementAt(type: string, path: string): InternalSchemaElement | undefined {
  const segments = path.split('.').slice(1).map((s) => s.replace(/\[\d+\]$/, ''));
  try {
    let schema = getDataType(type);
    for (let i = 0; i < segments.length; i++) {
      const element: InternalSchemaElement | undefined = schema.elements[segments[i] ?? ''] ?? schema.elements[`${segments[i]}[x]`];
      if (!element || i === segments.length - 1) return element;
      schema = getDataType(element.type[0]?.code ?? '');
    }
  } catch {
    return undefined;
  }
  return undefined;
}

/**
 * Medplum reports a cardinality breach inside repeating elements at the element's path without indices
 * (`Bundle.entry.request`): the concrete places are found in the resource (`Bundle.entry[7].request`).
 */
function cardinalityPaths(resource: unknown, path: string, rootPath: string, min: number, max: number): string[] {
  const segments = path.slice(rootPath.length).split('.').filter((s) => s !== '');
  let current: { value: unknown; path: string }[] = [{ value: resource, path: rootPath }];
  for (const [i, segment] of segments.entries()) {
    const last = i === segments.length - 1;
    const next: { value: unknown; path: string }[] = [];
    for (const c of current) {
      const v = c.value && typeof c.value === 'object' ? (c.value as Record<string, unknown>)[segment] : undefined;
      if (last) {
        const count = v === undefined ? 0 : Array.isArray(v) ? v.length : 1;
        if (count < min || count > max) next.push({ value: v, path: `${c.path}.${segment}` });
      } else if (Array.isArray(v)) v.forEach((item, n) => next.push({ value: item, path: `${c.path}.${segment}[${n}]` }));
      else if (v !== undefined) next.push({ value: v, path: `${c.path}.${segment}` });
    }
    current = next;
  }
  return current.map((c) => c.path);
}

/** Vendor wording of one Medplum message about `path`, checked against `against` (a profile or "FHIR R4 <type>"). */
export function reword(text: string, path: string, against: string, expected?: unknown): string {
  const element = lastElement(path);
  let m: RegExpExecArray | null;
  if (text === 'Missing required property') return `${element} is required by ${against} but missing`;
  if ((m = /^Invalid additional property "(.*)"$/.exec(text))) return `${m[1]} is not an element of ${against} (unknown element: check the spelling and the FHIR R4 definition)`;
  if ((m = /^Invalid JSON type: expected (\w+), but got (\w+)$/.exec(text))) return `${element} must be a JSON ${m[1]}, got a ${m[2]} (wrong datatype)`;
  if ((m = /^Invalid number of values: expected (\S+), but found (\d+)$/.exec(text))) return `${element} has ${m[2]} value(s); ${against} allows ${m[1]}`;
  if ((m = /^Invalid (\w+) format$/.exec(text))) return `${element} is not a valid FHIR ${m[1]} (wrong datatype or format)`;
  if (text === 'Expected array of values for property') return `${element} repeats in FHIR: send a JSON array`;
  if (text === 'Expected single value for property') return `${element} takes one value, not a JSON array`;
  if ((m = /^Constraint (\S+) not met: (.*)$/.exec(text))) return `${m[1]}: ${m[2]}`;
  if (text === 'Value did not match expected pattern') return `${element} does not have the value ${against} requires${expected === undefined ? '' : `: ${JSON.stringify(expected)}`}`;
  return `${text} (${against})`;
}

/**
 * Medplum names choice elements `onset[x]`, which is not FHIRPath: the segment becomes the JSON property
 * present (`onsetDateTime`), or the element's FHIRPath name (`onset`) when none is.
 */
export function choicePath(resource: unknown, path: string, rootPath: string): string {
  if (!path.includes('[x]')) return path;
  const segments = path.slice(rootPath.length).split('.').filter((s) => s !== '');
  let current: unknown = resource;
  const out: string[] = [];
  for (const segment of segments) {
    const m = /^([^[]+)((?:\[\d+\])?)(\[x\])?((?:\[\d+\])?)$/.exec(segment);
    const name = m?.[1] ?? segment;
    const index = m?.[2] || m?.[4] || '';
    let key = name;
    if (m?.[3]) {
      const object = current && typeof current === 'object' ? (current as Record<string, unknown>) : {};
      key = Object.keys(object).find((k) => k.startsWith(name) && /^[A-Z]/.test(k.slice(name.length))) ?? name;
    }
    out.push(`${key}${index}`);
    const next = current && typeof current === 'object' ? (current as Record<string, unknown>)[key] : undefined;
    const i = /\[(\d+)\]/.exec(index)?.[1];
    current = i !== undefined && Array.isArray(next) ? next[Number(i)] : next;
  }
  return [rootPath, ...out].join('.');
}

function fromMedplum(resource: unknown, type: string, i: OperationOutcomeIssue, rootPath: string, prefix: string, against: string): ValidationIssue[] {
  const text = i.details?.text ?? i.diagnostics ?? 'invalid';
  if (INVALID_REFERENCE.test(text)) return [];
  const raw = i.expression?.[0] ?? rootPath;
  const cardinality = /^Invalid number of values: expected (\d+)\.\.(\S+), but found/.exec(text);
  const paths = cardinality ? cardinalityPaths(resource, raw, rootPath, Number(cardinality[1]), cardinality[2] === '*' ? Infinity : Number(cardinality[2])) : [];
  const expected = text === 'Value did not match expected pattern' ? (elementAt(type, raw)?.pattern ?? elementAt(type, raw)?.fixed)?.value : undefined;
  return (paths.length > 0 ? paths : [choicePath(resource, raw, rootPath)]).map((p) => {
    const path = placePath(p, rootPath, prefix);
    return issue(i.severity, i.code, path, reword(text, path, against, expected));
  });
}

/**
 * Runs Medplum's validation of `resource` as data type `type` (a base resource type or a registered view).
 * @param rootPath the root Medplum's paths start with
 * @param prefix where the resource sits in the submitted document
 * @param against how diagnostics name what was checked
 */
export function medplumIssues(resource: Resource, type: string, rootPath: string, prefix: string, against: string): ValidationIssue[] {
  let raw: OperationOutcomeIssue[];
  try {
    raw = validateTypedValue({ type, value: resource });
  } catch (e) {
    if (!(e instanceof OperationOutcomeError)) throw e;
    raw = e.outcome.issue ?? [];
  }
  return raw.flatMap((i) => fromMedplum(resource, type, i, rootPath, prefix, against));
}
