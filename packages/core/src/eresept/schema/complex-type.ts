/**
 * Complex element types described as data: an ordered sequence of fields and choices, from which a
 * reader compiled per type (sequence-reader.ts) checks order, cardinality and nesting, and one generic
 * writer emits schema order. The TypeScript type of the decoded value is inferred from the description.
 */
import { element, type XmlElement, type XmlNode } from '../xml/xml-tree.js';
import type { DecodeContext, ElementType } from './element-type.js';
import { compileSequenceReader, type ReadStep, type SequenceCheck } from './sequence-reader.js';
import { xpathName } from './xpath.js';

/** One child element in a sequence. `K` is the property name in the decoded object. */
export interface Field<K extends string = string, T = unknown, Optional extends boolean = boolean, Many extends boolean = boolean> {
  readonly kind: 'field';
  readonly key: K;
  readonly local: string;
  /** Namespace of the element; when undefined, that of the enclosing complex type. */
  readonly ns: string | undefined;
  readonly type: ElementType<T>;
  readonly min: number;
  readonly max: number;
  readonly optional: Optional;
  readonly many: Many;
}

/** A choice between fields: exactly one option (or none, when optional) occurs, possibly repeated. */
export interface Choice<F extends readonly AnyField[] = readonly AnyField[]> {
  readonly kind: 'choice';
  readonly options: F;
  readonly min: 0 | 1;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- variance: any ElementType fits a field slot
type AnyField = Field<string, any, boolean, boolean>;
type Item = AnyField | Choice;

type Uncap<L extends string> = Uncapitalize<L>;

/** Options of a field: another namespace (for `ref=` elements) or another property name. */
export interface FieldOptions<K extends string> {
  readonly ns?: string;
  readonly key?: K;
}

/** A required element (minOccurs 1, maxOccurs 1). Its property is the element name with a lower-case initial. */
export function one<L extends string, T, K extends string = Uncap<L>>(local: L, type: ElementType<T>, options: FieldOptions<K> = {}): Field<NoInfer<K>, T, false, false> {
  return { kind: 'field', key: (options.key ?? uncapitalize(local)) as K, local, ns: options.ns, type, min: 1, max: 1, optional: false, many: false };
}

/** An optional element (minOccurs 0, maxOccurs 1). */
export function opt<L extends string, T, K extends string = Uncap<L>>(local: L, type: ElementType<T>, options: FieldOptions<K> = {}): Field<NoInfer<K>, T, true, false> {
  return { kind: 'field', key: (options.key ?? uncapitalize(local)) as K, local, ns: options.ns, type, min: 0, max: 1, optional: true, many: false };
}

/** Occurrence limits of a repeatable element. */
export interface RepeatOptions<K extends string> extends FieldOptions<K> {
  readonly max?: number;
}

/** A repeatable, optional element (minOccurs 0); absent in the decoded object when it does not occur. */
export function many<L extends string, T, K extends string = Uncap<L>>(
  local: L,
  type: ElementType<T>,
  options: RepeatOptions<K> = {},
): Field<NoInfer<K>, T, true, true> {
  return {
    kind: 'field', key: (options.key ?? uncapitalize(local)) as K, local, ns: options.ns, type,
    min: 0, max: options.max ?? Infinity, optional: true, many: true,
  };
}

/** A repeatable element that must occur at least once (minOccurs 1): always an array. */
export function oneOrMore<L extends string, T, K extends string = Uncap<L>>(
  local: L,
  type: ElementType<T>,
  options: RepeatOptions<K> = {},
): Field<NoInfer<K>, T, false, true> {
  return { ...many(local, type, options), min: 1, optional: false };
}

/** A choice; its options become optional properties, of which the reader requires exactly one (`min` 1). */
export function choice<const F extends readonly AnyField[]>(options: F, min: 0 | 1 = 1): Choice<F> {
  return { kind: 'choice', options, min };
}

/**
 * The property name for an element name, e.g. `Resept` → `resept`. Returned as an interned string (the
 * form V8 keeps property names in): the decoder stores every value under it, and a computed, non-interned
 * key would be looked up in V8's string table on each of those stores.
 */
function uncapitalize(s: string): string {
  return Object.keys({ [s.charAt(0).toLowerCase() + s.slice(1)]: 0 })[0]!;
}

type Flatten<I> = I extends Choice<infer F> ? OptionalField<F[number]> : I;
type OptionalField<F> = F extends Field<infer K, infer T, boolean, infer M> ? Field<K, T, true, M> : never;
type FieldValue<F> = F extends Field<string, infer T, boolean, infer M> ? (M extends true ? T[] : T) : never;
type Simplify<T> = { [K in keyof T]: T[K] } & {};

/** The decoded object type of a sequence of items. */
export type InferItems<Items extends readonly Item[]> = Simplify<
  { [F in Flatten<Items[number]> as F extends Field<infer K, unknown, false, boolean> ? K : never]: FieldValue<F> } & {
    [F in Flatten<Items[number]> as F extends Field<infer K, unknown, true, boolean> ? K : never]?: FieldValue<F>;
  }
>;

/** Options of a complex type. */
export interface ComplexOptions<T> {
  /** Rules beyond structure (e.g. "D-nummer needs DateOfBirth"), checked after a clean decode. */
  readonly check?: (value: T, path: string, ctx: DecodeContext) => void;
}

/** A complex type also exposes its items, so that others can extend it (XSD `extension`). */
export interface ComplexType<T, Items extends readonly Item[] = readonly Item[]> extends ElementType<T> {
  readonly items: Items;
  readonly ns: string;
}

function fieldStep(field: AnyField, ns: string): ReadStep {
  const fieldNs = field.ns ?? ns;
  return {
    type: field.type, options: [], key: field.key, local: field.local, ns: fieldNs,
    step: `/${xpathName(fieldNs, field.local)}`, min: field.min, max: field.max, many: field.many,
  };
}

/** The items of a sequence with namespace, XPath step and (for a choice) options resolved, for its reader. */
function readSteps(items: readonly Item[], ns: string): readonly ReadStep[] {
  return items.map((item) => item.kind === 'field'
    ? fieldStep(item, ns)
    : { type: undefined, options: item.options.map((o) => fieldStep(o, ns)), key: '', local: '', ns: '', step: '', min: item.min, max: 1, many: false });
}

/**
 * A complex type: a sequence of fields and choices in namespace `ns` (elementFormDefault qualified).
 * @example complex(NS.felleskomponent1, [one('Id', textElement(xsString)), one('TypeId', cv())])
 */
export function complex<const Items extends readonly Item[]>(
  ns: string,
  items: Items,
  options: ComplexOptions<InferItems<Items>> = {},
): ComplexType<InferItems<Items>, Items> {
  type T = InferItems<Items>;
  return {
    description: 'complex',
    items,
    ns,
    decode: compileSequenceReader(readSteps(items, ns), options.check as SequenceCheck | undefined) as (el: XmlElement, path: string, ctx: DecodeContext) => T,
    encode(value, elNs, local) {
      const children: XmlNode[] = [];
      const record = value as Record<string, unknown>;
      const emit = (field: AnyField) => {
        const v = record[field.key];
        if (v === undefined) return;
        const list = field.many ? (v as unknown[]) : [v];
        for (const item of list) children.push(field.type.encode(item, field.ns ?? ns, field.local));
      };
      for (const item of items) {
        if (item.kind === 'field') emit(item);
        else item.options.forEach(emit);
      }
      return element(elNs, local, children);
    },
  };
}

/**
 * A complex type that extends another (XSD `complexContent/extension`): the base's items first.
 * @example extend(typeLegemiddel, NS.forskrivning, [one('Varenr', textElement(xsString))])
 */
export function extend<const Base extends readonly Item[], const Items extends readonly Item[]>(
  base: ComplexType<unknown, Base>,
  items: Items,
  options: ComplexOptions<InferItems<readonly [...Base, ...Items]>> = {},
): ComplexType<InferItems<readonly [...Base, ...Items]>, readonly [...Base, ...Items]> {
  return complex(base.ns, [...base.items, ...items] as const, options);
}

/**
 * Refers to a type defined later or recursively (e.g. Organisation inside Organisation).
 * @example const org: ElementType<Organisation> = lazy(() => organisationType)
 */
export function lazy<T>(get: () => ElementType<T>): ElementType<T> {
  return {
    description: 'complex',
    decode: (el, path, ctx) => get().decode(el, path, ctx),
    encode: (value, ns, local) => get().encode(value, ns, local),
    get items() {
      return get().items;
    },
    get ns() {
      return get().ns;
    },
  };
}
