/**
 * Reading untrusted FHIR JSON as a typed resource: one walk over the value that checks what code reading the
 * resource through its TypeScript type relies on, against the R4 definitions Medplum ships:
 * - every property is an element of its type (a choice element by its typed name, `_x` beside a primitive `x`);
 * - arrays exactly where the element repeats, never empty; no `null` (except inside a primitive array whose
 *   `_x` twin carries the extensions); no empty object;
 * - a resource inside another (Bundle.entry.resource, contained, Parameters) has a known `resourceType`;
 * - primitives of their JSON type (string, boolean, number; integers whole and in range), in their lexical
 *   form (Medplum's regexes), dates on the calendar;
 * - strings only of characters XML can carry: FHIR has an XML form, and a conversion may write them into an M10;
 * - no string of only whitespace: it says nothing, and FHIR validators refuse it where a conversion copies it on;
 * - a `code` bound `required` (a status, a gender, a use) holds a code of its ValueSet, where the R4 core
 *   terminology lists them all: an operation that copies a resource on must not pass a wrong one through.
 * - nothing nested deeper than {@link MAX_DEPTH} steps: a deeper value would exhaust the stack of this walk.
 *
 * It checks no cardinality minimum, profile, other binding or invariant: that is {@link FhirValidator}'s work, which
 * evaluates FHIRPath invariants on every element (1.5–3 ms for an EU Bundle, 50–100× parsing it; this walk
 * costs about a third of the parse: docs/PERFORMANCE.md).
 */
import { getDataType, isPrimitiveType, isResourceType, validationRegexes } from '@medplum/core';
import type { OperationOutcome, Resource } from '@medplum/fhirtypes';
import { coreValueSets, ensureCoreDefinitions } from './base-definitions.js';
import { issue, validationOutcome, type ValidationIssue } from './issues.js';
import { valueSetName } from './value-sets.js';

/** Reading stops after this many findings: enough to fix a document, and bounded work on a broken one. */
const MAX_ISSUES = 20;

/**
 * Deepest accepted place, in path steps (property names and array indexes). A Bundle entry's resource with
 * a nested extension's coding is about 15; a deeper value is refused before it could exhaust the stack of
 * this walk, or of a conversion reading it afterwards.
 */
const MAX_DEPTH = 100;

/** The JSON form of a primitive type; undefined for complex types. */
type PrimitiveKind = 'string' | 'boolean' | 'decimal' | 'integer' | undefined;

/** Integer types and their smallest values (FHIR R4 integers are 32-bit signed). */
const INTEGER_MIN: Readonly<Record<string, number>> = { integer: -2147483648, unsignedInt: 0, positiveInt: 1 };
const INTEGER_MAX = 2147483647;

/** The pattern of text without one of its own (never run). */
const ANY_TEXT = /^/;

/** Types whose lexical form starts with a calendar date. */
const DATE_TYPES: ReadonlySet<string> = new Set(['date', 'dateTime', 'instant']);

/**
 * How a text primitive is checked. `free`: any text of characters XML can carry (string, markdown, xhtml).
 * `token`: Medplum's pattern forbids only whitespace in odd places (code, uri, url, canonical), so printable
 * ASCII without spaces passes as it is. `pattern`: the pattern admits printable ASCII only (dates, ids, OIDs,
 * UUIDs, base64), so it alone settles the value.
 */
type TextKind = 'free' | 'token' | 'pattern';
const TOKEN_TYPES: ReadonlySet<string> = new Set(['code', 'uri', 'url', 'canonical']);
const PATTERN_TYPES: ReadonlySet<string> = new Set(['base64Binary', 'date', 'dateTime', 'id', 'instant', 'oid', 'time', 'uuid']);

/**
 * What a JSON property of a type must hold, worked out once per element so that the walk only compares. One
 * class with every field set, so that the walk's reads of a rule stay monomorphic.
 */
class ElementRule {
  readonly primitive: PrimitiveKind = undefined;
  /** How a text primitive is checked. */
  readonly text: TextKind = 'free';
  /** Medplum's lexical pattern of a `token` or `pattern` text primitive. */
  readonly pattern: RegExp = ANY_TEXT;
  /** Smallest value of an integer primitive. */
  readonly min: number = 0;
  /** True when the value starts with a calendar date (date, dateTime, instant). */
  readonly dated: boolean = false;
  /** True for `Resource`: the value's own resourceType names its type. */
  readonly anyResource: boolean;
  /** The rules of a complex type, resolved on first use (types refer to each other, even to themselves). */
  private complexRules: TypeRules | undefined = undefined;

