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
 * Exit code 0 when no file has an error, 1 when any has, 2 on a usage error. The command itself is
 * `runValidateCommand` in packages/core (tested there); this runs the built library (`pnpm validate`
 * builds packages/core first). Nothing is sent anywhere: validation is local.
 */
const { runValidateCommand } = await import('../packages/core/dist/index.js');
const result = await runValidateCommand(process.argv.slice(2));
process.stdout.write(result.stdout);
process.stderr.write(result.stderr);
process.exitCode = result.exitCode;
