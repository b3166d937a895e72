import { join } from 'node:path';
import { REPO_ROOT, XSD_DIR, xsdAvailable } from '../test-support/eresept-fixtures.js';
import { FhirValidator } from './validate-fhir.js';
import { runValidateCommand, VALIDATE_EXIT, VALIDATE_USAGE, type FileOutcome } from './validate-command.js';

const CORPUS = join(REPO_ROOT, 'test-data/validation');
const VALID_SUMMARY = join(CORPUS, 'valid/summary-explanted-device-completed-en.json');
const MISSING_SECTION = join(CORPUS, 'invalid/summary-missing-section-devices.json');
const VALID_M1 = join(REPO_ROOT, 'test-data/eresept/m1-pakning-dosering.xml');
const M1_WITHOUT_DATE = join(CORPUS, 'invalid/m1-no-forskrivningsdato.xml');
const NO_PS_BUNDLE = 'https://ehds-no.github.io/fhir/StructureDefinition/no-ps-bundle';

// One validator for the whole file: loading the profiles takes a second or two.
const validator = new FhirValidator();
const run = (...argv: string[]) => runValidateCommand(argv, { validator, env: {} });

describe('pnpm validate (runValidateCommand)', () => {
  it('passes a valid summary: exit 0 and a check mark', async () => {
    const r = await run(VALID_SUMMARY);
    expect(r.exitCode).toBe(VALIDATE_EXIT.ok);
    expect(r.stdout).toContain(`✔ ${VALID_SUMMARY}: 0 error(s), 0 warning(s)`);
    expect(r.stdout).toContain('1 file(s): 1 without errors, 0 with errors');
    expect(r.stderr).toBe('');
  });

  it('fails a summary with a missing section: exit 1, the error and where it is', async () => {
    const r = await run(MISSING_SECTION);
    expect(r.exitCode).toBe(VALIDATE_EXIT.invalid);
    expect(r.stdout).toContain(`✖ ${MISSING_SECTION}`);
    expect(r.stdout).toContain('Bundle.entry[0].resource.section');
  });

  it('reports every file of a mixed run, and fails when any file fails', async () => {
    const r = await run(VALID_SUMMARY, MISSING_SECTION);
    expect(r.exitCode).toBe(VALIDATE_EXIT.invalid);
    expect(r.stdout).toContain('2 file(s): 1 without errors, 1 with errors');
  });

  it('prints one JSON array of { file, outcome } with --format json', async () => {
    const r = await run('--format', 'json', VALID_SUMMARY, MISSING_SECTION);
    const results = JSON.parse(r.stdout) as FileOutcome[];
    expect(results.map((x) => x.file)).toEqual([VALID_SUMMARY, MISSING_SECTION]);
    expect(results.every((x) => x.outcome.resourceType === 'OperationOutcome')).toBe(true);
    expect(results[1]!.outcome.issue?.some((i) => i.severity === 'error' && i.expression?.includes('Bundle.entry[0].resource.section'))).toBe(true);
  });

  it('validates against a named profile with --profile', async () => {
    const r = await run('--profile', NO_PS_BUNDLE, '--format', 'json', VALID_SUMMARY);
    expect(r.exitCode).toBe(VALIDATE_EXIT.ok);
    const unknown = await run('--profile', 'https://example.org/StructureDefinition/nope', VALID_SUMMARY);
    expect(unknown.exitCode).toBe(VALIDATE_EXIT.invalid);
    expect(unknown.stdout).toContain('nope');
  });

  it('reads e-resept XML: a valid M1 passes, a defect is reported at its XPath', async () => {
    expect((await run(VALID_M1)).exitCode).toBe(VALIDATE_EXIT.ok);
    const r = await run(M1_WITHOUT_DATE);
    expect(r.exitCode).toBe(VALIDATE_EXIT.invalid);
    expect(r.stdout).toContain('/mh:MsgHead/mh:Document[1]/mh:RefDoc/mh:Content/m1:Resept/m1:Forskrivningsdato');
  });

  it('refuses synthetic person numbers with --strict-identities', async () => {
    const r = await run('--strict-identities', VALID_M1);
    expect(r.exitCode).toBe(VALIDATE_EXIT.invalid);
  });

  it('reports a file it cannot read as a fatal issue naming the file, not a crash', async () => {
    const missing = join(CORPUS, 'does-not-exist.json');
    const r = await run('--format', 'json', missing);
    expect(r.exitCode).toBe(VALIDATE_EXIT.invalid);
    const [result] = JSON.parse(r.stdout) as FileOutcome[];
    expect(result!.outcome.issue?.[0]).toMatchObject({ severity: 'fatal', location: [missing], diagnostics: 'cannot read the file: ENOENT' });
  });

  it('reports malformed JSON with its line and column', async () => {
    const r = await runValidateCommand(['broken.json'], { validator, env: {}, readFile: () => Buffer.from('{\n  "resourceType": "Bundle",\n  oops\n}') });
    expect(r.exitCode).toBe(VALIDATE_EXIT.invalid);
    expect(r.stdout).toMatch(/line 3/);
  });

  it.each([
    [[], 'no file given'],
    [['--format', 'yaml', 'x.json'], '--format is text or json'],
    [['--profile'], '--profile needs a value'],
    [['--bogus', 'x.json'], 'unknown option --bogus'],
  ])('exits 2 with the usage on a wrong command line: %j', async (argv, message) => {
    const r = await run(...argv);
    expect(r.exitCode).toBe(VALIDATE_EXIT.usage);
    expect(r.stderr).toBe(`${message}\n${VALIDATE_USAGE}\n`);
    expect(r.stdout).toBe('');
  });

  it('prints the usage with --help', async () => {
    expect(await run('--help')).toEqual({ exitCode: VALIDATE_EXIT.ok, stdout: `${VALIDATE_USAGE}\n`, stderr: '' });
  });

  it('exits 2 when --xsd names a folder without the e-resept schemas', async () => {
    const r = await run('--xsd', join(REPO_ROOT, 'docs'), VALID_M1);
    expect(r.exitCode).toBe(VALIDATE_EXIT.usage);
    expect(r.stderr).toMatch(/^--xsd: .*has no /);
  });

  it('takes the XSD folder from ERESEPT_XSD_DIR when --xsd is not given', async () => {
    let asked: string | undefined;
    const r = await runValidateCommand([VALID_M1], {
      validator,
      env: { ERESEPT_XSD_DIR: '/schemas' },
      loadXsd: (dir) => {
        asked = dir;
        return Promise.reject(new Error('not here'));
      },
    });
    expect(asked).toBe('/schemas');
    expect(r).toEqual({ exitCode: VALIDATE_EXIT.usage, stdout: '', stderr: '--xsd: not here\n' });
  });

  (xsdAvailable() ? it : it.skip)('checks XML against the official XSDs with --xsd', async () => {
    expect((await run('--xsd', XSD_DIR, VALID_M1)).exitCode).toBe(VALIDATE_EXIT.ok);
    expect((await run('--xsd', XSD_DIR, M1_WITHOUT_DATE)).exitCode).toBe(VALIDATE_EXIT.invalid);
  });
});