  /**
   * @param type the FHIR type of its values (`string`, `CodeableConcept`, `BundleEntry`, `Resource`, …)
   * @param array whether the element repeats
   */
  constructor(
    readonly type: string,
    readonly array: boolean,
    /** For a `code` element bound `required`: the codes its ValueSet holds, when they can all be listed. */
    readonly codes?: ReadonlySet<string>,
    /** The name of that ValueSet, for messages. */
    readonly valueSetName?: string,
  ) {
    this.anyResource = type === 'Resource';
    if (!isPrimitiveType(type)) return;
    const min = INTEGER_MIN[type];
    if (type === 'boolean' || type === 'decimal') this.primitive = type;
    else if (min !== undefined) {
      this.primitive = 'integer';
      this.min = min;
    } else {
      this.primitive = 'string';
      const pattern = validationRegexes[type];
      if (pattern && (TOKEN_TYPES.has(type) || PATTERN_TYPES.has(type))) {
        this.text = TOKEN_TYPES.has(type) ? 'token' : 'pattern';
        this.pattern = pattern;
      }
      this.dated = DATE_TYPES.has(type);
    }
  }

  /** The rules of its (complex, non-Resource) type. */
  get rules(): TypeRules {
    return (this.complexRules ??= rulesOf(this.type));
  }
}

/** A type's elements by JSON property name. */
interface TypeRules {
  readonly name: string;
  readonly elements: ReadonlyMap<string, ElementRule>;
}

/** Built once per type from Medplum's schema; resource types apart, so that a data type never passes as one. */
const rulesByType = new Map<string, TypeRules>();
const rulesByResourceType = new Map<string, TypeRules | undefined>();

function rulesOf(type: string): TypeRules {
  let rules = rulesByType.get(type);
  if (rules) return rules;
  const elements = new Map<string, ElementRule>();
  for (const [key, element] of Object.entries(getDataType(type).elements)) {
    const choice = key.endsWith('[x]');
    for (const t of element.type) {
      const name = choice ? key.slice(0, -3) + t.code.charAt(0).toUpperCase() + t.code.slice(1) : key;
      const bound = t.code === 'code' && element.binding?.strength === 'required' ? element.binding.valueSet : undefined;
      const codes = bound ? coreValueSets().closedCodes(bound) : undefined;
      elements.set(name, new ElementRule(t.code, element.isArray === true, codes, codes && bound ? valueSetName(bound) : undefined));
    }
  }
  rules = { name: type, elements };
  rulesByType.set(type, rules);
  return rules;
}

/** The rules of a resource type, or undefined when `type` names none. */
function resourceRules(type: string): TypeRules | undefined {
  if (!rulesByResourceType.has(type)) rulesByResourceType.set(type, isResourceType(type) ? rulesOf(type) : undefined);
  return rulesByResourceType.get(type);
}

/** Anything but printable ASCII other than space: a token without it needs no further look. */
const NOT_PLAIN = /[^\x21-\x7e]/;
/** A character that may be one XML cannot carry: a C0 control but tab, LF and CR, a surrogate, U+FFFE/U+FFFF. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const SUSPECT_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/;
/** Characters XML 1.0 cannot carry (surrogates only when not in a pair). */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const NOT_XML_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Where the walk is and what it found. */
class Walk {
  readonly issues: ValidationIssue[] = [];
  /** The path from the root: property names and array indexes. */
  private readonly segments: (string | number)[] = [];

  /**
   * @param root the FHIRPath of the value walked (its resource type)
   * @param checkCodes whether `code` values are checked against their required ValueSet
   */
  constructor(
    private readonly root: string,
    readonly checkCodes: boolean,
  ) {}

  get full(): boolean {
    return this.issues.length >= MAX_ISSUES;
  }

  /** True when the walk is as deep as it may go. */
  get deepest(): boolean {
    return this.segments.length >= MAX_DEPTH;
  }

  /** Steps down into a property or an array item (no closure per step: this runs for every value). */
  enter(segment: string | number): void {
    this.segments.push(segment);
  }

  leave(): void {
    this.segments.pop();
  }

  /** A finding at the current place, as FHIRPath (`Bundle.entry[2].resource.quantity`). */
  report(code: 'structure' | 'value' | 'code-invalid', message: string): void {
    if (this.full) return;
    let path = this.root;
    for (const s of this.segments) path += typeof s === 'number' ? `[${s}]` : `.${s}`;
    this.issues.push(issue('error', code, path, message));
  }
}

function jsonKind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

