/**
 * The reader of a complex type's sequence, compiled once per type into a function of its own (as ajv
 * compiles a JSON Schema): the element names, namespaces, XPath steps and property names of the type's
 * fields become constants in straight-line code, one block per item in schema order.
 *
 * Why not one generic loop over the items: every complex element of every message goes through this
 * reader, and in a loop shared by all ~70 types each property store (`out[field.key] = value`) and each
 * item read sees every type's shapes; V8 then falls back to its slowest, megamorphic handling of all of
 * them. A function per type keeps each of its stores to the one object shape that type builds.
 *
 * The code is generated from the schema description only, never from message content; every name in it
 * is written as a JSON string literal. The rare paths (problems in the message) are ordinary functions
 * below, shared by all types, and so are the messages they write.
 */
import { isBlank, type XmlElement, type XmlNode } from '../xml/xml-tree.js';
import type { DecodeContext, ElementType } from './element-type.js';
import type { IssueCollector } from '../issues.js';
import { isInstanceAttribute } from './text-element.js';
import { childPath, xpathName } from './xpath.js';

/** A field or a choice of a sequence, with everything the reader needs resolved for its type. */
export interface ReadStep {
  /** Undefined for a choice (`options` then holds its fields). */
  readonly type: ElementType<unknown> | undefined;
  readonly options: readonly ReadStep[];
  /** The property of the decoded object. */
  readonly key: string;
  readonly local: string;
  readonly ns: string;
  /** The child's XPath step, e.g. `/fs:Legemiddelpakning`. */
  readonly step: string;
  readonly min: number;
  readonly max: number;
  /** True when the property holds an array (a repeatable element). */
  readonly many: boolean;
}

/** Decodes one element of a complex type into the object of its properties. */
export type SequenceReader = (el: XmlElement, path: string, ctx: DecodeContext) => Record<string, unknown>;

/** A check run on an element that was read without errors (the type's business rules). */
export type SequenceCheck = (value: Record<string, unknown>, path: string, ctx: DecodeContext) => void;

/** The index of the first element child at or after `from` (`children.length` when there is none). */
function nextElement(children: readonly XmlNode[], from: number): number {
  let k = from;
  while (k < children.length && children[k]!.kind !== 'element') k++;
  return k;
}

/** Attributes other than `xsi:` ones, and text directly inside: both not allowed on a complex element. */
function checkAttributesAndText(el: XmlElement, path: string, issues: IssueCollector): void {
  // Indexed loops: `for…of` over these arrays (some frozen, some not) allocated an iterator per loop.
  const attributes = el.attributes;
  for (let i = 0; i < attributes.length; i++) {
    const a = attributes[i]!;
    if (!isInstanceAttribute(a.ns)) issues.error('structure', `${path}/@${a.local}`, `attribute ${a.local} is not allowed on ${xpathName(el.ns, el.local)}`);
  }
  // The parser saw nothing but indentation in it (XmlElement.otherText): no text to look for.
  if (el.otherText === false) return;
  const kids = el.children;
  for (let i = 0; i < kids.length; i++) {
    const c = kids[i]!;
    if (c.kind === 'text' && !isBlank(c.text)) {
      issues.error('structure', path, `text "${c.text.trim().slice(0, 40)}" is not allowed directly inside ${xpathName(el.ns, el.local)}`);
      return;
    }
  }
}

/** `, found m1:X` for a "missing" message, naming the element found in its place. */
function found(el: XmlNode | undefined): string {
  return el?.kind === 'element' ? `, found ${xpathName(el.ns, el.local)}` : '';
}

/** A choice none of whose options is next, though one is required. */
function missingChoice(item: ReadStep, cur: XmlNode | undefined, path: string, issues: IssueCollector): void {
  const names = item.options.map((o) => xpathName(o.ns, o.local)).join(' | ');
  issues.error('required', `${path}/(${names})`, `one of ${names} is required here${found(cur)}`);
}

/** A field that occurs `n` times, fewer than its minimum; `next` is the element found after them. */
function tooFew(field: ReadStep, inChoice: boolean, n: number, next: XmlNode | undefined, path: string, issues: IssueCollector): void {
  const name = xpathName(field.ns, field.local);
  if (inChoice) issues.error('required', path + field.step, `${name} must occur at least ${field.min} times`);
  else issues.error('required', path + field.step, `required element ${name} is missing${n > 0 ? ` (needs ${field.min}, has ${n})` : ''}${found(next)}`);
}

/** A required element that is there but gave no value (and said nothing of why). */
function emptyRequired(cur: XmlElement, path: string, issues: IssueCollector): void {
  issues.error('required', path, `${xpathName(cur.ns, cur.local)} is required and must not be empty`);
}

/** An element left over after the sequence: unknown, one too many, or out of order. */
function notAllowed(extra: XmlElement, path: string, issues: IssueCollector): void {
  issues.error('structure', childPath(path, extra.ns, extra.local), `element ${xpathName(extra.ns, extra.local)} is not allowed here (unknown, repeated, or out of schema order)`);
}

