/**
 * The committed test patients: the named scenarios plus a seeded run of the generator, and how their
 * folders are written and checked. Used by write-test-patients.mjs and by the Jest test that fails when
 * the committed folders differ from what this module would write.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { buildPatient, generatePatients } from '../../packages/core/src/test-support/patient-generator.js';
import { PATIENTS_ROOT, patientFolderFiles } from '../../packages/core/src/summary/sources/patient-folders.js';
import type { PatientSourceData } from '../../packages/core/src/summary/sources/source-data.js';
import { SCENARIOS } from './scenarios.js';

/** The seed of the generated patients in test-data/patients. */
export const GENERATED_SEED = 20261101;
/** How many generated patients are committed beside the named scenarios. */
export const GENERATED_COUNT = 24;

/** Every committed patient: the named scenarios first, then the generated ones. */
export function committedPatients(): PatientSourceData[] {
  return [...SCENARIOS.map((s) => buildPatient(s)), ...generatePatients({ seed: GENERATED_SEED, count: GENERATED_COUNT })];
}

/** Every file under the root, by path relative to it (`/` separated), as the patients should be written. */
export function expectedFiles(patients: readonly PatientSourceData[] = committedPatients()): Map<string, string> {
  const files = new Map<string, string>();
  for (const p of patients) {
    for (const [name, content] of patientFolderFiles(p)) files.set(`${p.slug}/${name}`, content);
  }
  return files;
}

function filesOnDisk(root: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (dir: string, prefix: string) => {
    for (const name of readdirSync(dir).sort()) {
      if (name.startsWith('.')) continue;
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path, `${prefix}${name}/`);
      else if (prefix !== '') files.set(`${prefix}${name}`, readFileSync(path, 'utf8'));
    }
  };
  if (existsSync(root)) walk(root, '');
  return files;
}

/** How the folders under `root` differ from the expected ones: one line per missing, changed or extra file. */
export function differences(root: string = PATIENTS_ROOT, expected: Map<string, string> = expectedFiles()): string[] {
  const actual = filesOnDisk(root);
  const out: string[] = [];
  for (const [path, content] of expected) {
    const found = actual.get(path);
    if (found === undefined) out.push(`missing: ${path}`);
    else if (found !== content) out.push(`differs: ${path}`);
  }
  for (const path of actual.keys()) if (!expected.has(path)) out.push(`extra: ${path}`);
  return out;
}

/**
 * Writes every patient folder under `root`, replacing what was there (top-level files such as README.md
 * are kept). Idempotent.
 * @returns the number of files written
 */
export function writeTestPatients(root: string = PATIENTS_ROOT, expected: Map<string, string> = expectedFiles()): number {
  mkdirSync(root, { recursive: true });
  for (const name of readdirSync(root)) {
    const path = join(root, name);
    if (!name.startsWith('.') && statSync(path).isDirectory()) rmSync(path, { recursive: true });
  }
  for (const [path, content] of expected) {
    const file = join(root, path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
  return expected.size;
}
