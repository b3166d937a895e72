/**
 * The KITH data types (namespace http://www.kith.no/xmlstds, kith.xsd): coded values CS and CV,
 * quantities PQ and MO, time stamp TS and URL. All are empty elements with unqualified attributes.
 * Coded values keep V, S, DN and OT exactly as written.
 */
import { kodeverkOid } from '../../terminology/oids.js';
import { element, isBlank, type XmlAttribute } from '../xml/xml-tree.js';
import type { DecodeContext, ElementType } from './element-type.js';
import { kithOid, xsAnyUri, xsDecimal, xsDouble, xsString, xsToken, type SimpleType } from './simple-types.js';
import { isInstanceAttribute, tooLong } from './text-element.js';
import { xpathName } from './xpath.js';

/** `kith:CS`: a code from a code list implied by the element (no S). */
export interface CS {
  readonly v?: string;
  readonly dn?: string;
}

/** `kith:CV`: a code with its code system OID (S) and optional original text (OT). */
export interface CV {
  readonly v?: string;
  readonly s?: string;
  readonly dn?: string;
  readonly ot?: string;
}

/** `kith:PQ`: a physical quantity, value (xs:double) and unit. */
export interface PQ {
  readonly v?: number;
  readonly u?: string;
}

/** `kith:MO`: an amount of money, value (xs:decimal) and currency. */
export interface MO {
  readonly v?: number;
  readonly u?: string;
}

/** `kith:TS`: a point in time (date, dateTime, gYear, gYearMonth or time). */
export interface TS {
  readonly v?: string;
}

/** `kith:URL`. */
export interface URL_ {
  readonly v?: string;
}

type AttributeSpec = { readonly name: string; readonly type: SimpleType<unknown> };
type Store = (out: Record<string, unknown>, value: unknown) => void;
/** The property names of the KITH types' attributes (V, S, DN, OT, U). */
type KithKey = 'v' | 's' | 'dn' | 'ot' | 'u';

/**
 * A store for each property name of the KITH types. One `out[key] = value` for all of them would see every
 * shape of every coded value and add each property through V8's slow generic path; a store with its own
 * name stays fast (that one line was 5 % of decoding an M1).
 */
const STORES: Readonly<Record<KithKey, Store>> = {
  v: (out, value) => { out.v = value; },
  s: (out, value) => { out.s = value; },
  dn: (out, value) => { out.dn = value; },
  ot: (out, value) => { out.ot = value; },
  u: (out, value) => { out.u = value; },
};

function attributeElement<T extends Partial<Record<KithKey, unknown>>>(
  description: string,
  attributes: Readonly<Record<keyof T & KithKey, AttributeSpec>>,
  check?: (value: T, path: string, ctx: DecodeContext) => void,
): ElementType<T> {
  // Two to four attributes: scanning them beats hashing each attribute name of the message for a Map.
  const known: readonly { readonly spec: AttributeSpec; readonly store: Store }[] = (Object.entries(attributes) as [KithKey, AttributeSpec][])
    .map(([key, spec]) => ({ spec, store: STORES[key] }));
  const byName = (name: string) => {
    for (let i = 0; i < known.length; i++) if (known[i]!.spec.name === name) return known[i];
    return undefined;
  };
  const attributeNames: Record<string, string> = {};
  for (const [key, spec] of Object.entries(attributes) as [string, AttributeSpec][]) attributeNames[key] = spec.name;
  return {
    description,
    attributeNames,
    decode(el, path, ctx) {
      const out: Record<string, unknown> = {};
      const before = ctx.issues.errorCount;
      // Indexed loops: `for…of` over these arrays (some frozen, some not) allocated an iterator per loop.
      const attributes = el.attributes;
      for (let i = 0; i < attributes.length; i++) {
        const a = attributes[i]!;
        const found = a.ns === '' ? byName(a.local) : undefined;
        if (!found) {
          if (!isInstanceAttribute(a.ns)) ctx.issues.error('structure', `${path}/@${a.local}`, `attribute ${a.local} is not part of ${description}`);
          continue;
        }
        const { spec, store } = found;
        // An attribute with only whitespace says nothing: it counts as absent, as text elements do.
        if (isBlank(a.value) || tooLong(a.value, path, ctx, a.local)) continue;
        const value = spec.type.parse(a.value);
        if (value === undefined) ctx.issues.error('value', `${path}/@${a.local}`, `"${a.value.slice(0, 60)}" is not a valid ${spec.type.name}`);
        else store(out, value);
      }
      const children = el.children;
      for (let i = 0; i < children.length; i++) {
        const c = children[i]!;
        if (c.kind === 'element' || !isBlank(c.text)) {
          ctx.issues.error('structure', path, `${xpathName(el.ns, el.local)} is a ${description} and must be empty`);
          break;
        }
      }
      if (ctx.issues.errorCount === before) check?.(out as T, path, ctx);
      return out as T;
    },
    encode(value, ns, local) {
      const attrs: XmlAttribute[] = [];
      for (const [key, spec] of Object.entries(attributes) as [string, AttributeSpec][]) {
        const v = (value as Record<string, unknown>)[key];
        if (v !== undefined) attrs.push({ ns: '', local: spec.name, value: spec.type.format(v) });
      }
      return element(ns, local, [], attrs);
    },
  };
}

