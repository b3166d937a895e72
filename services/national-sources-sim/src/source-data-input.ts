/**
 * Checks the new data of a source sent to `PUT /_sim/patients/{slug}/{source}`: the same JSON shape as
 * `SourceDataMap[source]`. The checks are about shape, enough that the simulator never serves something
 * its own wire format cannot carry; the content is the test author's business.
 */
import { validateRegisterData, type SourceDataMap, type SourceName, isJsonObject } from '@ehds-no/core';
import { KJERNEJOURNAL_RESOURCE_TYPES } from './wire-format.js';

/** The data, or what is wrong with it. */
export type SourceDataInput<N extends SourceName> = { ok: true; data: SourceDataMap[N] } | { ok: false; message: string };


/** A FHIR id (what a `Binary.id` may be). */
const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;

const CHECKS: { [N in SourceName]: (body: Record<string, unknown>) => string | undefined } = {
  kjernejournal: (body) => {
    if (!isJsonObject(body.patient) || body.patient.resourceType !== 'Patient') return 'patient must be a Patient resource';
    if (!Array.isArray(body.resources)) return 'resources must be an array';
    const types: readonly unknown[] = KJERNEJOURNAL_RESOURCE_TYPES;
    if (!body.resources.every((r) => isJsonObject(r) && types.includes(r.resourceType))) return `every resource must be one of ${KJERNEJOURNAL_RESOURCE_TYPES.join(', ')}`;
    return undefined;
  },
  pll: (body) => (body.bundle === undefined || (isJsonObject(body.bundle) && body.bundle.resourceType === 'Bundle') ? undefined : 'bundle must be a Bundle, or left out when the patient has no PLL'),
  reseptformidleren: (body) => {
    if (!Array.isArray(body.prescriptions)) return 'prescriptions must be an array';
    const ok = body.prescriptions.every((p) => isJsonObject(p) && typeof p.reseptId === 'string' && FHIR_ID.test(p.reseptId) && typeof p.m1Xml === 'string');
    return ok ? undefined : 'every prescription needs a reseptId (a FHIR id such as a UUID) and an m1Xml string';
  },
  npr: (body) => registerCheck(body),
  kpr: (body) => registerCheck(body),
};

function registerCheck(body: unknown): string | undefined {
  const r = validateRegisterData(body);
  return r.ok ? undefined : r.issues.map((i) => `${i.path}: ${i.message}`).join('; ');
}

/** Reads the new data of `source` from a request body. */
export function readSourceData<N extends SourceName>(source: N, body: unknown): SourceDataInput<N> {
  if (!isJsonObject(body)) return { ok: false, message: 'the body must be a JSON object' };
  const problem = CHECKS[source](body);
  return problem ? { ok: false, message: problem } : { ok: true, data: body as unknown as SourceDataMap[N] };
}
