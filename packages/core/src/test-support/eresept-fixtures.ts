/**
 * Test helpers: the synthetic e-resept fixtures in test-data/eresept, and the official XSDs as oracle.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EreseptXsdValidator } from '../eresept/xsd-validator.js';

/** Repository root. */
export const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
/** Folder of the e-resept fixtures. */
export const ERESEPT_FIXTURE_DIR = join(REPO_ROOT, 'test-data/eresept');

/** File names of the fixtures whose name starts with `prefix` (`m1-` or `m10-`). */
export function fixtureNames(prefix: 'm1-' | 'm10-'): string[] {
  return readdirSync(ERESEPT_FIXTURE_DIR).filter((f) => f.startsWith(prefix) && f.endsWith('.xml')).sort();
}

/** A fixture's text. */
export function fixture(name: string): string {
  return readFileSync(join(ERESEPT_FIXTURE_DIR, name), 'utf8');
}

/**
 * The official XSD folder: `ERESEPT_XSD_DIR`, or `shared/specs/xsd` beside the repository (as CI has it).
 * Not copied into the project.
 */
export const XSD_DIR = process.env.ERESEPT_XSD_DIR ?? join(REPO_ROOT, '../shared/specs/xsd');

/** True when the official XSDs are available. On CI they must be: a missing folder fails there. */
export function xsdAvailable(): boolean {
  if (existsSync(XSD_DIR)) return true;
  if (process.env.CI) throw new Error(`the official XSDs are required on CI; not found at ${XSD_DIR}`);
  return false;
}

let validator: Promise<EreseptXsdValidator> | undefined;

/** The XSD validator, compiled once per test file. */
export function xsdValidator(): Promise<EreseptXsdValidator> {
  validator ??= EreseptXsdValidator.load(XSD_DIR);
  return validator;
}
