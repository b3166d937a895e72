/**
 * The synthetic messages the demonstration page offers (development mode only): the Norwegian M1s of
 * `test-data/eresept/` and the EU ePrescriptions of `test-data/eu/`, listed by file name and served as
 * they are, so that the page sends the very bytes the tests and the README use.
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** `test-data/` of this repository (the same depth from `src/demo/` and `dist/demo/`). */
const TEST_DATA_ROOT = fileURLToPath(new URL('../../../../test-data/', import.meta.url));

/** The fixture kinds the page can load: folder, file-name pattern and media type. */
export const DEMO_FIXTURE_KINDS = {
  /** Norwegian prescriptions (M1). */
  m1: { dir: `${TEST_DATA_ROOT}eresept`, pattern: /^m1-[a-z0-9-]+\.xml$/, type: 'application/xml' },
  /** EU ePrescriptions brought to a Norwegian pharmacy. */
  'eu-prescription': { dir: `${TEST_DATA_ROOT}eu`, pattern: /^ep-[a-z0-9-]+\.json$/, type: 'application/fhir+json' },
} as const;

/** A fixture kind. */
export type DemoFixtureKind = keyof typeof DEMO_FIXTURE_KINDS;

/** True when `kind` names a fixture kind. */
export function isDemoFixtureKind(kind: string): kind is DemoFixtureKind {
  return Object.hasOwn(DEMO_FIXTURE_KINDS, kind);
}

/** The file names of one kind, sorted. */
export function listDemoFixtures(kind: DemoFixtureKind): string[] {
  const { dir, pattern } = DEMO_FIXTURE_KINDS[kind];
  return readdirSync(dir).filter((f) => pattern.test(f)).sort();
}

/**
 * The path of a listed fixture, or undefined: only names that the listing holds are served, so no path
 * from a request reaches the file system.
 */
export function demoFixturePath(kind: DemoFixtureKind, file: string): string | undefined {
  return listDemoFixtures(kind).includes(file) ? `${DEMO_FIXTURE_KINDS[kind].dir}/${file}` : undefined;
}
