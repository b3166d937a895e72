/**
 * Turns a path into a decoded message model (property names and array indexes) back into the XPath of
 * the element or attribute it came from, using the same description that decoded it.
 * Conversion reports use it to say where in the source message a field was.
 */
import type { ElementType, ItemDescription } from './element-type.js';
import { xpathName } from './xpath.js';

/** A path into a decoded model: property names and array indexes. */
export type ModelPath = readonly (string | number)[];

type FieldDescription = Extract<ItemDescription, { kind: 'field' }>;

/** What one property name of a type turns into in an XPath. */
interface Step {
  /** The XPath step, e.g. `/mh:MsgId` or `/@V`. */
  readonly text: string;
  /** The type below it (undefined for attributes: nothing is below them). */
  readonly type: ElementType<unknown> | undefined;
  /** A repeatable element: a single occurrence still gets its position. */
  readonly repeats: boolean;
}

// A report renders the same few dozen (type, property) steps for every message; the descriptions never
// change, so each step is worked out once instead of scanning the type's items on every render.
const stepsByType = new WeakMap<ElementType<unknown>, Map<string, Step | null>>();

function findField(items: readonly ItemDescription[], key: string): FieldDescription | undefined {
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

function stepOf(type: ElementType<unknown>, key: string): Step | undefined {
  let steps = stepsByType.get(type);
  if (!steps) {
    steps = new Map();
    stepsByType.set(type, steps);
  }
  let step = steps.get(key);
  if (step === undefined) {
    const attribute = type.attributeNames?.[key];
    const field = attribute ? undefined : type.items ? findField(type.items, key) : undefined;
    step = attribute
      ? { text: `/@${attribute}`, type: undefined, repeats: false }
      : field
        ? { text: `/${xpathName(field.ns ?? type.ns ?? '', field.local)}`, type: field.type, repeats: field.max > 1 }
        : null;
    steps.set(key, step);
  }
  return step ?? undefined;
}

/**
 * Renders model paths below an element of type `type` found at `rootXPath`, one after the other. It keeps
 * the steps of the last path: a conversion report renders its paths in document order, so the next one
 * usually shares most of its steps and only the rest are worked out.
 */
export class ModelXPathRenderer {
  // Per depth d (after d segments of the last path): the XPath so far, without a position a repeatable
  // element gets only when no index follows it; whether that element repeats; and the type reached.
  private readonly segments: (string | number)[] = [];
  private readonly xpaths: string[];
  private readonly repeats: boolean[] = [false];
  private readonly types: (ElementType<unknown> | undefined)[];
  private depth = 0;

  constructor(type: ElementType<unknown>, rootXPath: string) {
    this.xpaths = [rootXPath];
    this.types = [type];
  }

  /**
   * The XPath of `path`. Unknown segments are appended as they are, so that a path is never lost.
   * @example new ModelXPathRenderer(ereseptMsgHead, '/mh:MsgHead').render(['msgInfo', 'msgId']) // '/mh:MsgHead/mh:MsgInfo/mh:MsgId'
   */
  render(path: ModelPath): string {
    let d = 0;
    while (d < path.length && d < this.depth && sameSegment(path[d]!, this.segments[d]!)) d++;
    for (; d < path.length; d++) {
      const segment = path[d]!;
      const current = this.types[d];
      let xpath: string;
      let type: ElementType<unknown> | undefined;
      let repeats = false;
      if (typeof segment === 'number') {
        xpath = `${this.xpaths[d]}[${segment + 1}]`;
        type = current;
      } else {
        // A single occurrence of a repeatable element still gets its position.
        const before = this.repeats[d] ? `${this.xpaths[d]}[1]` : this.xpaths[d]!;
        const step = current ? stepOf(current, segment) : undefined;
        xpath = before + (step ? step.text : `/${segment}`);
        type = step?.type;
        repeats = step?.repeats ?? false;
      }
      this.segments[d] = segment;
      this.xpaths[d + 1] = xpath;
      this.types[d + 1] = type;
      this.repeats[d + 1] = repeats;
    }
    this.depth = path.length;
    const xpath = this.xpaths[path.length]!;
    return this.repeats[path.length] ? `${xpath}[1]` : xpath;
  }
}

/**
 * The XPath of a model path below an element of type `type` found at `rootXPath`.
 * Unknown segments are appended as they are, so that a path is never lost.
 * @example modelPathToXPath(ereseptMsgHead, '/mh:MsgHead', ['msgInfo', 'msgId']) // '/mh:MsgHead/mh:MsgInfo/mh:MsgId'
 */
export function modelPathToXPath(type: ElementType<unknown>, rootXPath: string, path: ModelPath): string {
  return new ModelXPathRenderer(type, rootXPath).render(path);
}

/** `a === b` for path segments, compared within their type (a comparison of mixed types is not inlined). */
function sameSegment(a: string | number, b: string | number): boolean {
  return typeof a === 'number' ? typeof b === 'number' && a === b : typeof b === 'string' && a === b;
}
