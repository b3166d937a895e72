#!/usr/bin/env node
/**
 * The validator for EPJ vendors, on the command line: FHIR JSON (patient summaries, EU ePrescription /
 * eDispensation Bundles, any resource) and e-resept XML (M1, M10).
 *
 *   pnpm validate <file...> [--profile <canonical>] [--format text|json] [--xsd <dir>] [--strict-identities]
 *
 *   --profile            also validate against this profile (e.g. https://ehds-no.github.io/fhir/StructureDefinition/no-ps-bundle)
 *   --format json        print one JSON array of { file, outcome } (OperationOutcome) instead of text
 *   --xsd <dir>          the official e-resept XSDs for XML files (default: ERESEPT_XSD_DIR when set)
 *   --strict-identities  refuse synthetic test person numbers (month + 80); by default they are accepted,
 *                        since test payloads should carry synthetic identities only
 *
 * Exit code 0 when no file has an error, 1 when any has, 2 on a usage error. Runs the built library
 * (`pnpm validate` builds packages/core first). Nothing is sent anywhere: validation is local.
 */
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';

const USAGE = 'usage: pnpm validate <file...> [--profile <canonical>] [--format text|json] [--xsd <dir>] [--strict-identities]';

/** The command line as options and files. */
function parseArgs(argv) {
  const files = [];
  const options = { format: 'text', strictIdentities: false, profile: undefined, xsd: process.env.ERESEPT_XSD_DIR };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new Error(`${arg} needs a value`);
      return v;
    };
    if (arg === '--profile') options.profile = value();
    else if (arg === '--format') options.format = value();
    else if (arg === '--xsd') options.xsd = value();
    else if (arg === '--strict-identities') options.strictIdentities = true;
    else if (arg === '--help' || arg === '-h') return { help: true };
    else if (arg === '--') continue;
    else if (arg.startsWith('--')) throw new Error(`unknown option ${arg}`);
    else files.push(arg);
  }
  if (!['text', 'json'].includes(options.format)) throw new Error('--format is text or json');
  if (files.length === 0) throw new Error('no file given');
  return { files, options };
}

function formatOf(file) {
  const ext = extname(file).toLowerCase();
  return ext === '.xml' ? 'xml' : ext === '.json' ? 'json' : undefined;
}

const isError = (i) => i.severity === 'error' || i.severity === 'fatal';

function textReport(file, outcome) {
  const issues = outcome.issue ?? [];
  const errors = issues.filter(isError).length;
  const warnings = issues.filter((i) => i.severity === 'warning').length;
  const lines = [`${errors > 0 ? '✖' : '✔'} ${file}: ${errors} error(s), ${warnings} warning(s)`];
  for (const i of issues) {
    if (i.severity === 'information' && i.diagnostics?.startsWith('No issues found')) continue;
    lines.push(`  ${i.severity.padEnd(11)} ${i.expression?.[0] ?? i.location?.[0] ?? ''}\n              ${i.diagnostics ?? ''}`);
  }
  return lines.join('\n');
}

async function main() {
  let parsed;
  try {
    parsed = parseArgs(process.argv.slice(2));
  } catch (e) {
    console.error(`${e.message}\n${USAGE}`);
    return 2;
  }
  if (parsed.help) {
    console.log(USAGE);
    return 0;
  }
  const { files, options } = parsed;
  const { EreseptXsdValidator, FhirValidator, validatePayload } = await import('../packages/core/dist/index.js');
  let xsd;
  if (options.xsd) {
    try {
      xsd = await EreseptXsdValidator.load(options.xsd);
    } catch (e) {
      console.error(`--xsd: ${e.message}`);
      return 2;
    }
  }
  const validator = new FhirValidator();
  const results = [];
  for (const file of files) {
    let outcome;
    try {
      const bytes = readFileSync(file);
      const format = formatOf(file);
      outcome = validatePayload(bytes, {
        validator,
        allowSyntheticIdentities: !options.strictIdentities,
        ...(format ? { format } : {}),
        ...(options.profile ? { profile: options.profile } : {}),
        ...(xsd ? { xsd } : {}),
      });
    } catch (e) {
      outcome = { resourceType: 'OperationOutcome', issue: [{ severity: 'fatal', code: 'exception', location: [file], diagnostics: `cannot read the file: ${e.code ?? e.message}` }] };
    }
    results.push({ file, outcome });
  }
  if (options.format === 'json') console.log(JSON.stringify(results, null, 2));
  else {
    for (const r of results) console.log(textReport(r.file, r.outcome));
    const failed = results.filter((r) => (r.outcome.issue ?? []).some(isError)).length;
    console.log(`\n${results.length} file(s): ${results.length - failed} without errors, ${failed} with errors`);
  }
  return results.some((r) => (r.outcome.issue ?? []).some(isError)) ? 1 : 0;
}

process.exitCode = await main();