/**
 * The occurrences of a repeatable field from `k` on (at most `field.max`), each with its position in its
 * path, and the index of the element after them. Repeated elements are few: this one stays shared.
 */
function readRepeated(field: ReadStep, kids: readonly XmlNode[], k: number, path: string, ctx: DecodeContext): { values: unknown[]; end: number } {
  const type = field.type!;
  const values: unknown[] = [];
  let at = k;
  let next: XmlNode | undefined = kids[at];
  do {
    values.push(type.decode(next as XmlElement, `${path}${field.step}[${values.length + 1}]`, ctx));
    at = nextElement(kids, at + 1);
    next = at < kids.length ? kids[at] : undefined;
  } while (next !== undefined && values.length < field.max && (next as XmlElement).local === field.local && (next as XmlElement).ns === field.ns);
  return { values, end: at };
}

/** What generated readers call: the shared parts above. */
const HELPERS = { nextElement, checkAttributesAndText, missingChoice, tooFew, emptyRequired, notAllowed, readRepeated };

/** The statements that read field `f` (at `ref` in the steps) once the current element `cur` matched it. */
function fieldBlock(f: ReadStep, ref: string, typeVar: string, inChoice: boolean): string {
  const key = JSON.stringify(f.key);
  const lines: string[] = [];
  if (f.max === 1) {
    const step = JSON.stringify(f.step);
    if (f.min > 0) lines.push('e = issues.errorCount;');
    lines.push(`v = ${typeVar}.decode(cur, path + ${step}, ctx);`, `if (v !== undefined) out[${key}] = ${f.many ? '[v]' : 'v'};`);
    if (f.min > 0) lines.push(`else if (issues.errorCount === e) emptyRequired(cur, path + ${step}, issues);`);
    lines.push('k = nextElement(kids, k + 1);');
  } else {
    lines.push(`r = readRepeated(${ref}, kids, k, path, ctx);`, 'k = r.end;', `out[${key}] = ${f.many ? 'r.values' : 'r.values[0]'};`);
    if (f.min > 1) lines.push(`if (r.values.length < ${f.min}) tooFew(${ref}, ${inChoice}, r.values.length, k < kids.length ? kids[k] : undefined, path, issues);`);
  }
  return lines.map((line) => `    ${line}`).join('\n');
}

/** True in generated code when `cur` is an occurrence of field `f`. */
function matchTest(f: ReadStep): string {
  return `cur !== undefined && cur.local === ${JSON.stringify(f.local)} && cur.ns === ${JSON.stringify(f.ns)}`;
}

/**
 * Compiles the reader of a sequence.
 * @param steps the type's items in schema order
 * @param check the type's business rules, run only when the element was read without errors
 * @example compileSequenceReader(readSteps(items, ns), undefined)(el, '/mh:MsgHead', ctx)
 */
export function compileSequenceReader(steps: readonly ReadStep[], check: SequenceCheck | undefined): SequenceReader {
  const types: string[] = [];
  const blocks = steps.map((item, i) => {
    // Each item starts at the next element child; a comment names it, for whoever reads the generated code.
    const next = `  // ${(item.type !== undefined ? [item] : item.options).map((o) => xpathName(o.ns, o.local)).join(' | ').replace(/[^\w:| -]/g, '?')}\n  cur = k < kids.length ? kids[k] : undefined;\n`;
    if (item.type !== undefined) {
      if (item.max < 1) throw new Error(`field ${item.local} must be allowed at least once`);
      types.push(`const t${i} = steps[${i}].type;`);
      const missing = item.min > 0 ? ` else tooFew(steps[${i}], false, 0, cur, path, issues);` : '';
      return `${next}  if (${matchTest(item)}) {\n${fieldBlock(item, `steps[${i}]`, `t${i}`, false)}\n  }${missing}`;
    }
    const options = item.options.map((o, j) => {
      types.push(`const t${i}_${j} = steps[${i}].options[${j}].type;`);
      return `if (${matchTest(o)}) {\n${fieldBlock(o, `steps[${i}].options[${j}]`, `t${i}_${j}`, true)}\n  }`;
    });
    const none = item.min === 1 ? ` else missingChoice(steps[${i}], cur, path, issues);` : '';
    return `${next}  ${options.join(' else ')}${none}`;
  });
  const source = `"use strict";
const { nextElement, checkAttributesAndText, missingChoice, tooFew, emptyRequired, notAllowed, readRepeated } = helpers;
${types.join('\n')}
return function readSequence(el, path, ctx) {
  const issues = ctx.issues;
  checkAttributesAndText(el, path, issues);
  const errorsBefore = issues.errorCount;
  const out = {};
  const kids = el.children;
  let k = nextElement(kids, 0);
  let cur, v, e, r;
${blocks.join('\n')}
  if (k < kids.length) notAllowed(kids[k], path, issues);
  if (check !== undefined && issues.errorCount === errorsBefore) check(out, path, ctx);
  return out;
};`;
  // Built from the schema description only (see the module comment): no message content reaches it.
  return new Function('steps', 'helpers', 'check', source)(steps, HELPERS, check) as SequenceReader;
}
