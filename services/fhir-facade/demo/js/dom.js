/**
 * Small DOM helpers shared by the flows. Everything the service or a fixture says is put into the page
 * as text (never as HTML), so nothing in a message can run or restyle the page.
 */
import { ApiError } from './api.js';
import { t } from './i18n.js';

/**
 * An element: `h('button', { type: 'button', class: 'x', onclick: f }, 'text', child)`.
 * `text` sets the text; `on…` adds a listener; `hidden`, `disabled`, `value`, `checked` are properties;
 * other keys are attributes (left out when `undefined` or `false`).
 */
export function h(tag, props = {}, ...children) {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === false || value === null) continue;
    if (key === 'text') element.textContent = value;
    else if (key.startsWith('on')) element.addEventListener(key.slice(2), value);
    else if (['hidden', 'disabled', 'value', 'checked'].includes(key)) element[key] = value;
    else element.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    element.append(typeof child === 'string' || typeof child === 'number' ? String(child) : child);
  }
  return element;
}

/** Replaces an element's content. */
export function show(container, ...children) {
  container.replaceChildren(...children.flat().filter((c) => c !== undefined && c !== null && c !== false));
}

/** What went wrong, as a sentence for a status line. */
export function describeError(error) {
  if (error instanceof ApiError) return `${t('httpError', { status: error.status })} ${error.message}`;
  return t('networkError', { message: error?.message ?? String(error) });
}

/** A table of labels and values (`[label, value]` rows; rows without a value are left out). */
export function keyValueTable(rows, caption) {
  return h('table', { class: 'kv' },
    caption ? h('caption', { text: caption }) : undefined,
    h('tbody', {}, rows.filter(([, value]) => value !== undefined && value !== '' && value !== null)
      .map(([label, value]) => h('tr', {}, h('th', { scope: 'row', text: label }), h('td', {}, value)))));
}

/** A table with a header row. */
export function dataTable(columns, rows, { caption, rowClass } = {}) {
  return h('table', { class: 'data' },
    caption ? h('caption', { text: caption }) : undefined,
    h('thead', {}, h('tr', {}, columns.map((c) => h('th', { scope: 'col', text: c })))),
    h('tbody', {}, rows.map((cells, i) => h('tr', { class: rowClass?.(i) }, cells.map((c) => h('td', {}, c))))));
}

/**
 * A text with line numbers, some lines marked. Each line can be focused (`#<id>-L<n>`), so an issue
 * can take the reader to its line.
 * @param {string} text
 * @param {Map<number, { kind: string, tag?: string }>} marks by 1-based line
 * @param {{ id: string, label: string }} options
 */
export function sourceView(text, marks, { id, label }) {
  const lines = text.replace(/\r\n?/g, '\n').replace(/\n$/, '').split('\n');
  const width = String(lines.length).length;
  return h('figure', { class: 'source' },
    h('figcaption', { text: label }),
    h('pre', { id, tabindex: 0, 'aria-label': label },
      lines.map((line, i) => {
        const mark = marks.get(i + 1);
        return h('span', { class: `line${mark ? ` mark-${mark.kind}` : ''}`, id: `${id}-L${i + 1}`, tabindex: -1 },
          h('span', { class: 'ln', 'aria-hidden': 'true', text: String(i + 1).padStart(width) }),
          h('span', { class: 'code', text: line || ' ' }),
          mark?.tag ? h('span', { class: 'tag', text: mark.tag }) : undefined);
      })));
}

/** Scrolls a line of a {@link sourceView} into view and gives it the focus. */
export function focusLine(viewId, line) {
  const element = document.getElementById(`${viewId}-L${line}`);
  // A line inside a closed <details> cannot be shown or focused until it is open.
  element?.closest('details')?.setAttribute('open', '');
  element?.scrollIntoView({ block: 'center' });
  element?.focus({ preventScroll: true });
}

/** A link that opens a text (e.g. a FHIR document) in a new tab. */
export function textLink(text, type, label) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  return h('a', { href: url, target: '_blank', rel: 'noopener', text: label });
}

const SEVERITY_ORDER = ['fatal', 'error', 'warning', 'information'];

/**
 * The issues of an OperationOutcome as a table: severity, where (FHIRPath or XPath), what; with a
 * line column when `lines` (from `issueLines`) and the id of the source view to jump into are given.
 */
export function outcomeTable(outcome, { caption, lines, viewId } = {}) {
  const issues = (outcome?.issue ?? []).map((issue, index) => ({ issue, place: lines?.[index] }));
  issues.sort((a, b) => SEVERITY_ORDER.indexOf(a.issue.severity) - SEVERITY_ORDER.indexOf(b.issue.severity));
  const columns = [t('severityColumn'), ...(lines ? [t('lineColumn')] : []), t('whereColumn'), t('messageColumn')];
  const rows = issues.map(({ issue, place }) => [
    h('span', { class: `severity severity-${issue.severity}`, text: t(`severity_${issue.severity}`) }),
    ...(lines ? [place ? h('button', { type: 'button', class: 'link', onclick: () => focusLine(viewId, place.line), text: t(place.exact ? 'goToLine' : 'goToLineNear', { line: place.line }) }) : '–'] : []),
    h('code', { text: issue.expression?.[0] ?? issue.location?.[0] ?? '' }),
    issue.diagnostics ?? issue.details?.text ?? '',
  ]);
  return dataTable(columns, rows, { caption, rowClass: (i) => `issue-${issues[i].issue.severity}` });
}

/** The URL of a synthetic message the page offers. */
export function fixtureUrl(kind, file) {
  return `/demo/api/fixtures/${kind}/${encodeURIComponent(file)}`;
}

/** Fills a `<select>` with file names, choosing `preferred` when it is there. */
export function fillSelect(select, values, preferred, label = (v) => v) {
  show(select, values.map((v) => h('option', { value: v, text: label(v) })));
  if (values.includes(preferred)) select.value = preferred;
}

/** Today in the browser's time zone, as YYYY-MM-DD. */
export function today() {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** Runs `work` with the button disabled and the status region saying so; errors go to the region. */
export async function busy(button, statusRegion, work) {
  button.disabled = true;
  statusRegion.textContent = t('loading');
  statusRegion.classList.remove('error');
  try {
    await work();
    statusRegion.textContent = '';
  } catch (error) {
    statusRegion.textContent = describeError(error);
    statusRegion.classList.add('error');
  } finally {
    button.disabled = false;
  }
}
