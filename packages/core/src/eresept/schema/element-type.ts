/**
 * The contract between a message schema description and the generic reader/writer: an element type
 * knows how to decode one element (reporting problems with their XPath) and how to encode a value.
 */
import type { IssueCollector } from '../issues.js';
import type { XmlElement } from '../xml/xml-tree.js';

/** Code lists the reader may check coded values against. */
export interface CodeListLookup {
  /**
   * Whether `code` is in the complete code list with this OID; `undefined` when the list is not known
   * completely here, so that no valid message is refused for a list the project does not carry in full.
   */
  contains(oid: string, code: string): boolean | undefined;
  /** The display name of a code, when known. */
  display(oid: string, code: string): string | undefined;
}

/** What decoding needs besides the element. */
export interface DecodeContext {
  readonly issues: IssueCollector;
  readonly codeLists: CodeListLookup;
  /** Accept synthetic test person numbers (test environments only). */
  readonly allowSyntheticIdentities: boolean;
}

/** An element type: decoding and encoding of one element's content and attributes. */
export interface ElementType<T> {
  /** Short name for messages, e.g. `xs:date` or `kith:CV`. */
  readonly description: string;
  /**
   * Decodes an element. Problems are recorded in `ctx.issues` at `path`; the result is undefined when
   * the element could not be read at all.
   */
  decode(element: XmlElement, path: string, ctx: DecodeContext): T | undefined;
  /** Encodes a value as an element with this name. */
  encode(value: T, ns: string, local: string): XmlElement;
  /** For complex types: the sequence description (used to turn model paths into XPaths). */
  readonly items?: readonly ItemDescription[];
  /** For complex types: the namespace of their child elements. */
  readonly ns?: string;
  /** For attribute-only types (CS, CV, …): property name → attribute name. */
  readonly attributeNames?: Readonly<Record<string, string>>;
}

/** What model-path resolution needs to know of a field or a choice. */
export type ItemDescription =
  | { readonly kind: 'field'; readonly key: string; readonly local: string; readonly ns: string | undefined; readonly type: ElementType<unknown>; readonly max: number }
  | { readonly kind: 'choice'; readonly options: readonly ItemDescription[] };

/** Value type carried by an element type. */
export type ValueOf<E> = E extends ElementType<infer T> ? T : never;
