/**
 * Checks what NPR or KPR answered against the register-record shape (register-record.schema.json) and
 * the rules a JSON schema cannot say. Used by the source adapters and the simulator's file loader: a
 * body that fails is a source failure, never data for the summary.
 *
 * Code-system rule (documented in the schema too): NPR records carry ICD-10 (7110) diagnoses only;
 * KPR records carry ICPC-2 (7170) and may also carry ICD-10, because some municipal services (e.g. the
 * municipal acute bed units, KAD) report ICD-10 to KPR. Procedures may be NCSP-N 7210, NCMP 7220,
 * NCRP 7270 or the combined NKPK 7275 in either register.
 */
import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject, type SchemaObject } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { RegisterData } from './source-data.js';

/**
 * The register-record JSON schema, read from the package's source folder: the same path from `src/` and
 * from `dist/` (as `profiles/` is found), so the build needs no JSON copying.
 */
export const REGISTER_RECORD_SCHEMA_FILE = new URL('../../../src/summary/sources/register-record.schema.json', import.meta.url);

/** One problem in register data: a JSON Pointer into the body (`''` is the body itself) and what is wrong. */
export interface RegisterDataIssue {
  readonly path: string;
  readonly message: string;
}

/** The result of {@link validateRegisterData}. */
export type RegisterDataValidation =
  | { readonly ok: true; readonly data: RegisterData }
  | { readonly ok: false; readonly issues: RegisterDataIssue[] };

// ajv-formats is CommonJS: under NodeNext its default import is the module object on some toolchains.
type FormatsPlugin = (ajv: Ajv) => Ajv;
const addFormats: FormatsPlugin =
  (addFormatsModule as unknown as { default?: FormatsPlugin }).default ?? (addFormatsModule as unknown as FormatsPlugin);

const ajv = new Ajv({ allErrors: true, strict: true, verbose: true });
addFormats(ajv);
const checkSchema = ajv.compile<RegisterData>(JSON.parse(readFileSync(REGISTER_RECORD_SCHEMA_FILE, 'utf8')) as SchemaObject);

const FORMAT_TEXT: Readonly<Record<string, string>> = {
  date: 'a date (YYYY-MM-DD)',
  'date-time': 'a date-time (YYYY-MM-DDThh:mm:ss with zone)',
};

/** The JSON Pointer of a record's person number (register-record.schema.json, `patient.value`). */
const PERSON_NUMBER_PATH = /^\/records\/\d+\/patient\/value$/;

function childPath(parent: string, child: string): string {
  return `${parent}/${child.replace(/~/g, '~0').replace(/\//g, '~1')}`;
}

/** One readable issue per ajv error; `if` and the `anyOf` branches are folded into their parent error. */
function issuesOf(errors: readonly ErrorObject[]): RegisterDataIssue[] {
  const anyOfPaths = new Set(errors.filter((e) => e.keyword === 'anyOf').map((e) => e.instancePath));
  const out: RegisterDataIssue[] = [];
  for (const e of errors) {
    if (e.keyword === 'if') continue;
    if (anyOfPaths.has(e.instancePath) && e.keyword !== 'anyOf' && e.schemaPath.includes('/anyOf/')) continue;
    const p = e.params as Record<string, unknown>;
    switch (e.keyword) {
      case 'required':
        out.push({ path: childPath(e.instancePath, String(p.missingProperty)), message: 'is required' });
        break;
      case 'additionalProperties':
        out.push({ path: childPath(e.instancePath, String(p.additionalProperty)), message: 'is not part of the register-record shape' });
        break;
      case 'enum':
        out.push({ path: e.instancePath, message: `must be one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}` });
        break;
      case 'const':
        out.push({ path: e.instancePath, message: `must be ${JSON.stringify(p.allowedValue)}${e.parentSchema?.description ? ` (${String(e.parentSchema.description)})` : ''}` });
        break;
      case 'format':
        out.push({ path: e.instancePath, message: `must be ${FORMAT_TEXT[String(p.format)] ?? String(p.format)}` });
        break;
      case 'anyOf':
        out.push({ path: e.instancePath, message: 'must be a date (YYYY-MM-DD) or a date-time' });
        break;
      case 'pattern': {
        // A person number is never repeated in a message: issues reach logs and HTTP answers.
        const value = PERSON_NUMBER_PATH.test(e.instancePath) ? 'the person number' : `"${String(e.data).slice(0, 40)}"`;
        out.push({ path: e.instancePath, message: `${value} does not match ${e.parentSchema?.description ? String(e.parentSchema.description) : `the pattern ${String(p.pattern)}`}` });
        break;
      }
      default:
        out.push({ path: e.instancePath, message: e.message ?? `fails ${e.keyword}` });
    }
  }
  return out;
}

/** The rules beyond the schema: end not before start, at most one main diagnosis, unique episode ids. */
function ruleIssues(data: RegisterData): RegisterDataIssue[] {
  const out: RegisterDataIssue[] = [];
  const seen = new Map<string, number>();
  data.records.forEach((r, i) => {
    const at = `/records/${i}`;
    if (r.end !== undefined && r.end < r.start) out.push({ path: `${at}/end`, message: `the episode ends (${r.end}) before it starts (${r.start})` });
    const primaries = r.diagnoses.filter((d) => d.primary === true).length;
    if (primaries > 1) out.push({ path: `${at}/diagnoses`, message: `an episode has at most one main diagnosis (hovedtilstand); ${primaries} are marked primary` });
    const key = `${r.register}|${r.episodeId}`;
    const first = seen.get(key);
    if (first !== undefined) out.push({ path: `${at}/episodeId`, message: `episode id is used twice in ${r.register} (also /records/${first})` });
    else seen.set(key, i);
  });
  return out;
}

/**
 * Validates an NPR or KPR answer (`{ records: [...] }`).
 * @param json the parsed body
 * @returns the data, typed, or every issue with its JSON Pointer
 * @example
 * const r = validateRegisterData(JSON.parse(body));
 * if (!r.ok) throw new Error(r.issues.map((i) => `${i.path} ${i.message}`).join('; '));
 */
export function validateRegisterData(json: unknown): RegisterDataValidation {
  if (!checkSchema(json)) return { ok: false, issues: issuesOf(checkSchema.errors ?? []) };
  const issues = ruleIssues(json);
  return issues.length > 0 ? { ok: false, issues } : { ok: true, data: json };
}
