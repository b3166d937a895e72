/**
 * The `pnpm validate` command for EPJ vendors, as a function: arguments in, exit code and printed text
 * out. FHIR JSON (patient summaries, EU ePrescription / eDispensation Bundles, any resource) and
 * e-resept XML (M1, M10). `scripts/validate.mjs` only wires it to the process; keeping the logic here
 * lets the tests run it from the sources, without a build. Nothing is sent anywhere: validation is local.
 */
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import type { OperationOutcome, OperationOutcomeIssue } from '@medplum/fhirtypes';
import { EreseptXsdValidator } from '../eresept/xsd-validator.js';
import { validatePayload, type PayloadFormat } from './validate-payload.js';
import { FhirValidator } from './validate-fhir.js';

/** The command's usage line. */
export const VALIDATE_USAGE = 'usage: pnpm validate <file...> [--profile <canonical>] [--format text|json] [--xsd <dir>] [--strict-identities]';

/** Exit codes: no file has an error, some file has one, the command line is wrong. */
export const VALIDATE_EXIT = { ok: 0, invalid: 1, usage: 2 } as const;

/** What the command reads from its surroundings; each defaults to the real thing. */
export interface ValidateCommandIo {
  readFile?(path: string): Uint8Array;
  loadXsd?(dir: string): Promise<EreseptXsdValidator>;
  /** Where `ERESEPT_XSD_DIR` is read from (the default for `--xsd`). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Reused across calls (loading the profiles takes a second or two). */
  readonly validator?: FhirValidator;
}

/** The command's outcome: what a process would exit with and print. */
export interface ValidateCommandResult {
  readonly exitCode: (typeof VALIDATE_EXIT)[keyof typeof VALIDATE_EXIT];
  readonly stdout: string;
  readonly stderr: string;
}

/** One file's result, as `--format json` prints it. */
export interface FileOutcome {
  readonly file: string;
  readonly outcome: OperationOutcome;
}

interface CommandOptions {
  format: 'text' | 'json';
  strictIdentities: boolean;
  profile: string | undefined;
  xsd: string | undefined;
}

class UsageError extends Error {}

function parseArgs(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): { help: true } | { files: string[]; options: CommandOptions } {
  const files: string[] = [];
  const options: CommandOptions = { format: 'text', strictIdentities: false, profile: undefined, xsd: env.ERESEPT_XSD_DIR };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = () => {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new UsageError(`${arg} needs a value`);
      return v;
    };
    if (arg === '--profile') options.profile = value();
    else if (arg === '--format') {
      const format = value();
      if (format !== 'text' && format !== 'json') throw new UsageError('--format is text or json');
      options.format = format;
    } else if (arg === '--xsd') options.xsd = value();
    else if (arg === '--strict-identities') options.strictIdentities = true;
    else if (arg === '--help' || arg === '-h') return { help: true };
    else if (arg === '--') continue;
    else if (arg.startsWith('--')) throw new UsageError(`unknown option ${arg}`);
    else files.push(arg);
  }
  if (files.length === 0) throw new UsageError('no file given');
  return { files, options };
}

/** The format by file extension; undefined lets the content decide. */
function formatOf(file: string): PayloadFormat | undefined {
  const ext = extname(file).toLowerCase();
  return ext === '.xml' ? 'xml' : ext === '.json' ? 'json' : undefined;
}

const isError = (i: OperationOutcomeIssue) => i.severity === 'error' || i.severity === 'fatal';
const hasError = (r: FileOutcome) => (r.outcome.issue ?? []).some(isError);

function textReport({ file, outcome }: FileOutcome): string {
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

function unreadable(file: string, error: unknown): OperationOutcome {
  const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
  return { resourceType: 'OperationOutcome', issue: [{ severity: 'fatal', code: 'exception', location: [file], diagnostics: `cannot read the file: ${reason}` }] };
}

/**
 * Runs the validate command.
 * @param argv the arguments after the command name
 * @returns exit code 0 when no file has an error, 1 when any has, 2 on a usage error; and the text to print
 * @example
 * const r = await runValidateCommand(['summary.json', '--format', 'json']);
 * process.stdout.write(r.stdout); process.exitCode = r.exitCode;
 */
export async function runValidateCommand(argv: readonly string[], io: ValidateCommandIo = {}): Promise<ValidateCommandResult> {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs(argv, io.env ?? process.env);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    return { exitCode: VALIDATE_EXIT.usage, stdout: '', stderr: `${e.message}\n${VALIDATE_USAGE}\n` };
  }
  if ('help' in parsed) return { exitCode: VALIDATE_EXIT.ok, stdout: `${VALIDATE_USAGE}\n`, stderr: '' };
  const { files, options } = parsed;
  let xsd: EreseptXsdValidator | undefined;
  if (options.xsd) {
    try {
      xsd = await (io.loadXsd ?? ((dir: string) => EreseptXsdValidator.load(dir)))(options.xsd);
    } catch (e) {
      return { exitCode: VALIDATE_EXIT.usage, stdout: '', stderr: `--xsd: ${(e as Error).message}\n` };
    }
  }
  const validator = io.validator ?? new FhirValidator();
  const readFile = io.readFile ?? ((path: string) => readFileSync(path));
  const results: FileOutcome[] = files.map((file) => {
    let bytes: Uint8Array;
    try {
      bytes = readFile(file);
    } catch (e) {
      return { file, outcome: unreadable(file, e) };
    }
    const format = formatOf(file);
    const outcome = validatePayload(bytes, {
      validator,
      allowSyntheticIdentities: !options.strictIdentities,
      ...(format ? { format } : {}),
      ...(options.profile ? { profile: options.profile } : {}),
      ...(xsd ? { xsd } : {}),
    });
    return { file, outcome };
  });
  const failed = results.filter(hasError).length;
  const stdout = options.format === 'json'
    ? `${JSON.stringify(results, null, 2)}\n`
    : `${results.map(textReport).join('\n')}\n\n${results.length} file(s): ${results.length - failed} without errors, ${failed} with errors\n`;
  return { exitCode: failed > 0 ? VALIDATE_EXIT.invalid : VALIDATE_EXIT.ok, stdout, stderr: '' };
}
