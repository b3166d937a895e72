/**
 * Validation throughput, side by side in one run with its peer: full validation (FhirValidator: Medplum
 * per entry against its profile, required bindings, slices, Bundle invariants, references, person numbers)
 * of a 30-entry national patient summary, and bare Medplum `validateResource` (base R4 only) on the same
 * Bundle. Goal: full ≤ 1.5× bare Medplum. Run: `pnpm bench:validate`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Bench } from 'tinybench';
import { FhirValidator, loadPatientFolders, assembleSummary, renderSummary, SOURCE_NAMES } from '../packages/core/dist/index.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const NOW = new Date('2026-11-20T10:00:00Z');
const ENTRIES = 30;

/** The same @medplum/core module instance the library uses (its ESM build, resolved from packages/core). */
async function medplumCore() {
  const require = createRequire(join(root, 'packages/core/package.json'));
  // The package exports no package.json: find its folder from the CommonJS entry, then take the ESM one.
  const named = (d) => existsSync(join(d, 'package.json')) && JSON.parse(readFileSync(join(d, 'package.json'), 'utf8')).name === '@medplum/core';
  let dir = dirname(require.resolve('@medplum/core'));
  while (!named(dir)) dir = dirname(dir);
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  return import(pathToFileURL(join(dir, pkg.exports.import.default)).href);
}

/** The test patient whose summary is closest above 30 entries, trimmed to 30 by dropping trailing Provenance entries. */
function summaryOf30() {
  const built = loadPatientFolders().map((p) => {
    const outcomes = Object.fromEntries(SOURCE_NAMES.map((s) => [s, { status: 'fresh', snapshot: { source: s, fetchedAt: NOW.toISOString(), data: p.data[s] } }]));
    return { slug: p.slug, bundle: renderSummary(assembleSummary({ patient: { id: '3f0b7a52-1c1e-4c1b-9a49-6f1d2b0c7e10', key: p.key }, outcomes, now: NOW, allowSyntheticIdentities: true }).bundle, 'nb') };
  });
  const pick = built.filter((b) => b.bundle.entry.length >= ENTRIES).sort((a, b) => a.bundle.entry.length - b.bundle.entry.length)[0];
  const bundle = structuredClone(pick.bundle);
  while (bundle.entry.length > ENTRIES && bundle.entry.at(-1).resource.resourceType === 'Provenance') bundle.entry.pop();
  return { slug: pick.slug, bundle };
}

const { validateResource, OperationOutcomeError } = await medplumCore();
const { slug, bundle } = summaryOf30();
const counts = {};
for (const e of bundle.entry) counts[e.resource.resourceType] = (counts[e.resource.resourceType] ?? 0) + 1;

const coldStart = performance.now();
const validator = new FhirValidator();
const first = validator.validate(bundle, { allowSyntheticIdentities: true });
const coldMs = performance.now() - coldStart;
const problems = first.issue.filter((i) => i.severity !== 'information');
if (problems.length > 0) throw new Error(`the bench document must be valid: ${JSON.stringify(problems.slice(0, 3))}`);

/** Bare Medplum: base R4, warnings returned, errors thrown (the peer's own contract). */
function bare() {
  try {
    return validateResource(bundle).length;
  } catch (e) {
    if (e instanceof OperationOutcomeError) return e.outcome.issue.length;
    throw e;
  }
}
const bareIssues = bare();

const bench = new Bench({ time: 4000, warmupTime: 500 });
bench
  .add('peer: bare Medplum validateResource (base R4)', () => { bare(); })
  .add('full: FhirValidator.validate (profiles, bindings, slices, invariants, references)', () => { validator.validate(bundle, { allowSyntheticIdentities: true }); });
await bench.run();

const rows = bench.tasks.map((t) => ({
  task: t.name,
  'per s': Math.round(1e6 / (t.result.latency.mean * 1000)),
  'mean µs': Math.round(t.result.latency.mean * 1000),
  'p50 µs': Math.round(t.result.latency.p50 * 1000),
  'p99 µs': Math.round(t.result.latency.p99 * 1000),
}));
console.log(`node ${process.version}; summary of test patient ${slug}, ${bundle.entry.length} entries (${Object.entries(counts).map(([k, v]) => `${v} ${k}`).join(', ')}), ${(JSON.stringify(bundle).length / 1024).toFixed(1)} KiB`);
console.log(`full validation: 0 issues; bare Medplum: ${bareIssues} issue(s) (its "Invalid reference" warnings for urn:uuid references); first full validation incl. loading profiles and ValueSets: ${coldMs.toFixed(0)} ms`);
console.table(rows);
// The median ratio too: on a shared machine a few slow iterations move the means a lot.
console.log(`full / bare Medplum time ratio: ${(rows[1]['mean µs'] / rows[0]['mean µs']).toFixed(2)}× by mean, ${(rows[1]['p50 µs'] / rows[0]['p50 µs']).toFixed(2)}× by median (goal ≤ 1.5×)`);
