/**
 * The source paths a conversion mentioned (carried, approximated or reported), kept as a trie with one
 * step per path segment. Marking a path, asking whether it or an ancestor is marked, and following the
 * source down during the final sweep each cost a few comparisons per segment. Joining every path into one
 * string key instead (the first design) built and hashed a new ~100-character string per call, which was
 * the largest part of a conversion's time.
 */

/** A path into the source: property names and array indexes (as numbers) of the decoded message or FHIR JSON. */
export type SourcePath = readonly (string | number)[];

/**
 * `path` followed by `segments`, in an array of exactly that length. A conversion builds a path for every
 * field it reports; a spread (`[...path, key]`) reserves about three times the room, which made the paths
 * the largest part of what a conversion allocates.
 * @example below(['document', 0], 'refDoc') // ['document', 0, 'refDoc']
 */
export function below(path: SourcePath, ...segments: (string | number)[]): SourcePath {
  const n = path.length;
  const out = new Array<string | number>(n + segments.length);
  for (let i = 0; i < n; i++) out[i] = path[i]!;
  for (let i = 0; i < segments.length; i++) out[n + i] = segments[i]!;
  return out;
}

/** Most indexed children a step keeps in a list (the items of a repeated element in a message are a few). */
const INDEXED_LIST_MAX = 16;

/**
 * One step of the trie. Its children are linked lists (first child, next sibling), one for property names
 * and one for array indexes: a step has a handful of children and a conversion makes a few hundred steps,
 * so lists allocate nothing beyond the steps themselves, where a Map or arrays per step would. An array in
 * the input may hold any number of items, though, and a list would make each look-up, and so the report,
 * grow with its square: past {@link INDEXED_LIST_MAX} items a step keeps them in an array by index.
 */
export class PathNode {
  /** True when exactly this path was mentioned; everything below it then counts as accounted for. */
  marked = false;
  private firstNamed: PathNode | undefined = undefined;
  private firstIndexed: PathNode | undefined = undefined;
  private indexedCount = 0;
  /** The indexed children by index, once there are more than a list should hold. */
  private byIndex: PathNode[] | undefined = undefined;
  private next: PathNode | undefined = undefined;

  /**
   * @param parent the step above (undefined for the empty path)
   * @param segment the property name or array index of this step
   */
  constructor(
    readonly parent: PathNode | undefined,
    readonly segment: string | number,
  ) {}

  // Each list holds one type of segment only, so each comparison below sees one type and is inlined.

  /** The step below this one for property `name`, if any path through it was marked. */
  childNamed(name: string): PathNode | undefined {
    for (let c = this.firstNamed; c; c = c.next) if (c.segment === name) return c;
    return undefined;
  }

  /** The step below this one for array index `index`, if any path through it was marked. */
  childAt(index: number): PathNode | undefined {
    if (this.byIndex) return this.byIndex[index];
    for (let c = this.firstIndexed; c; c = c.next) if (c.segment === index) return c;
    return undefined;
  }

  /** The step below this one for `segment`, if any path through it was marked. */
  child(segment: string | number): PathNode | undefined {
    return typeof segment === 'number' ? this.childAt(segment) : this.childNamed(segment);
  }

  /** The step below this one for `segment`, added when missing. */
  childOrAdd(segment: string | number): PathNode {
    if (typeof segment === 'number') {
      const found = this.childAt(segment);
      if (found) return found;
      const node = new PathNode(this, segment);
      if (this.byIndex) {
        this.byIndex[segment] = node;
        return node;
      }
      node.next = this.firstIndexed;
      this.firstIndexed = node;
      if (++this.indexedCount > INDEXED_LIST_MAX) {
        this.byIndex = [];
        for (let c: PathNode | undefined = node; c; c = c.next) this.byIndex[c.segment as number] = c;
      }
      return node;
    }
    const found = this.childNamed(segment);
    if (found) return found;
    const node = new PathNode(this, segment);
    node.next = this.firstNamed;
    this.firstNamed = node;
    return node;
  }

  /** The path from the root to this step. */
  path(): SourcePath {
    if (!this.parent) return [];
    const out: (string | number)[] = [this.segment];
    for (let n: PathNode | undefined = this.parent; n?.parent; n = n.parent) out.push(n.segment);
    return out.reverse();
  }
}

/** The set of mentioned source paths, in the order they were first mentioned. */
export class CoveredPaths {
  /** The empty path; walk down from here with {@link PathNode.child}. */
  readonly root = new PathNode(undefined, '');
  private readonly inOrder: PathNode[] = [];
  // The last marked path (our own copy: callers may reuse their arrays) and its trie steps, valid up to
  // `lastDepth`. A conversion marks field after field of the same element, so the next path usually
  // shares a long prefix with it and only its last steps need a look-up.
  private readonly lastSegments: (string | number)[] = [];
  private readonly lastNodes: PathNode[] = [this.root];
  private lastDepth = 0;

  /** Marks `path` as mentioned (a second mention of the same path changes nothing). */
  mark(path: SourcePath): void {
    this.markNode(this.step(path));
  }

  /** Marks the fields `keys` of the element at `path` as mentioned, without building a path for each. */
  markBelow(path: SourcePath, keys: readonly (string | number)[]): void {
    const node = this.step(path);
    for (const key of keys) this.markNode(node.childOrAdd(key));
  }

  /** The trie step of `path`, added when missing (marks nothing). */
  private step(path: SourcePath): PathNode {
    const segments = this.lastSegments;
    const nodes = this.lastNodes;
    let depth = 0;
    while (depth < path.length && depth < this.lastDepth && sameSegment(path[depth]!, segments[depth]!)) depth++;
    let node = nodes[depth]!;
    for (; depth < path.length; depth++) {
      const segment = path[depth]!;
      node = node.childOrAdd(segment);
      segments[depth] = segment;
      nodes[depth + 1] = node;
    }
    this.lastDepth = depth;
    return node;
  }

  private markNode(node: PathNode): void {
    if (node.marked) return;
    node.marked = true;
    this.inOrder.push(node);
  }

  /** True when `path` or one of its ancestors (the empty path included) is marked. */
  isCovered(path: SourcePath): boolean {
    let node: PathNode | undefined = this.root;
    for (let i = 0; node; i++) {
      if (node.marked) return true;
      if (i === path.length) return false;
      node = node.child(path[i]!);
    }
    return false;
  }

  /** The trie step of `path`, or undefined when no marked path goes through it. */
  find(path: SourcePath): PathNode | undefined {
    let node: PathNode | undefined = this.root;
    for (let i = 0; node && i < path.length; i++) node = node.child(path[i]!);
    return node;
  }

  /** Every marked path, in the order it was first marked. */
  paths(): SourcePath[] {
    return this.inOrder.map((node) => node.path());
  }
}

/** `a === b` for path segments, compared within their type (a comparison of mixed types is not inlined). */
function sameSegment(a: string | number, b: string | number): boolean {
  return typeof a === 'number' ? typeof b === 'number' && a === b : typeof b === 'string' && a === b;
}
