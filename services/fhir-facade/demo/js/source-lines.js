/**
 * Where an issue points in a text the user pasted: FHIR JSON and e-resept XML are read here with the
 * line of every element, and a FHIRPath `expression` (FHIR) or an XPath `location` (XML) from an
 * OperationOutcome is followed to a line. The same walk gives the value there, which the side-by-side
 * view of a conversion uses. Pure functions: no DOM, so they run in Node's tests as well.
 *
 * Only the forms the service writes are followed: `Bundle.entry[3].resource.code.coding[0]`,
 * `where(name = 'x')`, `extension('url')`, `ofType(T)`, `first()` in FHIRPath; `/mh:MsgHead/mh:Document[1]/…/@V`
 * and `//Name` in XPath (prefixes are ignored: names match by local name). A path that cannot be
 * followed to the end gives the deepest element reached, with `exact: false`.
 */

/** Offsets where each line starts, for turning an offset into a 1-based line number. */
function lineIndex(text) {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
}

// ---------------------------------------------------------------------------------------------- JSON

/**
 * Reads JSON keeping the line of every value and key.
 * @param {string} text
 * @returns {{ root?: object, error?: { message: string, line: number } }} nodes: `{ kind: 'object', line,
 *   members: Map<key, { keyLine, node }> }`, `{ kind: 'array', line, items }`, `{ kind: 'value', line, value }`
 */
export function parseJsonWithLines(text) {
  const lineAt = lineIndex(text);
  let i = 0;
  const fail = (message) => {
    throw Object.assign(new Error(message), { line: lineAt(Math.min(i, text.length)) });
  };
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i])) i++;
  };
  const string = () => {
    const start = i;
    i++;
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    if (i >= text.length) fail('unterminated string');
    i++;
    return JSON.parse(text.slice(start, i));
  };
  const value = () => {
    ws();
    const line = lineAt(i);
    const c = text[i];
    if (c === '{') {
      i++;
      const members = new Map();
      ws();
      if (text[i] === '}') {
        i++;
        return { kind: 'object', line, members };
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail('expected a property name');
        const keyLine = lineAt(i);
        const key = string();
        ws();
        if (text[i] !== ':') fail('expected ":"');
        i++;
        members.set(key, { keyLine, node: value() });
        ws();
        if (text[i] === ',') { i++; continue; }
        if (text[i] === '}') { i++; return { kind: 'object', line, members }; }
        fail('expected "," or "}"');
      }
    }
    if (c === '[') {
      i++;
      const items = [];
      ws();
      if (text[i] === ']') {
        i++;
        return { kind: 'array', line, items };
      }
      for (;;) {
        items.push(value());
        ws();
        if (text[i] === ',') { i++; continue; }
        if (text[i] === ']') { i++; return { kind: 'array', line, items }; }
        fail('expected "," or "]"');
      }
    }
    if (c === '"') return { kind: 'value', line, value: string() };
    const literal = /^(?:-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(text.slice(i, i + 64));
    if (!literal) fail('unexpected character');
    i += literal[0].length;
    return { kind: 'value', line, value: JSON.parse(literal[0]) };
  };
  try {
    const root = value();
    ws();
    if (i < text.length) fail('unexpected text after the JSON value');
    return { root };
  } catch (e) {
    return { error: { message: e.message, line: e.line ?? 1 } };
  }
}

/** Splits at the dots that are not inside parentheses or quotes. */
function splitPath(expression, separator) {
  const parts = [];
  let depth = 0;
  let quoted = false;
  let current = '';
  for (const c of expression) {
    if (c === "'") quoted = !quoted;
    if (!quoted && c === '(') depth++;
    if (!quoted && c === ')') depth--;
    if (c === separator && depth === 0 && !quoted) {
      parts.push(current);
      current = '';
    } else current += c;
  }
  parts.push(current);
  return parts;
}

/** The member `name` of an object node; a choice element (`value` for `valueString`) is found by its prefix. */
function member(node, name) {
  if (node?.kind !== 'object') return undefined;
  const exact = node.members.get(name);
  if (exact) return exact;
  for (const [key, m] of node.members) if (key.startsWith(name) && /^[A-Z]/.test(key.slice(name.length))) return m;
  return undefined;
}

/** The value at a simple dotted path below a node (for `where(a.b = 'v')`). */
function valueBelow(node, dotted) {
  let cur = node;
  for (const name of dotted.split('.')) {
    if (cur?.kind === 'array') cur = cur.items[0];
    cur = member(cur, name)?.node;
  }
  return cur?.kind === 'value' ? cur.value : undefined;
}

