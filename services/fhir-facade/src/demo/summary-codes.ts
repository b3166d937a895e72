/**
 * What the demonstration page needs to read a summary document without a copy of the library's
 * constants: the sources with their display names (a Provenance entity names its record as
 * `<display>: <id>`) and the URLs of the summary's extensions.
 */
import { SOURCE_DISPLAY, SOURCE_NAMES, SUMMARY_EXTENSION } from '@ehds-no/core';

/** The sources and extension URLs, as `GET /demo/api/config` gives them to the page. */
export interface DemoSummaryCodes {
  readonly sources: readonly { readonly name: string; readonly display: string }[];
  readonly extensions: { readonly fetchedAt: string; readonly clinicalRelevance: string; readonly sourceStatus: string; readonly note: string };
}

/** The summary's source names and extension URLs, from the library. */
export function demoSummaryCodes(): DemoSummaryCodes {
  return {
    sources: SOURCE_NAMES.map((name) => ({ name, display: SOURCE_DISPLAY[name] })),
    extensions: {
      fetchedAt: SUMMARY_EXTENSION.fetchedAt,
      clinicalRelevance: SUMMARY_EXTENSION.clinicalRelevance,
      sourceStatus: SUMMARY_EXTENSION.sourceStatus,
      note: SUMMARY_EXTENSION.note,
    },
  };
}
