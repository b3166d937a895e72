/**
 * Step-1 e-prescription operations (names fixed by the conversion issue):
 * - `POST /fhir/$convert-m1-to-eu` (M1 XML) → Parameters {return: EU ePrescription Bundle, report}; records the release.
 * - `POST /fhir/$convert-eu-dispense-to-m10` (EU eDispensation Bundle) → 201 Parameters {return: Binary M10, report};
 *   the M10 is stored in Reseptformidleren. The same dispensation again → 200 with the stored M10.
 * - `GET /reseptformidler/utleveringer/{reseptId}` → what Reseptformidleren stores for the prescription.
 * - `POST /fhir/$render-eu-prescription` (EU ePrescription Bundle) → the pharmacy view, HTML or JSON by `Accept`.
 * - `POST /fhir/$convert-dispense-to-eu` (Parameters {prescription: EU Bundle, dispense: Binary M10 XML})
 *   → 201 Parameters {return: EU eDispensation Bundle, report}; the same M10 again → 200 with the stored one.
 */
import {
  activeDispensings, authorizingReseptId, convertDispenseToEu, convertEuDispenseToM10, convertM1ToEuPrescription, dispenseKey, entriesOfType, ereseptIssuesToOutcome,
  euPrescriptionIdentifier, euPrescriptionView, patientIdentifier, pharmacyViewHtml, placePath, readFhirResource, readM1, readM10, releaseConflict, reseptIdIdentifier, sameEuDispensing, sameUtlevering, ViewInputError,
  type EreseptXsdValidator, type ForeignPharmacyIdentity, type RefusalKind,
} from '@ehds-no/core';
import type { Binary, Bundle, CapabilityStatementRestResourceOperation, Identifier, MedicationDispense, MedicationRequest, OperationOutcome, Parameters, Patient } from '@medplum/fhirtypes';
import { Router, type Response } from 'express';
import { AUDIT_OUTCOME, auditEvent, type AuditFacts } from '../audit/audit-event.js';
import { SCOPE } from '../auth/caller.js';
import { callerOf, requireScope } from '../auth/require-scope.js';
import type { AuditStore } from '../storage/audit-store.js';
import type { TokenVerifier } from '../auth/token-verifier.js';
import { conversionJsonBody, xmlBody, xmlBodyOf } from '../fhir/content-type.js';
import { methodNotAllowed } from '../fhir/method-not-allowed.js';
import { FHIR_JSON, HttpProblem, operationOutcome, xmlLocatedOutcome } from '../fhir/operation-outcome.js';
import { operationResult } from '../fhir/parameters.js';
import { DispenseKeyTaken, type EprescriptionStore, type StoredEuDispensing, type StoredUtlevering } from '../storage/eprescription-store.js';

/** What the e-prescription routes need. */
export interface EprescriptionDeps {
  readonly store: EprescriptionStore;
  /** Verifies the bearer tokens (HelseID, or the development issuer). */
  readonly verifier: TokenVerifier;
  /** Where every conversion and read is recorded as an AuditEvent. */
  readonly audit: AuditStore;
  readonly allowSyntheticIdentities: boolean;
  readonly foreignPharmacy: ForeignPharmacyIdentity;
  readonly ereseptXsd?: EreseptXsdValidator;
  readonly now?: () => Date;
}

/** Operations these routes add to the CapabilityStatement. */
export const EPRESCRIPTION_OPERATIONS: CapabilityStatementRestResourceOperation[] = [
  { name: 'convert-m1-to-eu', definition: 'https://ehds-no.github.io/fhir/OperationDefinition/convert-m1-to-eu', documentation: 'Norwegian M1 e-resept → EU ePrescription (HL7 Europe MPD); records the release to the EU' },
  { name: 'convert-eu-dispense-to-m10', definition: 'https://ehds-no.github.io/fhir/OperationDefinition/convert-eu-dispense-to-m10', documentation: 'EU eDispensation → Norwegian M10, stored in Reseptformidleren' },
  { name: 'render-eu-prescription', definition: 'https://ehds-no.github.io/fhir/OperationDefinition/render-eu-prescription', documentation: 'EU ePrescription → readable view for Norwegian pharmacy staff (HTML or JSON)' },
  { name: 'convert-dispense-to-eu', definition: 'https://ehds-no.github.io/fhir/OperationDefinition/convert-dispense-to-eu', documentation: 'Norwegian pharmacy dispensing (M10) of an EU prescription → EU eDispensation' },
];

const REFUSAL_STATUS: Record<RefusalKind, number> = { invalid: 400, 'business-rule': 422, conflict: 409 };

