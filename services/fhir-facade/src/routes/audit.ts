/**
 * `GET /fhir/AuditEvent?patient=<system>|<value>`: who did what with a patient's data (searchset Bundle,
 * newest first). The patient's access log, as the EHDS gives citizens the right to see it.
 */
import type { Bundle, CapabilityStatementRestResource } from '@medplum/fhirtypes';
import { Router } from 'express';
import { SCOPE } from '../auth/caller.js';
import { requireScope } from '../auth/require-scope.js';
import type { TokenVerifier } from '../auth/token-verifier.js';
import { methodNotAllowed } from '../fhir/method-not-allowed.js';
import { FHIR_JSON, HttpProblem, operationOutcome } from '../fhir/operation-outcome.js';
import type { AuditStore } from '../storage/audit-store.js';

/** The AuditEvent resource as the CapabilityStatement lists it. */
export const AUDIT_EVENT_RESOURCE: CapabilityStatementRestResource = {
  type: 'AuditEvent',
  interaction: [{ code: 'search-type' }],
  searchParam: [{ name: 'patient', type: 'token', documentation: 'the patient identifier, as system|value' }],
};

/** The router for the audit log. */
export function auditRouter(store: AuditStore, verifier: TokenVerifier): Router {
  const router = Router();
  router.get('/fhir/AuditEvent', requireScope(verifier, SCOPE.auditRead), async (req, res) => {
    const token = typeof req.query.patient === 'string' ? req.query.patient : '';
    const bar = token.indexOf('|');
    if (bar <= 0 || bar === token.length - 1) {
      throw new HttpProblem(400, operationOutcome('value', 'patient must be given as <system>|<value>, e.g. urn:oid:2.16.578.1.12.4.1.4.1|<fødselsnummer>', 'patient'));
    }
    const events = await store.forPatient(token.slice(0, bar), token.slice(bar + 1));
    const bundle: Bundle = { resourceType: 'Bundle', type: 'searchset', total: events.length, entry: events.map((resource) => ({ resource, search: { mode: 'match' } })) };
    res.type(FHIR_JSON).json(bundle);
  });
  router.all('/fhir/AuditEvent', methodNotAllowed(['GET']));
  return router;
}
