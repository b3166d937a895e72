/**
 * The element types used most often in the message descriptions, named once.
 */
import type { XmlElement } from '../xml/xml-tree.js';
import type { ElementType } from './element-type.js';
import {
  xsAnyUri, xsBoolean, xsDate, xsDateTime, xsDecimal, xsDouble, xsDuration, xsId, xsInt, xsString, xsTime,
} from './simple-types.js';
import { textElement } from './text-element.js';

/** `xs:string` element. */
export const str = textElement(xsString);
/** `xs:date` element (value `YYYY-MM-DD`). */
export const date = textElement(xsDate);
/** `xs:dateTime` element. */
export const dateTime = textElement(xsDateTime);
/** `xs:time` element. */
export const time = textElement(xsTime);
/** `xs:decimal` element. */
export const decimal = textElement(xsDecimal);
/** `xs:double` element. */
export const double = textElement(xsDouble);
/** `xs:int` element. */
export const int = textElement(xsInt);
/** `xs:boolean` element. */
export const bool = textElement(xsBoolean);
/** `xs:duration` element. */
export const duration = textElement(xsDuration);
/** `xs:ID` / `xs:IDREF` element. */
export const id = textElement(xsId);
/** `xs:anyURI` element. */
export const anyUri = textElement(xsAnyUri);

/**
 * An element kept as it is (e.g. `ds:Signature`): carried through read and write unchanged, not interpreted.
 * It is written verbatim: pretty-printing the message adds no whitespace inside it.
 */
export const opaque: ElementType<XmlElement> = {
  description: 'any',
  decode: (el) => el,
  encode: (value) => ({ ...value, verbatim: true }),
};
