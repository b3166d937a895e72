#!/usr/bin/env node
/**
 * Writes the committed test patients to test-data/patients/ (the named scenarios of
 * scripts/patients/scenarios.ts and the generated ones, seed GENERATED_SEED), or with `--check` only
 * compares and exits 1 when a file is missing, differs or is extra. Idempotent.
 *
 *   node scripts/patients/write-test-patients.mjs           # write
 *   node scripts/patients/write-test-patients.mjs --check   # compare only
 *
 * Runs the TypeScript sources through ts-loader.mjs (no build needed).
 */
import { register } from 'node:module';

register('./ts-loader.mjs', import.meta.url);
const { differences, writeTestPatients, GENERATED_COUNT, GENERATED_SEED } = await import('./test-patients.ts');
const { PATIENTS_ROOT } = await import('../../packages/core/src/summary/sources/patient-folders.ts');

if (process.argv.includes('--check')) {
  const diff = differences(PATIENTS_ROOT);
  if (diff.length > 0) {
    console.error(`test-data/patients differs from what the generator writes (${diff.length}):\n  ${diff.join('\n  ')}`);
    console.error('run: node scripts/patients/write-test-patients.mjs');
    process.exit(1);
  }
  console.log('test-data/patients is up to date');
} else {
  const n = writeTestPatients(PATIENTS_ROOT);
  console.log(`wrote ${n} files to ${PATIENTS_ROOT} (named scenarios + ${GENERATED_COUNT} generated, seed ${GENERATED_SEED})`);
}
