/**
 * Test helper: golden files under test-data/golden. `UPDATE_GOLDEN=1 pnpm test` rewrites them; otherwise a
 * difference fails the test. Review the diff of a rewrite before committing it.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { REPO_ROOT } from './eresept-fixtures.js';

/** Compares `value` (as 2-space JSON) with `test-data/golden/<name>.json`. */
export function expectGolden(name: string, value: unknown): void {
  const file = join(REPO_ROOT, 'test-data/golden', `${name}.json`);
  const text = `${JSON.stringify(value, null, 2)}\n`;
  if (process.env.UPDATE_GOLDEN) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
    return;
  }
  if (!existsSync(file)) throw new Error(`no golden file ${file}: run UPDATE_GOLDEN=1 pnpm test and review it`);
  expect(JSON.parse(text)).toEqual(JSON.parse(readFileSync(file, 'utf8')));
}
