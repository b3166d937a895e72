/**
 * The summary's narrative in the reader's language (`nb` for Norwegian clinicians, `en` for EU export):
 * each section's table (marked entries first and flagged), the section notes for sources whose data is
 * stale or unavailable, and the empty states spelled out. Rendered when a stored summary is read, so one
 * stored version serves both languages.
 */
import type { Annotation, Bundle, Composition, CompositionSection, Extension, Resource } from '@medplum/fhirtypes';
import { escapeHtml } from '../conversion/eu-prescription-html.js';
import { SUMMARY_EXTENSION } from './summary-codes.js';
import { sectionByCode } from './sections/index.js';
import type { Localized, SectionDefinition, SummaryLanguage } from './summary-model.js';
import { markOf } from './relevance-marks.js';
import { SOURCE_DISPLAY, SOURCE_NAMES, type SourceName } from './sources/source-data.js';

const TEXT = {
  documentTitle: { nb: 'Pasientoppsummering', en: 'Patient Summary' },
  none: { nb: 'Ingen registrert i {sources}.', en: 'None registered in {sources}.' },
  unavailable: { nb: 'Opplysninger fra {sources} kunne ikke hentes, og ingen tidligere hentede data finnes.', en: 'Information from {sources} could not be retrieved, and no earlier data is available.' },
  stale: { nb: '{source} kunne ikke nås: viser data hentet {time}.', en: '{source} could not be reached: showing data fetched {time}.' },
  unavailableNote: { nb: '{source} kunne ikke nås, og ingen tidligere data finnes: seksjonen kan være ufullstendig.', en: '{source} could not be reached and no earlier data exists: the section may be incomplete.' },
  marked: { nb: 'Markert som mest relevant', en: 'Marked as most relevant' },
  and: { nb: 'og', en: 'and' },
  by: { nb: 'av', en: 'by' },
} satisfies Record<string, Localized>;

function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (_, k: string) => values[k] ?? '');
}

function list(items: readonly string[], language: SummaryLanguage): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${TEXT.and[language]} ${items[items.length - 1]}`;
}

interface SourceState {
  readonly source: SourceName;
  readonly status: string;
  readonly dataTime?: string;
}

function sourceStates(section: CompositionSection): SourceState[] {
  return (section.extension ?? [])
    .filter((e) => e.url === SUMMARY_EXTENSION.sourceStatus)
    .map((e) => {
      const part = (url: string) => e.extension?.find((x) => x.url === url);
      const source = part('source')?.valueCode as SourceName;
      const dataTime = part('dataTime')?.valueInstant;
      return { source, status: part('status')?.valueCode ?? '', ...(dataTime ? { dataTime } : {}) };
    })
    .filter((s) => (SOURCE_NAMES as readonly string[]).includes(s.source));
}

/** Section notes (EPS section-note) for sources that are stale or unavailable. */
function notes(states: readonly SourceState[], language: SummaryLanguage): Annotation[] {
  const out: Annotation[] = [];
  for (const s of states) {
    const source = SOURCE_DISPLAY[s.source];
    if (s.status === 'stale' && s.dataTime) out.push({ time: s.dataTime, text: fill(TEXT.stale[language], { source, time: s.dataTime.slice(0, 16).replace('T', ' ') }) });
    if (s.status === 'unavailable') out.push({ text: fill(TEXT.unavailableNote[language], { source }) });
  }
  return out;
}

function div(inner: string): string {
  return `<div xmlns="http://www.w3.org/1999/xhtml">${inner}</div>`;
}

function table(def: SectionDefinition, section: CompositionSection, lookup: (ref: string | undefined) => Resource | undefined, language: SummaryLanguage): string {
  const head = def.columns[language].map((c) => `<th>${escapeHtml(c)}</th>`).join('');
  const rows = (section.entry ?? []).map((ref) => {
    const resource = lookup(ref.reference);
    if (!resource) return '';
    const cells = def.row(resource, lookup, language).map((c) => `<td>${escapeHtml(c)}</td>`);
    const mark = markOf(resource);
    if (mark) {
      const who = mark.by ? ` ${TEXT.by[language]} ${mark.by}` : '';
      cells[0] = `<td><b>★ ${escapeHtml(def.row(resource, lookup, language)[0] ?? '')}</b> <i>(${escapeHtml(`${TEXT.marked[language]}${who}, ${(mark.at ?? '').slice(0, 10)}`)})</i></td>`;
    }
    return `<tr>${cells.join('')}</tr>`;
  });
  return `<table><thead><tr>${head}</tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function sectionNarrative(def: SectionDefinition, section: CompositionSection, lookup: (ref: string | undefined) => Resource | undefined, language: SummaryLanguage): { text: string; notes: Annotation[] } {
  const states = sourceStates(section);
  const sectionNotes = notes(states, language);
  const names = (pick: (s: SourceState) => boolean) => list(states.filter(pick).map((s) => SOURCE_DISPLAY[s.source]), language);
  let body: string;
  if (section.entry?.length) body = table(def, section, lookup, language);
  else if (section.emptyReason?.coding?.[0]?.code === 'unavailable') body = `<p>${escapeHtml(fill(TEXT.unavailable[language], { sources: names((s) => s.status === 'unavailable') }))}</p>`;
  else body = `<p>${escapeHtml(fill(TEXT.none[language], { sources: names(() => true) }))}</p>`;
  const noteHtml = sectionNotes.map((n) => `<p><i>${escapeHtml(n.text)}</i></p>`).join('');
  return { text: div(body + noteHtml), notes: sectionNotes };
}

/**
 * A copy of a stored summary with its narrative in the language: Composition and section text, section
 * titles, and section notes for stale or unavailable sources.
 * @example renderSummary(stored.bundle, 'en')
 */
export function renderSummary(bundle: Bundle, language: SummaryLanguage): Bundle {
  const [first, ...rest] = bundle.entry ?? [];
  if (first?.resource?.resourceType !== 'Composition') return bundle;
  // Only the Composition's own fields and its sections' title, text and notes change: everything else is
  // shared with the stored document, not copied.
  const composition: Composition = { ...first.resource, section: (first.resource.section ?? []).map((s) => ({ ...s })) };
  const copy: Bundle = { ...bundle, entry: [{ ...first, resource: composition }, ...rest] };
  const byUrl = new Map((copy.entry ?? []).map((e) => [e.fullUrl, e.resource]));
  const lookup = (ref: string | undefined) => (ref ? byUrl.get(ref) : undefined);
  const parts: string[] = [];
  for (const section of composition.section ?? []) {
    const def = sectionByCode(section.code?.coding?.[0]?.code);
    if (!def) continue;
    const { text, notes: sectionNotes } = sectionNarrative(def, section, lookup, language);
    section.title = def.title[language];
    section.text = { status: 'generated', div: text };
    const kept: Extension[] = (section.extension ?? []).filter((e) => e.url !== SUMMARY_EXTENSION.note);
    section.extension = [...kept, ...sectionNotes.map((n) => ({ url: SUMMARY_EXTENSION.note, valueAnnotation: n }))];
    parts.push(`<h3>${escapeHtml(section.title)}</h3>${text}`);
  }
  composition.language = language;
  composition.title = TEXT.documentTitle[language];
  composition.text = { status: 'generated', div: div(`<h2>${escapeHtml(composition.title)}</h2>${parts.join('')}`) };
  return copy;
}
