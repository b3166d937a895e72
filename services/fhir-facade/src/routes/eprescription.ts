/**
 * Step-1 e-prescription operations (names fixed by the conversion issue):
 * - `POST /fhir/$convert-m1-to-eu` (M1 XML) → Parameters {return: EU ePrescription Bundle, report}; records the release.
 * - `POST /fhir/$convert-eu-dispense-to-m10` (EU eDispensation Bundle) → 201 Parameters {return: Binary M10, report};
 *   the M10 is stored in Reseptformidleren. The same dispensation again → 200 with the stored M10.
 * - `GET /reseptformidler/utleveringer/{reseptId}` → what Reseptformidleren stores for the prescription.
 */
import {
  convertEuDispenseToM10, convertM1ToEuPrescription, dispenseKey, entriesOfType, ereseptIssuesToOutcome, readM1,
  type EreseptXsdValidator, type ForeignPharmacyIdentity, type RefusalKind,
} from '@ehds-no/core';
import type { Binary, Bundle, CapabilityStatementRestResourceOperation, MedicationDispense, OperationOutcome, Parameters } from '@medplum/fhirtypes';
import { Router } from 'express';
import { fhirJsonBody, xmlBody } from '../fhir/content-type.js';
import { FHIR_JSON, HttpProblem, operationOutcome } from '../fhir/operation-outcome.js';
import { operationResult } from '../fhir/parameters.js';
import type { EprescriptionStore, StoredUtlevering } from '../storage/eprescription-store.js';

/** What the e-prescription routes need. */
export interface EprescriptionDeps {
  readonly store: EprescriptionStore;
  readonly allowSyntheticIdentities: boolean;
  readonly foreignPharmacy: ForeignPharmacyIdentity;
  readonly ereseptXsd?: EreseptXsdValidator;
  readonly now?: () => Date;
}

/** Operations these routes add to the CapabilityStatement. */
export const EPRESCRIPTION_OPERATIONS: CapabilityStatementRestResourceOperation[] = [
  { name: 'convert-m1-to-eu', definition: 'https://ehds-no.github.io/fhir/OperationDefinition/convert-m1-to-eu', documentation: 'Norwegian M1 e-resept → EU ePrescription (HL7 Europe MPD); records the release to the EU' },
  { name: 'convert-eu-dispense-to-m10', definition: 'https://ehds-no.github.io/fhir/OperationDefinition/convert-eu-dispense-to-m10', documentation: 'EU eDispensation → Norwegian M10, stored in Reseptformidleren' },
];

const REFUSAL_STATUS: Record<RefusalKind, number> = { invalid: 400, 'business-rule': 422, conflict: 409 };
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

  router.post('/fhir/$convert-m1-to-eu', ...xmlBody, async (req, res) => {
    const xml = typeof req.body === 'string' ? req.body : '';
    const read = readM1(xml, { allowSyntheticIdentities: deps.allowSyntheticIdentities });
    if (!read.ok) throw new HttpProblem(400, ereseptIssuesToOutcome(read.issues));
    const xsdIssues = deps.ereseptXsd?.validate(xml) ?? [];
    if (xsdIssues.length > 0) throw new HttpProblem(400, ereseptIssuesToOutcome(xsdIssues));
    const result = convertM1ToEuPrescription(read.message, { now: now() });
    if (!result.release) throw new HttpProblem(422, result.report);
    const stored = await deps.store.recordRelease(result.release, result.bundle);
    res.status(200).type(FHIR_JSON).json(operationResult({ return: stored.bundle, report: result.report }));
  });

  router.post('/fhir/$convert-eu-dispense-to-m10', ...fhirJsonBody, async (req, res) => {
    const bundle = req.body as Bundle;
    if (bundle?.resourceType !== 'Bundle') throw new HttpProblem(400, operationOutcome('structure', 'the body must be a FHIR Bundle with a MedicationDispense', 'Bundle'));
    const first = entriesOfType<MedicationDispense>(bundle, 'MedicationDispense')[0]?.resource;
    const key = first ? dispenseKey(first) : undefined;
    const reseptId = first?.authorizingPrescription?.map((r) => r.identifier?.value).find((v) => v) ?? '';
    const outcome = await deps.store.dispense<{ status: number; body: Parameters | OperationOutcome }>(reseptId, (release, previous) => {
      const again = key ? previous.find((p) => p.dispenseKey === key) : undefined;
      if (again) return { result: { status: 200, body: operationResult({ return: m10Binary(again.m10Xml), report: again.report }) } };
      const r = convertEuDispenseToM10(bundle, { release, previous, now: now(), foreignPharmacy: deps.foreignPharmacy });
      if (!r.ok) return { result: { status: REFUSAL_STATUS[r.refusal], body: r.report } };
      return {
        result: { status: 201, body: operationResult({ return: m10Binary(r.xml), report: r.report }) },
        store: { ...r.stored, reseptId: r.reseptId, m10Xml: r.xml, report: r.report },
      };
    });
    res.status(outcome.status).type(FHIR_JSON).json(outcome.body);
  });

  router.get('/reseptformidler/utleveringer/:reseptId', async (req, res) => {
    const { reseptId } = req.params;
    if (!UUID.test(reseptId)) throw new HttpProblem(400, operationOutcome('value', 'a ReseptId is a UUID', 'reseptId'));
    const release = await deps.store.release(reseptId);
    if (!release) throw new HttpProblem(404, operationOutcome('not-found', `no prescription ${reseptId} was released to the EU`));
    const utleveringer = await deps.store.utleveringer(reseptId);
    res.json({ reseptId, utlevertIEu: true, frigitt: release.release.releasedAt, utleveringer: utleveringer.map(asJson) });
  });

  return router;
}
