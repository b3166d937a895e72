/**
 * The register-record shape for NPR (specialist care) and KPR (primary care). No public per-patient API
 * exists for either register (no-formats.md §4.2), so the project defines this shape: one record per
 * episode (NPR) or contact/claim (KPR), with the person it is about and its diagnoses and procedures.
 * Documented in docs/sources.md; validated with the JSON schema in register-record.schema.json.
 */
import type { PatientKey } from './source-data.js';

/** Which register a record comes from. */
export type RegisterName = 'NPR' | 'KPR';

/** A diagnosis on an episode: ICD-10 (Volven 7110) or ICPC-2 (Volven 7170), by OID. */
export interface RegisterDiagnosis {
  /** `2.16.578.1.12.4.1.1.7110` (ICD-10) or `2.16.578.1.12.4.1.1.7170` (ICPC-2). */
  readonly system: string;
  readonly code: string;
  /** The code's display text as the register has it. */
  readonly text?: string;
  /** The main condition of the episode (hovedtilstand). */
  readonly primary?: boolean;
}

/** A procedure on an episode: NCSP-N 7210, NCMP 7220, NCRP 7270 or the combined NKPK 7275, by OID. */
export interface RegisterProcedure {
  readonly system: string;
  readonly code: string;
  readonly text?: string;
  /** When it was performed (date or dateTime); the episode's start when absent. */
  readonly date?: string;
}

/** The institution that reported the episode. */
export interface RegisterInstitution {
  /** Organisasjonsnummer (Enhetsregisteret), 9 digits. */
  readonly enh?: string;
  /** RESH-id. */
  readonly resh?: string;
  readonly name?: string;
}

/** One episode (NPR) or contact (KPR) as the register holds it. */
export interface RegisterRecord {
  readonly register: RegisterName;
  /**
   * The person the record is about: fødselsnummer or D-nummer as `{ system, value }`. Every answer is
   * checked to be about the person asked for (patient-match.ts); without this a register's answer about
   * someone else could not be told from one about the patient.
   */
  readonly patient: PatientKey;
  /** The register's id of the episode, unique within the register. */
  readonly episodeId: string;
  readonly institution: RegisterInstitution;
  /** Start of the episode (date). */
  readonly start: string;
  /** End of the episode (date), when it has ended. */
  readonly end?: string;
  readonly diagnoses: readonly RegisterDiagnosis[];
  readonly procedures: readonly RegisterProcedure[];
}
