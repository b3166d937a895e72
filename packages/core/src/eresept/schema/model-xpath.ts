/**
 * Turns a path into a decoded message model (property names and array indexes) back into the XPath of
 * the element or attribute it came from, using the same description that decoded it.
 * Conversion reports use it to say where in the source message a field was.
 */
import type { ElementType, ItemDescription } from './element-type.js';
import { xpathName } from './xpath.js';

/** A path into a decoded model: property names and array indexes. */
export type ModelPath = readonly (string | number)[];

function findField(items: readonly ItemDescription[], key: string): Extract<ItemDescription, { kind: 'field' }> | undefined {
  for (const item of items) {
    if (item.kind === 'field') {
      if (item.key === key) return item;
    } else {
      const found = findField(item.options, key);
      if (found) return found;
    }
  }
  return undefined;
}

/**
 * The XPath of a model path below an element of type `type` found at `rootXPath`.
 * Unknown segments are appended as they are, so that a path is never lost.
 * @example modelPathToXPath(ereseptMsgHead, '/mh:MsgHead', ['msgInfo', 'msgId']) // '/mh:MsgHead/mh:MsgInfo/mh:MsgId'
 */
export function modelPathToXPath(type: ElementType<unknown>, rootXPath: string, path: ModelPath): string {
  let xpath = rootXPath;
  let current: ElementType<unknown> | undefined = type;
  for (let i = 0; i < path.length; i++) {
    const segment = path[i]!;
    if (typeof segment === 'number') {
      xpath += `[${segment + 1}]`;
      continue;
    }
    const attribute = current?.attributeNames?.[segment];
    if (attribute) {
      xpath += `/@${attribute}`;
      current = undefined;
      continue;
    }
    const field: Extract<ItemDescription, { kind: 'field' }> | undefined = current?.items ? findField(current.items, segment) : undefined;
    if (!field) {
      xpath += `/${segment}`;
      current = undefined;
      continue;
    }
    xpath += `/${xpathName(field.ns ?? current?.ns ?? '', field.local)}`;
    // A single occurrence of a repeatable element still gets its position.
    if (field.max > 1 && typeof path[i + 1] !== 'number') xpath += '[1]';
    current = field.type;
  }
  return xpath;
}