function checkPrimitive(value: unknown, rule: ElementRule, walk: Walk): void {
  switch (rule.primitive) {
    case 'string':
      if (checkText(value, rule, walk) && rule.codes && walk.checkCodes && !rule.codes.has(value as string)) {
        walk.report('code-invalid', `"${(value as string).slice(0, 40)}" is not a code of the required ValueSet ${rule.valueSetName ?? ''}`);
      }
      return;
    case 'boolean':
      if (typeof value !== 'boolean') walk.report('value', `a boolean is required here, not ${jsonKind(value)}`);
      return;
    case 'decimal':
      if (typeof value !== 'number' || !Number.isFinite(value)) walk.report('value', `a decimal number is required here, not ${jsonKind(value)}`);
      return;
    default:
      if (typeof value !== 'number' || !Number.isInteger(value) || value < rule.min || value > INTEGER_MAX) {
        walk.report('value', `a whole number from ${rule.min} to ${INTEGER_MAX} (${rule.type}) is required here, not ${typeof value === 'number' ? value : jsonKind(value)}`);
      }
  }
}

const DIGIT_0 = 0x30;
/** A value of only whitespace begins with a character up to the space, or with a non-ASCII space. */
const SPACE = 0x20;
const LAST_ASCII = 0x7e;

/**
 * Whether a date that matched its pattern (month 01–12, day 01–31) is on the calendar: only days after the
 * 28th need a look at the month's length.
 */
function onCalendar(value: string): boolean {
  if (value.length < 10) return true;
  const day = (value.charCodeAt(8) - DIGIT_0) * 10 + (value.charCodeAt(9) - DIGIT_0);
  if (day <= 28) return true;
  const month = Number(value.slice(5, 7));
  return day <= new Date(Date.UTC(Number(value.slice(0, 4)), month, 0)).getUTCDate();
}

/** Checks a text primitive; true when it is well-formed. */
function checkText(value: unknown, rule: ElementRule, walk: Walk): boolean {
  if (typeof value !== 'string') {
    walk.report('value', `a string (${rule.type}) is required here, not ${jsonKind(value)}`);
    return false;
  }
  if (value === '') {
    walk.report('value', `an empty string is not a valid ${rule.type}`);
    return false;
  }
  // Only whitespace says nothing either, and would be copied on as a value FHIR validators refuse.
  const first = value.charCodeAt(0);
  if ((first <= SPACE || first > LAST_ASCII) && value.trim() === '') {
    walk.report('value', `a ${rule.type} of only whitespace says nothing: leave the element out`);
    return false;
  }
  if (rule.text === 'pattern') {
    if (!rule.pattern.test(value)) walk.report('value', `"${value.slice(0, 40)}" is not a valid ${rule.type}`);
    else if (rule.dated && !onCalendar(value)) walk.report('value', `${value.slice(0, 10)} is not a date on the calendar`);
    else return true;
    return false;
  }
  // A token in printable ASCII without spaces (nearly every code and URI) passes as it is.
  if (rule.text === 'token' && !NOT_PLAIN.test(value)) return true;
  if (SUSPECT_CHAR.test(value) && NOT_XML_CHAR.test(value)) {
    walk.report('value', 'the text holds a character FHIR does not allow (a control character, a lone surrogate, or U+FFFE/U+FFFF)');
  } else if (rule.text === 'token' && !rule.pattern.test(value)) {
    walk.report('value', `"${value.slice(0, 40)}" is not a valid ${rule.type}`);
  } else {
    return true;
  }
  return false;
}

/** The rules of the type a `Resource`-typed value names in its `resourceType`; undefined (reported) when it names none. */
function namedResourceRules(value: object, walk: Walk): TypeRules | undefined {
  const type = (value as { resourceType?: unknown }).resourceType;
  const rules = typeof type === 'string' ? resourceRules(type) : undefined;
  if (rules) return rules;
  walk.enter('resourceType');
  walk.report('structure', typeof type === 'string' ? `"${type.slice(0, 40)}" is not a FHIR R4 resource type` : 'a resource needs a resourceType');
  walk.leave();
  return undefined;
}

function checkComplex(value: unknown, rule: ElementRule, walk: Walk): void {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    walk.report('structure', `an object (${rule.type}) is required here, not ${jsonKind(value)}`);
    return;
  }
  if (walk.deepest) {
    walk.report('structure', `the value nests deeper than ${MAX_DEPTH} levels; no FHIR resource does`);
    return;
  }
  const rules = rule.anyResource ? namedResourceRules(value, walk) : rule.rules;
  if (!rules) return;
  const record = value as Record<string, unknown>;
  let empty = true;
  for (const key in record) {
    empty = false;
    if (walk.full) return;
    if (rule.anyResource && key === 'resourceType') continue;
    walk.enter(key);
    checkProperty(record, key, record[key], rules, walk);
    walk.leave();
  }
  // FHIR's ele-1: an element has a value or children. An empty object would be copied on as invalid FHIR.
  if (empty) walk.report('structure', 'an empty object is not allowed in FHIR JSON');
}