function outcomeOf(status: number): AuditFacts['outcome'] {
  return status < 400 ? AUDIT_OUTCOME.success : AUDIT_OUTCOME.refused;
}

/** The id of an EU ePrescription, as the conversion and the view read it. */
function euPrescriptionId(bundle: Bundle): string | undefined {
  const mr = entriesOfType<MedicationRequest>(bundle, 'MedicationRequest')[0]?.resource;
  return mr ? euPrescriptionIdentifier(mr)?.value : undefined;
}

/** The identifier of the Patient a FHIR Bundle is about (its first Patient entry). */
function bundlePatient(bundle: Bundle | undefined): Identifier | undefined {
  const patient = bundle?.entry?.find((e) => e.resource?.resourceType === 'Patient')?.resource as Patient | undefined;
  return patient?.identifier?.[0];
}

/** What an operation answers: its HTTP status and body. */
interface Answer {
  readonly status: number;
  readonly body: Parameters | OperationOutcome;
}

/** Where an M10's MsgId is (the key of a Norwegian dispensing of an EU prescription). */
const M10_MSG_ID = '/mh:MsgHead/mh:MsgInfo/mh:MsgId';

/** The stored answer, or `taken` when the dispensing's key is already stored for another prescription. */
async function orWhenKeyTaken(taken: Answer, stored: Promise<Answer>): Promise<Answer> {
  try {
    return await stored;
  } catch (e) {
    if (e instanceof DispenseKeyTaken) return taken;
    throw e;
  }
}

/** The outcome with each FHIRPath that starts at `fromRoot` moved to where that resource sits in the request. */
function placedIn(outcome: OperationOutcome, fromRoot: string, prefix: string): OperationOutcome {
  return { ...outcome, issue: outcome.issue.map((i) => (i.expression ? { ...i, expression: i.expression.map((e) => placePath(e, fromRoot, prefix)) } : i)) };
}

const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

function m10Binary(xml: string): Binary {
  return { resourceType: 'Binary', contentType: 'application/xml', data: Buffer.from(xml, 'utf8').toString('base64') };
}

function asJson(u: StoredUtlevering) {
  return {
    msgId: u.msgId,
    annullering: u.annulment,
    ...(u.annuls ? { annulleringsId: u.annuls } : {}),
    antall: u.quantity,
    lagret: u.storedAt,
    m10: u.m10Xml,
  };
}

