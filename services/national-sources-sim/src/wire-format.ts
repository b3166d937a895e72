/**
 * The wire format of the simulated national sources, named once: the simulator serves it and the
 * facade's HTTP adapters speak it (docs/sources.md describes it in full).
 */
import { EHDS_NO_CANONICAL_BASE, type SourceName } from '@ehds-no/core';

/**
 * The header that carries the patient's fødselsnummer or D-nummer (Kjernejournal's convention, used by
 * every simulated source): a person number never goes into a URL, where it would end up in access logs.
 */
export const NIN_HEADER = 'nhn-patient-nin';

/** Media type of FHIR JSON (Kjernejournal, PLL, Reseptformidleren). */
export const FHIR_JSON = 'application/fhir+json';

/** Media type of the register answers (NPR, KPR). */
export const PLAIN_JSON = 'application/json';

/** The Kjernejournal critical-information resource types, each searched at `GET /kjernejournal/<type>`. */
export const KJERNEJOURNAL_RESOURCE_TYPES = ['AllergyIntolerance', 'Condition', 'DeviceUseStatement', 'Flag'] as const;

/** The PLL operation on Patient (SFM Basis API). */
export const PLL_OPERATION = 'getMedication';

/**
 * How PLL says "this patient has no PLL": 404 with an OperationOutcome whose issues all have the code
 * `not-found` and carry this coding in `details`. A 404 without it (a wrong path, a proxy's page, a server's
 * generic "not found") is a broken endpoint, never "no medicines": read as "nothing", it would show a
 * patient's current medicines as none.
 */
export const NO_PLL_DETAIL = { system: `${EHDS_NO_CANONICAL_BASE}/CodeSystem/source-answer`, code: 'no-pll' } as const;

/** Media type of an M1 in a Reseptformidleren `Binary`. */
export const M1_CONTENT_TYPE = 'application/xml';

/** The path of the register records under `/npr` and `/kpr`. */
export const REGISTER_RECORDS_PATH = '/records';

/** Where each source is served, relative to the simulator's base URL (or `SOURCES_BASE_URL`). */
export function sourceBasePath(source: SourceName): string {
  return `/${source}`;
}

/** True for a string that looks like a person number (11 digits); the check digits are the source's business. */
export function isNin(value: string): boolean {
  return /^\d{11}$/.test(value);
}