/** The rule of a resource's own root: its type is the one its resourceType names. */
const RESOURCE = new ElementRule('Resource', false);
/** The rule of `_x` beside a primitive `x`: the id and extensions of its values. */
const ELEMENT = new ElementRule('Element', false);
const ELEMENTS = new ElementRule('Element', true);
const UNDERSCORE = 0x5f;

function checkProperty(record: Record<string, unknown>, key: string, value: unknown, rules: TypeRules, walk: Walk): void {
  const twin = key.charCodeAt(0) === UNDERSCORE ? rules.elements.get(key.slice(1)) : undefined;
  // `_x` carries the id and extensions of primitive `x`: objects shaped like an Element, one per value.
  const rule = twin?.primitive ? (twin.array ? ELEMENTS : ELEMENT) : rules.elements.get(key);
  if (!rule) {
    walk.report('structure', `${key} is not an element of ${rules.name}`);
    return;
  }
  if (!rule.array) {
    if (Array.isArray(value)) walk.report('structure', `${key} holds one value, not an array`);
    else checkValue(value, rule, walk);
    return;
  }
  if (!Array.isArray(value)) {
    walk.report('structure', `${key} repeats: its value must be an array, not ${jsonKind(value)}`);
    return;
  }
  // FHIR JSON: an array has at least one item (an absent element is left out). One would be copied on as invalid FHIR.
  if (value.length === 0) {
    walk.report('structure', `an empty array is not allowed in FHIR JSON: leave ${key} out instead`);
    return;
  }
  for (let i = 0; i < value.length && !walk.full; i++) {
    const item: unknown = value[i];
    if (item === null && pairedNull(record, key, rule, twin)) continue;
    walk.enter(i);
    checkValue(item, rule, walk);
    walk.leave();
  }
}

/** Whether a null in array `key` stands for a value that only its twin has (a primitive array and its `_x`). */
function pairedNull(record: Record<string, unknown>, key: string, rule: ElementRule, twin: ElementRule | undefined): boolean {
  return rule.primitive ? `_${key}` in record : twin !== undefined;
}

function checkValue(value: unknown, rule: ElementRule, walk: Walk): void {
  if (value === null) walk.report('structure', 'null is not allowed in FHIR JSON');
  else if (rule.primitive) checkPrimitive(value, rule, walk);
  else checkComplex(value, rule, walk);
}

/** The checked resource, or the OperationOutcome saying what is wrong and where. */
export type ReadFhirResult<R extends Resource> =
  | { readonly ok: true; readonly resource: R }
  | { readonly ok: false; readonly outcome: OperationOutcome };

/**
 * Loads what {@link readFhirResource} needs (the R4 definitions and core terminology, about half a second)
 * now, so that a service pays for it at start and not on its first request.
 */
export function preloadFhirReading(): void {
  ensureCoreDefinitions();
  coreValueSets();
}

/** Options of {@link readFhirResource}. */
export interface ReadFhirOptions {
  /**
   * Check every `code` value bound `required` against its ValueSet (default true). A validator that checks
   * bindings itself, with more context, turns this off.
   */
  readonly requiredCodes?: boolean;
}

/**
 * Reads a parsed JSON value as a FHIR resource of the given type, checking its structure and datatypes
 * (see the module comment). Never throws on bad input.
 * @param value the parsed JSON (e.g. an Express body)
 * @param resourceType the resource type the operation expects
 * @param options what is checked besides structure and datatypes
 * @example
 * const read = readFhirResource<Bundle>(req.body, 'Bundle');
 * if (!read.ok) return res.status(400).json(read.outcome); // e.g. Bundle.entry[2].resource.quantity.value: a decimal number is required here, not a string
 */
export function readFhirResource<R extends Resource>(value: unknown, resourceType: R['resourceType'], options: ReadFhirOptions = {}): ReadFhirResult<R> {
  ensureCoreDefinitions();
  const walk = new Walk(resourceType, options.requiredCodes ?? true);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    walk.report('structure', `the body must be a FHIR ${resourceType} (a JSON object), not ${jsonKind(value)}`);
  } else if ((value as { resourceType?: unknown }).resourceType !== resourceType) {
    const found = (value as { resourceType?: unknown }).resourceType;
    walk.enter('resourceType');
    walk.report('structure', `a ${resourceType} is required here${typeof found === 'string' ? `, not a ${found.slice(0, 40)}` : ''}`);
  } else {
    checkComplex(value, RESOURCE, walk);
  }
  return walk.issues.length === 0 ? { ok: true, resource: value as R } : { ok: false, outcome: validationOutcome(walk.issues, resourceType) };
}