/** The router for the e-prescription operations. */
export function eprescriptionRouter(deps: EprescriptionDeps): Router {
  const router = Router();
  const now = deps.now ?? (() => new Date());
  const allow = (scope: (typeof SCOPE)[keyof typeof SCOPE]) => requireScope(deps.verifier, scope);
  const audit = (res: Response, facts: Omit<AuditFacts, 'caller' | 'recorded'>) =>
    deps.audit.record(auditEvent({ ...facts, caller: callerOf(res), recorded: new Date() }), facts.patient);

  router.post('/fhir/$convert-m1-to-eu', allow(SCOPE.eprescriptionConvert), ...xmlBody, async (req, res) => {
    const xml = xmlBodyOf(req);
    const operation = 'convert-m1-to-eu';
    const read = readM1(xml, { allowSyntheticIdentities: deps.allowSyntheticIdentities });
    if (!read.ok) {
      await audit(res, { operation, action: 'E', outcome: AUDIT_OUTCOME.refused });
      throw new HttpProblem(400, ereseptIssuesToOutcome(read.issues));
    }
    const patient = patientIdentifier(read.message.msgHead.msgInfo.patient);
    const facts = { operation, action: 'E' as const, ...(patient ? { patient } : {}), entities: [reseptIdIdentifier(read.message.reseptId)] };
    const xsdIssues = deps.ereseptXsd?.validate(xml) ?? [];
    if (xsdIssues.length > 0) {
      await audit(res, { ...facts, outcome: AUDIT_OUTCOME.refused });
      throw new HttpProblem(400, ereseptIssuesToOutcome(xsdIssues));
    }
    const result = convertM1ToEuPrescription(read.message, { now: now() });
    if (!result.release) {
      await audit(res, { ...facts, outcome: AUDIT_OUTCOME.refused });
      throw new HttpProblem(422, result.report);
    }
    const stored = await deps.store.recordRelease(result.release, result.bundle);
    // The same ReseptId again: a retry gets the stored release, other content a 409 (nothing is stored).
    const conflict = releaseConflict(read.message, stored.release, result.release);
    if (conflict) {
      await audit(res, { ...facts, outcome: AUDIT_OUTCOME.refused });
      throw new HttpProblem(409, conflict);
    }
    await audit(res, { ...facts, outcome: AUDIT_OUTCOME.success });
    res.status(200).type(FHIR_JSON).json(operationResult({ return: stored.bundle, report: result.report }));
  });

  router.post('/fhir/$convert-eu-dispense-to-m10', allow(SCOPE.edispensationWrite), ...conversionJsonBody, async (req, res) => {
    const read = readFhirResource<Bundle>(req.body, 'Bundle');
    if (!read.ok) throw new HttpProblem(400, read.outcome);
    const bundle = read.resource;
    const firstAt = bundle.entry?.findIndex((e) => e.resource?.resourceType === 'MedicationDispense') ?? -1;
    const first = bundle.entry?.[firstAt]?.resource as MedicationDispense | undefined;
    const key = first ? dispenseKey(first) : undefined;
    // The prescription is locked and looked up by the ReseptId the conversion will read.
    const reseptId = (first && authorizingReseptId(bundle, first)) ?? '';
    let patient: Identifier | undefined;
    const keyTaken: Answer = { status: 409, body: operationOutcome('conflict', 'this dispensation (its identifier and status) is already stored for another prescription: an identifier names one dispensation', `Bundle.entry[${firstAt}].resource.identifier`) };
    const outcome = await orWhenKeyTaken(keyTaken, deps.store.dispense<Answer>(reseptId, (release, previous) => {
      patient = patientIdentifier(release?.patient);
      const convert = (earlier: StoredUtlevering[]) => convertEuDispenseToM10(bundle, { release, previous: earlier, now: now(), foreignPharmacy: deps.foreignPharmacy });
      const again = key ? previous.find((p) => p.dispenseKey === key) : undefined;
      if (again) {
        // Sent again: a retry if it converts, against what was stored before it, to the stored M10.
        const fresh = convert(previous.slice(0, previous.indexOf(again)));
        if (fresh.ok && sameUtlevering(again.m10Xml, fresh.xml)) return { result: { status: 200, body: operationResult({ return: m10Binary(again.m10Xml), report: again.report }) } };
        return { result: { status: 409, body: operationOutcome('conflict', `this dispensation (its identifier and status) was stored at ${again.storedAt} with other content, and a stored dispensation does not change: annul it (entered-in-error) and send the correction as a new dispensation with its own identifier`, `Bundle.entry[${firstAt}].resource`) } };
      }
      const r = convert(previous);
      if (!r.ok) return { result: { status: REFUSAL_STATUS[r.refusal], body: r.report } };
      return {
        result: { status: 201, body: operationResult({ return: m10Binary(r.xml), report: r.report }) },
        store: { ...r.stored, reseptId: r.reseptId, m10Xml: r.xml, report: r.report },
      };
    }));
    await audit(res, {
      operation: 'convert-eu-dispense-to-m10', action: 'C', outcome: outcomeOf(outcome.status),
      ...(patient ? { patient } : {}), ...(reseptId ? { entities: [reseptIdIdentifier(reseptId)] } : {}),
    });
    res.status(outcome.status).type(FHIR_JSON).json(outcome.body);
  });

  router.get('/reseptformidler/utleveringer/:reseptId', allow(SCOPE.edispensationRead), async (req, res) => {
    const reseptId = String(req.params.reseptId ?? '');
    if (!UUID.test(reseptId)) throw new HttpProblem(400, operationOutcome('value', 'a ReseptId is a UUID', 'reseptId'));
    const release = await deps.store.release(reseptId);
    if (!release) throw new HttpProblem(404, operationOutcome('not-found', `no prescription ${reseptId} was released to the EU`));
    const utleveringer = await deps.store.utleveringer(reseptId);
    const patient = patientIdentifier(release.release.patient);
    await audit(res, { operation: 'read-utleveringer', action: 'R', outcome: AUDIT_OUTCOME.success, ...(patient ? { patient } : {}), entities: [reseptIdIdentifier(reseptId)] });
    res.json({ reseptId, utlevertIEu: true, frigitt: release.release.releasedAt, utleveringer: utleveringer.map(asJson) });
  });

  router.post('/fhir/$render-eu-prescription', allow(SCOPE.eprescriptionRead), ...conversionJsonBody, async (req, res) => {
    const type = req.accepts(['application/json', 'application/fhir+json', 'text/html']);
    if (!type) throw new HttpProblem(406, operationOutcome('not-supported', 'the view is available as text/html or application/json'));
    const read = readFhirResource<Bundle>(req.body, 'Bundle');
    if (!read.ok) throw new HttpProblem(400, read.outcome);
    const bundle = read.resource;
    const id = euPrescriptionId(bundle);
    const earlier = id ? await deps.store.euDispensings(id) : [];
    const dispensed = activeDispensings(earlier, (d) => d.dispenseKey).map((d) => ({ date: d.dispensedOn, packages: d.packages }));
    let view;
    try {
      view = euPrescriptionView(bundle, { now: now(), dispensed });
    } catch (e) {
      if (e instanceof ViewInputError) throw new HttpProblem(400, operationOutcome('structure', e.message, e.expression));
      throw e;
    }
    const patient = bundlePatient(bundle);
    await audit(res, { operation: 'render-eu-prescription', action: 'R', outcome: AUDIT_OUTCOME.success, ...(patient ? { patient } : {}) });
    if (type === 'text/html') res.type('html').send(pharmacyViewHtml(view));
    else res.json(view);
  });

  router.post('/fhir/$convert-dispense-to-eu', allow(SCOPE.edispensationWrite), ...conversionJsonBody, async (req, res) => {
    const body = readFhirResource<Parameters>(req.body, 'Parameters');
    if (!body.ok) throw new HttpProblem(400, body.outcome);
    const params = body.resource;
    const prescriptionAt = params.parameter?.findIndex((p) => p.name === 'prescription') ?? -1;
    const prescription = params.parameter?.[prescriptionAt]?.resource as Bundle | undefined;
    const binary = params.parameter?.find((p) => p.name === 'dispense')?.resource as Binary | undefined;
    if (prescription?.resourceType !== 'Bundle') throw new HttpProblem(400, operationOutcome('required', 'parameter "prescription" must be the EU ePrescription Bundle', "Parameters.parameter.where(name='prescription').resource"));
    if (binary?.resourceType !== 'Binary' || !binary.data) throw new HttpProblem(400, operationOutcome('required', 'parameter "dispense" must be a Binary with the Utlevering XML (base64 data)', "Parameters.parameter.where(name='dispense').resource"));
    const read = readM10(Buffer.from(binary.data, 'base64'), { allowSyntheticIdentities: deps.allowSyntheticIdentities });
    if (!read.ok) throw new HttpProblem(400, ereseptIssuesToOutcome(read.issues));
    const euId = euPrescriptionId(prescription) ?? '';
    const keyTaken: Answer = { status: 409, body: xmlLocatedOutcome('conflict', 'this dispensing (its MsgId) is already stored for another EU prescription: a MsgId names one dispensing', M10_MSG_ID) };
    const outcome = await orWhenKeyTaken(keyTaken, deps.store.dispenseEu<Answer>(euId, (previous) => {
      const convert = (earlier: StoredEuDispensing[]) => convertDispenseToEu(prescription, read.message, { previous: earlier, now: now() });
      const again = previous.find((p) => p.dispenseKey === read.message.msgHead.msgInfo.msgId);
      if (again) {
        // Sent again: a retry if it converts, against what was stored before it, to the stored eDispensation.
        const fresh = convert(previous.slice(0, previous.indexOf(again)));
        if (fresh.ok && sameEuDispensing(again.bundle, fresh.bundle)) return { result: { status: 200, body: operationResult({ return: again.bundle, report: again.report }) } };
        return { result: { status: 409, body: xmlLocatedOutcome('conflict', 'this dispensing (its MsgId) is already stored with other content, and a stored dispensing does not change: annul it (Annullering) and send the correction as a new M10 with its own MsgId', M10_MSG_ID) } };
      }
      const r = convert(previous);
      // The conversion locates refusals about the prescription in its Bundle; here that Bundle is a parameter.
      if (!r.ok) return { result: { status: REFUSAL_STATUS[r.refusal], body: placedIn(r.report, 'Bundle', `Parameters.parameter[${prescriptionAt}].resource`) } };
      return {
        result: { status: 201, body: operationResult({ return: r.bundle, report: r.report }) },
        store: { ...r.stored, euPrescriptionId: r.prescriptionId, dispensedOn: r.dispensedOn, bundle: r.bundle, report: r.report },
      };
    }));
    const patient = bundlePatient(prescription);
    await audit(res, { operation: 'convert-dispense-to-eu', action: 'C', outcome: outcomeOf(outcome.status), ...(patient ? { patient } : {}) });
    res.status(outcome.status).type(FHIR_JSON).json(outcome.body);
  });

  for (const path of ['/fhir/$convert-m1-to-eu', '/fhir/$convert-eu-dispense-to-m10', '/fhir/$render-eu-prescription', '/fhir/$convert-dispense-to-eu']) {
    router.all(path, methodNotAllowed(['POST']));
  }
  router.all('/reseptformidler/utleveringer/:reseptId', methodNotAllowed(['GET']));
  return router;
}
