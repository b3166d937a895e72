/**
 * The test-patient folder layout (test-data/patients/<slug>/), read and written: the simulator serves the
 * folders, the tests load them, and scripts/patients/write-test-patients.mjs writes them.
 *
 * ```
 * <slug>/kjernejournal.json              { patient, resources }       (KjernejournalData)
 * <slug>/pll.json                        the SFM Bundle               (absent: no PLL)
 * <slug>/reseptformidleren/<id>.xml      one M1 per active prescription (folder absent: none)
 * <slug>/npr.json, <slug>/kpr.json       { records: [...] }           (RegisterData, may be empty)
 * ```
 * Only node:fs/node:path and the project's own register-data check are used.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Bundle, Patient } from '@medplum/fhirtypes';
import { validateRegisterData } from './register-data-validation.js';
import type {
  ActivePrescription, KjernejournalData, KjernejournalResource, PatientSourceData, RegisterData,
} from './source-data.js';
import { IDENTIFIER_SYSTEM } from '../../terminology/oids.js';
import { isJsonObject } from '../../json-object.js';

/** The default root of the patient folders: `test-data/patients` of this repository. */
export const PATIENTS_ROOT = fileURLToPath(new URL('../../../../../test-data/patients/', import.meta.url));

/** File names inside a patient folder. */
export const PATIENT_FILES = {
  kjernejournal: 'kjernejournal.json',
  pll: 'pll.json',
  reseptformidleren: 'reseptformidleren',
  npr: 'npr.json',
  kpr: 'kpr.json',
} as const;

const KNOWN_ENTRIES = new Set<string>(Object.values(PATIENT_FILES));
const KJ_RESOURCE_TYPES = new Set(['AllergyIntolerance', 'Condition', 'DeviceUseStatement', 'Flag']);
const PERSON_SYSTEMS = new Set<string>([IDENTIFIER_SYSTEM.fnr, IDENTIFIER_SYSTEM.dnr]);

/** A patient folder (or one of its files) that cannot be used; the message names the file. */
export class PatientFolderError extends Error {
  override readonly name = 'PatientFolderError';

  constructor(readonly file: string, problem: string) {
    super(`${file}: ${problem}`);
  }
}

function readJson(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new PatientFolderError(file, `cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new PatientFolderError(file, `is not valid JSON (${(e as Error).message})`);
  }
}


function readKjernejournal(file: string): KjernejournalData {
  const json = readJson(file);
  if (!isJsonObject(json) || !isJsonObject(json.patient) || !Array.isArray(json.resources)) {
    throw new PatientFolderError(file, 'must be { "patient": Patient, "resources": [...] }');
  }
  const patient = json.patient as unknown as Patient;
  if (patient.resourceType !== 'Patient') throw new PatientFolderError(file, 'patient.resourceType must be "Patient"');
  json.resources.forEach((r, i) => {
    if (!isJsonObject(r) || !KJ_RESOURCE_TYPES.has(String(r.resourceType))) {
      throw new PatientFolderError(file, `resources[${i}] must be an AllergyIntolerance, Condition, DeviceUseStatement or Flag`);
    }
  });
  return { patient, resources: json.resources as KjernejournalResource[] };
}

function keyOf(patient: Patient, file: string): PatientSourceData['key'] {
  const id = patient.identifier?.find((i) => i.system !== undefined && PERSON_SYSTEMS.has(i.system));
  if (!id?.system || !id.value) throw new PatientFolderError(file, 'the patient has no fødselsnummer or D-nummer identifier');
  return { system: id.system, value: id.value };
}

function readPll(file: string): Bundle | undefined {
  if (!existsSync(file)) return undefined;
  const json = readJson(file);
  if (!isJsonObject(json) || json.resourceType !== 'Bundle' || json.type !== 'document') {
    throw new PatientFolderError(file, 'must be a FHIR Bundle of type document');
  }
  return json as unknown as Bundle;
}

function readPrescriptions(dir: string): ActivePrescription[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => !f.startsWith('.'))
    .sort()
    .map((f) => {
      const file = join(dir, f);
      if (!f.endsWith('.xml')) throw new PatientFolderError(file, 'only <reseptId>.xml files belong in reseptformidleren/');
      const m1Xml = readFileSync(file, 'utf8');
      if (!m1Xml.trimStart().startsWith('<')) throw new PatientFolderError(file, 'is not an XML message');
      return { reseptId: f.slice(0, -'.xml'.length), m1Xml };
    });
}

function readRegister(file: string): RegisterData {
  const r = validateRegisterData(readJson(file));
  if (!r.ok) throw new PatientFolderError(file, `is not valid register data: ${r.issues.map((i) => `${i.path || '(body)'} ${i.message}`).join('; ')}`);
  return r.data;
}

/**
 * Reads one patient folder; the slug is the folder's name and the key the patient's FNR/DNR identifier.
 * @throws PatientFolderError naming the file that is missing, malformed or fails validation
 */
export function loadPatientFolder(dir: string): PatientSourceData {
  for (const entry of readdirSync(dir)) {
    if (!entry.startsWith('.') && !KNOWN_ENTRIES.has(entry)) throw new PatientFolderError(join(dir, entry), 'is not part of the patient-folder layout');
  }
  const kjFile = join(dir, PATIENT_FILES.kjernejournal);
  const kjernejournal = readKjernejournal(kjFile);
  const bundle = readPll(join(dir, PATIENT_FILES.pll));
  return {
    slug: basename(resolve(dir)),
    key: keyOf(kjernejournal.patient, kjFile),
    data: {
      kjernejournal,
      pll: bundle ? { bundle } : {},
      reseptformidleren: { prescriptions: readPrescriptions(join(dir, PATIENT_FILES.reseptformidleren)) },
      npr: readRegister(join(dir, PATIENT_FILES.npr)),
      kpr: readRegister(join(dir, PATIENT_FILES.kpr)),
    },
  };
}

/**
 * Reads every patient folder under `root` (each sub-folder; files such as README.md are skipped), in
 * slug order.
 * @param root default {@link PATIENTS_ROOT}
 */
export function loadPatientFolders(root: string = PATIENTS_ROOT): PatientSourceData[] {
  return readdirSync(root)
    .filter((name) => !name.startsWith('.') && statSync(join(root, name)).isDirectory())
    .sort()
    .map((name) => loadPatientFolder(join(root, name)));
}

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/**
 * The files of one patient's folder, by path relative to the folder (`/` separated): what the writer puts
 * on disk and what {@link loadPatientFolder} reads back to equal data.
 */
export function patientFolderFiles(patient: PatientSourceData): Map<string, string> {
  const files = new Map<string, string>();
  files.set(PATIENT_FILES.kjernejournal, json(patient.data.kjernejournal));
  if (patient.data.pll.bundle) files.set(PATIENT_FILES.pll, json(patient.data.pll.bundle));
  for (const p of patient.data.reseptformidleren.prescriptions) files.set(`${PATIENT_FILES.reseptformidleren}/${p.reseptId}.xml`, p.m1Xml);
  files.set(PATIENT_FILES.npr, json(patient.data.npr));
  files.set(PATIENT_FILES.kpr, json(patient.data.kpr));
  return files;
}