const ELEMENT_STEP = /^([A-Za-z_]\w*)(?:\[(\d+)\])?$/;
const FUNCTION_STEP = /^(\w+)\((.*)\)(?:\[(\d+)\])?$/;
const EQUALS = /^\s*([\w.]+)\s*=\s*'([^']*)'\s*$/;

/**
 * Follows a FHIRPath expression into parsed JSON.
 * @param {object} root from {@link parseJsonWithLines}
 * @param {string} expression e.g. `Bundle.entry[0].resource.dispenseRequest.validityPeriod.end`
 * @returns {{ line: number, value?: unknown, exact: boolean }}
 */
export function locateFhirPath(root, expression) {
  const steps = splitPath(expression.trim(), '.');
  // The first step names the resource type of the root (`Bundle`, `Parameters`, …).
  if (/^[A-Z]/.test(steps[0] ?? '')) steps.shift();
  let node = root;
  let line = root.line;
  const at = (next, nextLine) => {
    node = next;
    line = nextLine ?? next.line;
  };
  for (const step of steps) {
    const element = ELEMENT_STEP.exec(step);
    const call = element ? undefined : FUNCTION_STEP.exec(step);
    if (element) {
      if (node.kind === 'array') {
        if (!node.items[0]) return { line, exact: false };
        at(node.items[0]);
      }
      const m = member(node, element[1]);
      if (!m) return { line, exact: false };
      at(m.node, m.keyLine);
      if (element[2] !== undefined) {
        const item = node.kind === 'array' ? node.items[Number(element[2])] : Number(element[2]) === 0 ? node : undefined;
        if (!item) return { line, exact: false };
        at(item);
      }
    } else if (call && (call[1] === 'where' || call[1] === 'extension')) {
      const list = call[1] === 'extension' ? member(node.kind === 'array' ? node.items[0] : node, 'extension')?.node : node;
      const [, field, wanted] = call[1] === 'extension' ? [undefined, 'url', call[2].replace(/^'|'$/g, '')] : EQUALS.exec(call[2]) ?? [];
      const items = list?.kind === 'array' ? list.items : list ? [list] : [];
      const found = field ? items.find((item) => valueBelow(item, field) === wanted) : undefined;
      if (!found) return { line, exact: false };
      at(found);
    } else if (call && call[1] === 'first') {
      if (node.kind === 'array') {
        if (!node.items[0]) return { line, exact: false };
        at(node.items[0]);
      }
    } else if (call && call[1] === 'ofType') {
      continue;
    } else {
      return { line, exact: false };
    }
  }
  return { line, exact: true, ...(node.kind === 'value' ? { value: node.value } : {}) };
}

// ----------------------------------------------------------------------------------------------- XML

const ENTITIES = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decodeEntities(text) {
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|\w+);/g, (whole, name) => {
    if (name.startsWith('#x')) return String.fromCodePoint(parseInt(name.slice(2), 16));
    if (name.startsWith('#')) return String.fromCodePoint(Number(name.slice(1)));
    return ENTITIES[name] ?? whole;
  });
}

const localName = (qname) => qname.slice(qname.indexOf(':') + 1);

function appendText(element, text) {
  element.text += text;
  if (text) element.content.push(text);
}

/** The text of an element and everything below it, in document order. */
export function textContent(element) {
  return element.content.map((c) => (typeof c === 'string' ? c : textContent(c))).join('');
}

/**
 * Reads XML keeping the line of every element. Lenient: what cannot be read ends the tree there.
 * @param {string} text
 * @returns {{ root?: object }} elements: `{ name (local), line, attributes: Map<local name, value>, children,
 *   text (its own), content (text and child elements in document order) }`
 */