const CS_ATTRIBUTES = { v: { name: 'V', type: xsToken }, dn: { name: 'DN', type: xsString } } as const;
const CV_ATTRIBUTES = {
  v: { name: 'V', type: xsToken },
  s: { name: 'S', type: kithOid },
  dn: { name: 'DN', type: xsString },
  ot: { name: 'OT', type: xsString },
} as const;

function checkCode(oid: string, code: string | undefined, path: string, ctx: DecodeContext): void {
  if (code === undefined) {
    ctx.issues.error('required', `${path}/@V`, `a code (V) from code system ${oid} is required`);
    return;
  }
  if (ctx.codeLists.contains(oid, code) === false) {
    ctx.issues.error('code-invalid', `${path}/@V`, `"${code}" is not a code in code system ${oid}`);
  }
}

/**
 * A `kith:CS` element; with `kodeverk`, V must be a code of that Volven code list (checked when the
 * list is known completely).
 * @example cs(KODEVERK.jaNei) // BytteresRekvirent: 1 = Ja, 2 = Nei
 */
export function cs(kodeverk?: number): ElementType<CS> {
  const oid = kodeverk === undefined ? undefined : kodeverkOid(kodeverk);
  return attributeElement<CS>('kith:CS', CS_ATTRIBUTES, oid ? (v, path, ctx) => checkCode(oid, v.v, path, ctx) : undefined);
}

/**
 * A `kith:CV` element whose code system (S) must be one of `kodeverk`; V is checked against the code
 * list when it is known completely. Without `kodeverk` any OID is accepted.
 * @example cv(KODEVERK.icpc2, KODEVERK.icd10) // RefKode
 */
export function cv(...kodeverk: number[]): ElementType<CV> {
  const allowed = kodeverk.map(kodeverkOid);
  return attributeElement<CV>('kith:CV', CV_ATTRIBUTES, allowed.length === 0 ? undefined : (v, path, ctx) => {
    const at = v.s === undefined ? -1 : allowed.indexOf(v.s);
    if (v.s === undefined) {
      ctx.issues.error('required', `${path}/@S`, `the code system (S) is required; expected ${allowed.join(' or ')}`);
    } else if (at < 0) {
      ctx.issues.error('code-invalid', `${path}/@S`, `code system ${v.s} is not allowed here; expected ${allowed.join(' or ')}`);
    } else {
      // The list's own OID string (the same text): its hash, for the code list look-up, is computed once.
      checkCode(allowed[at]!, v.v, path, ctx);
    }
  });
}

/** A `kith:PQ` element (V is xs:double). */
export const pq: ElementType<PQ> = attributeElement<PQ>('kith:PQ', { v: { name: 'V', type: xsDouble }, u: { name: 'U', type: xsToken } });

/** A `kith:MO` element (V is xs:decimal). */
export const mo: ElementType<MO> = attributeElement<MO>('kith:MO', { v: { name: 'V', type: xsDecimal }, u: { name: 'U', type: xsToken } });

/** A `kith:URL` element. */
export const url: ElementType<URL_> = attributeElement<URL_>('kith:URL', { v: { name: 'V', type: xsAnyUri } });

// Years 0001–9999, as for xs:date (simple-types.ts).
const TS_PATTERN = /^((?!0000)\d{4}(-\d{2}(-\d{2}(T\d{2}:\d{2}:\d{2}(\.\d+)?)?)?)?|\d{2}:\d{2}:\d{2}(\.\d+)?)(Z|[+-]\d{2}:\d{2})?$/;
const tsValue: SimpleType<string> = {
  name: 'dateTime|date|gYear|gYearMonth|time',
  parse: (s) => {
    const trimmed = s.trim();
    return TS_PATTERN.test(trimmed) ? trimmed : undefined;
  },
  format: (v) => v,
};

/** A `kith:TS` element. */
export const ts: ElementType<TS> = attributeElement<TS>('kith:TS', { v: { name: 'V', type: tsValue } });
