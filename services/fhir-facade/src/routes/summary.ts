/**
 * The national patient summary (names fixed by the patient-summary issue):
 * - `GET /fhir/Patient/$summary?identifier=<system>|<fnr or dnr>` and `GET /fhir/Patient/{id}/$summary`,
 *   parameters `profile` (IPS or EPS bundle canonical) and `language` (`nb` default, `en`) → the document.
 * - `GET /fhir/Bundle/{id}/_history` (optionally `_at=<instant>`: the version shown then) and
 *   `GET /fhir/Bundle/{id}/_history/{vid}` → earlier versions.
 * - `POST /fhir/Patient/{id}/$mark-relevant` / `$unmark-relevant` with Parameters {entry: Reference}.
 * - `POST /notifications/source-changed`: a national source's change notification → rebuild.
 * Every read of a summary is audited.
 */
import {
  NATIONAL_PROFILE, PatientNotKnown, readChangeNotification, renderSummary, SUMMARY_LANGUAGES, SUPPORTED_SUMMARY_PROFILES,
  UnknownSummaryEntry, versionAt,
  type PatientKey, type PatientSummaryService, type SummaryLanguage, type SummaryPatient, type SummaryStore, type SummaryVersion, isJsonObject } from '@ehds-no/core';
import type { Bundle, CapabilityStatementRestResource, CapabilityStatementRestResourceOperation } from '@medplum/fhirtypes';
import { Router, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import { AUDIT_OUTCOME, auditEvent, type AuditFacts } from '../audit/audit-event.js';
import { SCOPE } from '../auth/caller.js';
import { callerOf, requireScope } from '../auth/require-scope.js';
import type { TokenVerifier } from '../auth/token-verifier.js';
import { acceptsFhirJson, fhirJsonBody } from '../fhir/content-type.js';
import { methodNotAllowed } from '../fhir/method-not-allowed.js';
import { FHIR_JSON, HttpProblem, operationOutcome } from '../fhir/operation-outcome.js';
import { personKeyProblem } from '../fhir/person-identifier.js';
import type { AuditStore } from '../storage/audit-store.js';

/** What the summary routes need. */
export interface SummaryDeps {
  readonly service: PatientSummaryService;
  readonly store: SummaryStore;
  readonly verifier: TokenVerifier;
  readonly audit: AuditStore;
  readonly allowSyntheticIdentities: boolean;
  readonly logger: Logger;
}

/** Operations on Patient that these routes add to the CapabilityStatement. */
const SUMMARY_OPERATIONS: CapabilityStatementRestResourceOperation[] = [
  { name: 'summary', definition: 'https://ehds-no.github.io/fhir/OperationDefinition/summary', documentation: 'The national patient summary (HL7 Europe EPS 1.0.0 / IPS 2.0.1 document), by identifier or Patient id; parameters profile and language (nb, en)' },
  { name: 'mark-relevant', definition: 'https://ehds-no.github.io/fhir/OperationDefinition/mark-relevant', documentation: 'Mark a summary entry as most clinically relevant' },
  { name: 'unmark-relevant', definition: 'https://ehds-no.github.io/fhir/OperationDefinition/unmark-relevant', documentation: 'Remove a relevance mark' },
];

/** The Patient resource, with the summary operations, as the CapabilityStatement lists it. */
export const SUMMARY_PATIENT_RESOURCE: CapabilityStatementRestResource = {
  type: 'Patient',
  profile: 'http://hl7.eu/fhir/eps/StructureDefinition/patient-eu-eps',
  supportedProfile: [NATIONAL_PROFILE.patient],
  interaction: [],
  operation: SUMMARY_OPERATIONS,
};

/** The Bundle resource (summary versions) as the CapabilityStatement lists it. */
export const SUMMARY_BUNDLE_RESOURCE: CapabilityStatementRestResource = {
  type: 'Bundle',
  interaction: [{ code: 'history-instance' }, { code: 'vread' }],
  supportedProfile: [...SUPPORTED_SUMMARY_PROFILES],
  documentation: 'Versions of a patient summary document (id = the Patient id); `_at` gives the version shown at a time',
};

function queryText(req: Request, name: string): string | undefined {
  const v = req.query[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw new HttpProblem(400, operationOutcome('value', `${name} must be given once`, name));
  return v;
}

/** The `identifier` parameter as a patient key, or 400 saying what is wrong. */
function patientKey(token: string | undefined, allowSynthetic: boolean): PatientKey {
  if (!token) throw new HttpProblem(400, operationOutcome('required', 'identifier is required: <system>|<value>, e.g. urn:oid:2.16.578.1.12.4.1.4.1|<fødselsnummer>', 'identifier'));
  const bar = token.indexOf('|');
  const system = bar > 0 ? token.slice(0, bar) : '';
  const value = bar > 0 ? token.slice(bar + 1) : '';
  const problem = personKeyProblem(system, value, allowSynthetic);
  if (problem) throw new HttpProblem(400, operationOutcome('value', problem, 'identifier'));
  return { system, value };
}

function language(req: Request): SummaryLanguage {
  const lang = queryText(req, 'language') ?? 'nb';
  if (!(SUMMARY_LANGUAGES as readonly string[]).includes(lang)) throw new HttpProblem(400, operationOutcome('value', `language must be one of ${SUMMARY_LANGUAGES.join(', ')}`, 'language'));
  return lang as SummaryLanguage;
}

function checkProfile(req: Request): void {
  const profile = queryText(req, 'profile');
  // A version suffix (…|1.0.0) names the same profile.
  if (profile && !SUPPORTED_SUMMARY_PROFILES.includes(profile.split('|')[0] ?? '')) {
    throw new HttpProblem(400, operationOutcome('not-supported', `profile must be one of ${SUPPORTED_SUMMARY_PROFILES.join(', ')}; the document conforms to all of them`, 'profile'));
  }
}

const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function patientId(req: Request): string {
  const id = String(req.params.id ?? '');
  if (!ID.test(id)) throw new HttpProblem(404, operationOutcome('not-found', 'no patient summary with this id', 'id'));
  return id;
}

/** A summary entry as a mark names it: `<ResourceType>/<id>`, the id a UUID as the summary assigns them. */
const ENTRY_REFERENCE = /^[A-Za-z]+\/[0-9a-f-]{36}$/;
const ENTRY_SHAPE = 'Parameters must name the entry once: {name: "entry", valueReference: {reference: "<ResourceType>/<id>"}}';


/**
 * The entry a mark names, from Parameters {entry: valueReference | valueString}, or 400 at the FHIRPath of
 * what is wrong. The body is only parsed JSON: every step checks the type before it looks inside.
 */
function markedEntry(body: unknown): string {
  const refuse = (code: 'structure' | 'required' | 'value', diagnostics: string, expression: string) => new HttpProblem(400, operationOutcome(code, diagnostics, expression));
  if (!isJsonObject(body) || body.resourceType !== 'Parameters') throw refuse('structure', 'the body must be a Parameters resource', 'Parameters');
  const parameters = body.parameter ?? [];
  if (!Array.isArray(parameters)) throw refuse('structure', 'Parameters.parameter must be an array of parameters', 'Parameters.parameter');
  let index = -1;
  parameters.forEach((p: unknown, i) => {
    if (!isJsonObject(p) || typeof p.name !== 'string') throw refuse('structure', 'each parameter must be an object with a name', `Parameters.parameter[${i}]`);
    if (p.name !== 'entry') return;
    if (index >= 0) throw refuse('value', ENTRY_SHAPE, `Parameters.parameter[${i}]`);
    index = i;
  });
  if (index < 0) throw refuse('required', ENTRY_SHAPE, 'Parameters.parameter');
  const param = parameters[index] as Record<string, unknown>;
  const where = `Parameters.parameter[${index}]`;
  if (param.valueReference !== undefined) {
    const reference = isJsonObject(param.valueReference) ? param.valueReference.reference : undefined;
    if (typeof reference !== 'string' || !ENTRY_REFERENCE.test(reference)) throw refuse('value', ENTRY_SHAPE, `${where}.valueReference.reference`);
    return reference;
  }
  if (typeof param.valueString !== 'string' || !ENTRY_REFERENCE.test(param.valueString)) throw refuse('required', ENTRY_SHAPE, where);
  return param.valueString;
}

/** Largest version id the store can hold (PostgreSQL `int`, summary_version.version_id). */
const MAX_VERSION_ID = 2 ** 31 - 1;

/**
 * The `{vid}` path parameter: a positive whole number written plainly (no sign, leading zero, space, `0x`
 * or fraction, which a lenient `Number()` would read as some other version), or 400; `undefined` for a
 * number larger than any stored version (it names no version: 404).
 */
function versionIdOf(req: Request): number | undefined {
  const text = String(req.params.vid ?? '');
  if (!/^[1-9][0-9]*$/.test(text)) throw new HttpProblem(400, operationOutcome('value', 'the version id must be a positive whole number, e.g. 1', 'vid'));
  const vid = text.length > String(MAX_VERSION_ID).length ? Infinity : Number(text);
  return vid <= MAX_VERSION_ID ? vid : undefined;
}

/** The router for the patient summary. */
export function summaryRouter(deps: SummaryDeps): Router {
  const router = Router();
  const audit = (res: Response, facts: Omit<AuditFacts, 'caller' | 'recorded'>) =>
    deps.audit.record(auditEvent({ ...facts, caller: callerOf(res), recorded: new Date() }), facts.patient);
  const read = requireScope(deps.verifier, SCOPE.summaryRead);
  const mark = requireScope(deps.verifier, SCOPE.summaryMark);

  const identity = (patient: SummaryPatient) => ({ system: patient.key.system, value: patient.key.value });

  async function serve(res: Response, req: Request, find: () => Promise<{ patient: SummaryPatient; version: SummaryVersion } | undefined>, auditKey?: PatientKey) {
    checkProfile(req);
    const lang = language(req);
    let served;
    try {
      served = await find();
    } catch (e) {
      if (!(e instanceof PatientNotKnown)) throw e;
      await audit(res, { operation: 'summary', action: 'R', outcome: AUDIT_OUTCOME.refused, ...(auditKey ? { patient: auditKey } : {}) });
      throw new HttpProblem(404, operationOutcome('not-found', 'no person with this identifier is known in Kjernejournal', 'identifier'));
    }
    if (!served) throw new HttpProblem(404, operationOutcome('not-found', 'no patient summary with this id', 'id'));
    await audit(res, { operation: 'summary', action: 'R', outcome: AUDIT_OUTCOME.success, patient: identity(served.patient) });
    res.type(FHIR_JSON).set('ETag', `W/"${served.version.versionId}"`).json(renderSummary(served.version.bundle, lang));
  }

  router.get('/fhir/Patient/$summary', read, acceptsFhirJson, async (req, res) => {
    const key = patientKey(queryText(req, 'identifier'), deps.allowSyntheticIdentities);
    await serve(res, req, () => deps.service.summary(key), key);
  });
  router.get('/fhir/Patient/:id/$summary', read, acceptsFhirJson, async (req, res) => {
    const id = patientId(req);
    await serve(res, req, () => deps.service.summaryById(id));
  });
  router.all(['/fhir/Patient/$summary', '/fhir/Patient/:id/$summary'], methodNotAllowed(['GET']));

  async function patientOr404(req: Request): Promise<SummaryPatient> {
    const patient = await deps.store.patientById(patientId(req));
    if (!patient) throw new HttpProblem(404, operationOutcome('not-found', 'no patient summary with this id', 'id'));
    return patient;
  }

  router.get('/fhir/Bundle/:id/_history', read, acceptsFhirJson, async (req, res) => {
    const patient = await patientOr404(req);
    const lang = language(req);
    const at = queryText(req, '_at');
    if (at !== undefined && Number.isNaN(Date.parse(at))) throw new HttpProblem(400, operationOutcome('value', '_at must be an instant, e.g. 2026-11-20T10:00:00Z', '_at'));
    const all = await deps.store.history(patient.id);
    const versions = at === undefined ? all : [versionAt(all, at)].filter((v): v is SummaryVersion => v !== undefined);
    await audit(res, { operation: 'summary-history', action: 'R', outcome: AUDIT_OUTCOME.success, patient: identity(patient) });
    const bundle: Bundle = {
      resourceType: 'Bundle',
      type: 'history',
      total: versions.length,
      entry: versions.map((v) => ({
        fullUrl: `Bundle/${patient.id}/_history/${v.versionId}`,
        resource: renderSummary(v.bundle, lang),
        request: { method: v.versionId === 1 ? 'POST' : 'PUT', url: `Bundle/${patient.id}` },
        response: { status: v.versionId === 1 ? '201' : '200', lastModified: v.createdAt },
      })),
    };
    res.type(FHIR_JSON).json(bundle);
  });

  router.get('/fhir/Bundle/:id/_history/:vid', read, acceptsFhirJson, async (req, res) => {
    const patient = await patientOr404(req);
    const lang = language(req);
    const vid = versionIdOf(req);
    const version = vid === undefined ? undefined : await deps.store.version(patient.id, vid);
    if (!version) throw new HttpProblem(404, operationOutcome('not-found', `the summary has no version ${String(req.params.vid)}`, 'vid'));
    await audit(res, { operation: 'summary-version', action: 'R', outcome: AUDIT_OUTCOME.success, patient: identity(patient) });
    res.type(FHIR_JSON).set('ETag', `W/"${version.versionId}"`).json(renderSummary(version.bundle, lang));
  });
  router.all(['/fhir/Bundle/:id/_history', '/fhir/Bundle/:id/_history/:vid'], methodNotAllowed(['GET']));

  const marking = (operation: 'mark-relevant' | 'unmark-relevant') =>
    router.post(`/fhir/Patient/:id/$${operation}`, mark, acceptsFhirJson, ...fhirJsonBody, async (req, res) => {
      const patient = await patientOr404(req);
      const entry = markedEntry(req.body);
      // Checked before the mark is stored, not after: a refusal must leave nothing changed.
      const lang = language(req);
      const caller = callerOf(res);
      let version: SummaryVersion | undefined;
      try {
        version = operation === 'mark-relevant'
          ? await deps.service.mark(patient, entry, { ...(caller.hpr ? { hpr: caller.hpr } : {}), ...(caller.name ? { name: caller.name } : {}), ...(caller.organisation ? { organisation: caller.organisation } : {}) })
          : await deps.service.unmark(patient, entry);
      } catch (e) {
        if (e instanceof UnknownSummaryEntry) throw new HttpProblem(422, operationOutcome('business-rule', `the current summary has no entry ${entry}`, 'Parameters.parameter'));
        throw e;
      }
      if (!version) throw new HttpProblem(422, operationOutcome('business-rule', `entry ${entry} has no relevance mark`, 'Parameters.parameter'));
      await audit(res, { operation, action: 'U', outcome: AUDIT_OUTCOME.success, patient: identity(patient) });
      res.type(FHIR_JSON).set('ETag', `W/"${version.versionId}"`).json(renderSummary(version.bundle, lang));
    });
  marking('mark-relevant');
  marking('unmark-relevant');
  router.all(['/fhir/Patient/:id/$mark-relevant', '/fhir/Patient/:id/$unmark-relevant'], methodNotAllowed(['POST']));

  router.post('/notifications/source-changed', requireScope(deps.verifier, SCOPE.sourceNotify), ...fhirJsonBody, async (req, res) => {
    // The focus is checked by $summary's rule: an identifier it would refuse creates no patient and no summary.
    const notification = readChangeNotification(req.body, { identifierProblem: (key) => personKeyProblem(key.system, key.value, deps.allowSyntheticIdentities) });
    if (!notification.ok) {
      const outcome = { resourceType: 'OperationOutcome' as const, issue: notification.issues.map((i) => ({ severity: 'error' as const, code: 'invalid' as const, diagnostics: i.message, expression: [i.expression] })) };
      throw new HttpProblem(400, outcome);
    }
    try {
      const rebuilt = await deps.service.rebuild(notification.patient);
      deps.logger.info({ source: notification.source, version: rebuilt.version.versionId }, 'summary rebuilt on change notification');
      res.type(FHIR_JSON).json({ resourceType: 'OperationOutcome', issue: [{ severity: 'information', code: 'informational', diagnostics: `summary at version ${rebuilt.version.versionId}` }] });
    } catch (e) {
      if (!(e instanceof PatientNotKnown)) throw e;
      throw new HttpProblem(404, operationOutcome('not-found', 'the notification names a person not known in Kjernejournal', 'Bundle.entry[0].resource'));
    }
  });
  router.all('/notifications/source-changed', methodNotAllowed(['POST']));
  return router;
}