export function parseXmlWithLines(text) {
  const lineAt = lineIndex(text);
  const stack = [];
  let root;
  let i = 0;
  const skipTo = (end) => {
    const j = text.indexOf(end, i);
    i = j < 0 ? text.length : j + end.length;
    return j < 0 ? text.length : j;
  };
  while (i < text.length) {
    const lt = text.indexOf('<', i);
    if (lt < 0) break;
    if (stack.length) appendText(stack[stack.length - 1], decodeEntities(text.slice(i, lt)));
    i = lt;
    if (text.startsWith('<?', i)) skipTo('?>');
    else if (text.startsWith('<!--', i)) skipTo('-->');
    else if (text.startsWith('<![CDATA[', i)) {
      const start = i + 9;
      const end = skipTo(']]>');
      if (stack.length) appendText(stack[stack.length - 1], text.slice(start, end));
    } else if (text.startsWith('<!', i)) skipTo('>');
    else if (text.startsWith('</', i)) {
      skipTo('>');
      stack.pop();
    } else {
      const tag = /^<([^\s/>]+)((?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/.exec(text.slice(i, i + 100_000));
      if (!tag) break;
      const element = { name: localName(tag[1]), line: lineAt(i), attributes: new Map(), children: [], text: '', content: [] };
      for (const a of tag[2].matchAll(/([^\s=]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
        if (a[1] !== 'xmlns' && !a[1].startsWith('xmlns:')) element.attributes.set(localName(a[1]), decodeEntities(a[2] ?? a[3] ?? ''));
      }
      if (stack.length) {
        stack[stack.length - 1].children.push(element);
        stack[stack.length - 1].content.push(element);
      }
      else root ??= element;
      i += tag[0].length;
      if (!tag[3]) stack.push(element);
    }
  }
  return root ? { root } : {};
}

function firstDescendant(element, name) {
  for (const child of element.children) {
    if (child.name === name) return child;
    const below = firstDescendant(child, name);
    if (below) return below;
  }
  return undefined;
}

const XML_STEP = /^(@?)(?:[\w.-]+:)?([\w.-]+)(?:\[(\d+)\])?$/;

/**
 * Follows an XPath into parsed XML.
 * @param {object} root from {@link parseXmlWithLines}
 * @param {string} xpath e.g. `/mh:MsgHead/mh:Document[1]/mh:RefDoc/mh:Content/m1:Resept/m1:Utloper`, `//Atc/@V`
 * @returns {{ line: number, value?: string, exact: boolean }}
 */
export function locateXPath(root, xpath) {
  const steps = xpath.trim().replace(/^\//, '').split('/');
  let element;
  let line = root.line;
  let descend = false;
  for (const step of steps) {
    if (step === '') {
      descend = true;
      continue;
    }
    if (step === 'text()') return { line, exact: true, value: element?.text.trim() };
    const s = XML_STEP.exec(step);
    if (!s) return { line, exact: false };
    const [, attribute, name, index] = s;
    if (attribute) {
      const value = element?.attributes.get(name);
      return value === undefined ? { line, exact: false } : { line, exact: true, value };
    }
    let next;
    if (!element) next = root.name === name ? root : descend ? firstDescendant(root, name) : undefined;
    else if (descend) next = firstDescendant(element, name);
    else next = element.children.filter((c) => c.name === name)[Number(index ?? 1) - 1];
    descend = false;
    if (!next) return { line, exact: false };
    element = next;
    line = element.line;
  }
  return { line, exact: true, ...(element && element.children.length === 0 ? { value: element.text.trim() } : {}) };
}

// ------------------------------------------------------------------------------------------ together

/** "line 3, column 7": where a syntax error is, as `location` or in the diagnostics. */
const STATED_LINE = /\bline (\d+)/i;

/**
 * The line each OperationOutcome issue points at in `text` (JSON or XML, by its first character):
 * `expression` (FHIRPath) or `location` (XPath), or a stated "line N" (a syntax error).
 * @param {string} text the submitted payload
 * @param {{ issue?: object[] }} outcome
 * @returns {({ line: number, exact: boolean } | undefined)[]} one per issue
 */
export function issueLines(text, outcome) {
  const xml = text.trimStart().startsWith('<');
  const parsed = xml ? parseXmlWithLines(text) : parseJsonWithLines(text);
  return (outcome.issue ?? []).map((issue) => {
    const path = (xml ? issue.location?.[0] : issue.expression?.[0]) ?? issue.expression?.[0] ?? issue.location?.[0];
    const statedAt = STATED_LINE.exec(path ?? '');
    if (statedAt) return { line: Number(statedAt[1]), exact: true };
    if (path && parsed.root && path !== '/') {
      const found = xml ? locateXPath(parsed.root, path) : locateFhirPath(parsed.root, path);
      return { line: found.line, exact: found.exact };
    }
    const stated = STATED_LINE.exec(issue.diagnostics ?? '');
    if (stated) return { line: Number(stated[1]), exact: true };
    if (parsed.error) return { line: parsed.error.line, exact: false };
    return undefined;
  });
}
