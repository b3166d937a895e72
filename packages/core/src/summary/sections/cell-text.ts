/**
 * Plain-text cell values for the section narratives: a concept's best text, a date, a localized status.
 * Kept apart from the HTML so the sections stay free of markup.
 */
import type { CodeableConcept, Extension } from '@medplum/fhirtypes';
import { SUMMARY_EXTENSION } from '../summary-codes.js';
import type { Localized, SummaryLanguage } from '../summary-model.js';

/** Text for a concept: its `text`, else the first display, else `system code`. */
export function conceptText(concept: CodeableConcept | undefined): string {
  if (!concept) return '';
  if (concept.text) return concept.text;
  const c = concept.coding?.find((x) => x.display) ?? concept.coding?.[0];
  return c ? (c.display ?? `${c.code ?? ''}`) : '';
}

/** The first code of a concept (for status-like concepts with one coding). */
export function firstCode(concept: CodeableConcept | undefined): string | undefined {
  return concept?.coding?.[0]?.code;
}

/** A date or dateTime as `YYYY-MM-DD` (the narrative shows days, never times). */
export function dateText(value: string | undefined): string {
  return value ? value.slice(0, 10) : '';
}

/** A code looked up in a table of localized labels; the code itself when the table has none. */
export function label(table: Readonly<Record<string, Localized>>, code: string | undefined, language: SummaryLanguage): string {
  if (!code) return '';
  return table[code]?.[language] ?? code;
}

/** True when an element carries the project's "derived value" extension. */
export function isDerived(element: { extension?: Extension[] } | undefined): boolean {
  return (element?.extension ?? []).some((e) => e.url === SUMMARY_EXTENSION.derived);
}
