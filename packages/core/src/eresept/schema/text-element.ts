/**
 * Elements whose content is a simple-typed text value, e.g. `<Forskrivningsdato>2024-03-01</Forskrivningsdato>`.
 */
import { NS } from '../namespaces.js';
import { element, text, textContent } from '../xml/xml-tree.js';
import type { DecodeContext, ElementType } from './element-type.js';
import type { SimpleType } from './simple-types.js';
import { xpathName } from './xpath.js';

/** `text` without surrounding whitespace, or undefined when nothing else is left. */
export function nonBlank(text: string): string | undefined {
  const trimmed = text.trim();
  return trimmed === '' ? undefined : trimmed;
}

/** Longest accepted text or attribute value: FHIR's limit for a string (1 MB), where the values go on. */
export const MAX_VALUE_LENGTH = 1024 * 1024;

/**
 * Reports a value longer than {@link MAX_VALUE_LENGTH} at `path` (or at its attribute `attribute`); true when
 * it is one.
 * @example if (tooLong(a.value, path, ctx, a.local)) continue;
 */
export function tooLong(value: string, path: string, ctx: DecodeContext, attribute?: string): boolean {
  if (value.length <= MAX_VALUE_LENGTH) return false;
  ctx.issues.error('too-costly', attribute === undefined ? path : `${path}/@${attribute}`, `a value of ${value.length} characters; at most ${MAX_VALUE_LENGTH} are accepted (FHIR's limit for a string)`);
  return true;
}

/** Attributes allowed on any element without being part of the schema (xsi:type, xsi:nil, …). */
export function isInstanceAttribute(ns: string): boolean {
  return ns === NS.xsi;
}

/**
 * An element type whose content is text of a simple type.
 * @example textElement(xsDate) // decodes `<Utloper>2025-03-01</Utloper>` to '2025-03-01'
 */
export function textElement<T>(type: SimpleType<T>): ElementType<T> {
  return {
    description: type.name,
    decode(el, path, ctx) {
      // Indexed loops: `for…of` over these arrays (some frozen, some not) allocated an iterator per loop.
      const children = el.children;
      for (let i = 0; i < children.length; i++) {
        const child = children[i]!;
        if (child.kind !== 'element') continue;
        ctx.issues.error('structure', path, `element ${xpathName(child.ns, child.local)} is not allowed inside a ${type.name} value`);
        return undefined;
      }
      const attributes = el.attributes;
      for (let i = 0; i < attributes.length; i++) {
        const a = attributes[i]!;
        if (!isInstanceAttribute(a.ns)) ctx.issues.error('structure', `${path}/@${a.local}`, `attribute ${a.local} is not allowed here`);
      }
      const lexical = textContent(el);
      if (tooLong(lexical, path, ctx)) return undefined;
      const value = type.parse(lexical);
      if (value === undefined) {
        ctx.issues.error('value', path, `"${lexical.trim().slice(0, 60)}" is not a valid ${type.name}`);
        return undefined;
      }
      // Text is carried without the whitespace around it, and an element holding none says nothing: it
      // counts as absent (a required one is refused by its complex type). xs:string allows both; FHIR does not.
      return (typeof value === 'string' ? nonBlank(value) : value) as T | undefined;
    },
    encode(value, ns, local) {
      return element(ns, local, [text(type.format(value))]);
    },
  };
}
