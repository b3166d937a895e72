/**
 * `GET /fhir/AuditEvent`: who did what with a patient's data (searchset Bundle, newest first, paged). The
 * patient's access log, as the EHDS gives citizens the right to see it.
 *
 * Who may read what follows who asks (besides the scope `ehds/audit.read`): a token with the auditor role
 * ({@link ROLE.auditor} in the `ehds-no/role` claim) reads every patient's log, or the whole log; a token
 * bound to a person (HelseID's `helseid://claims/identity/pid`) reads only that person's log, and asking
 * for anyone else's is a 403; any other token gets a 403. Every search of the log, allowed or refused, is
 * itself recorded as an AuditEvent about the patient whose log it was, before the answer goes out.
 */
import type { Bundle, BundleLink, CapabilityStatementRestResource } from '@medplum/fhirtypes';
import type { SummaryStore } from '@ehds-no/core';
import { Router, type Request, type Response } from 'express';
import { auditEvent, AUDIT_OUTCOME } from '../audit/audit-event.js';
import { AUDIT_PAGE_SIZE, encodeCursor, readAuditSearch, type AuditCursor, type AuditSearch } from '../audit/audit-search.js';
import { CLAIM, ROLE, SCOPE, type PersonIdentifier } from '../auth/caller.js';
import { callerOf, requireScope } from '../auth/require-scope.js';
import type { TokenVerifier } from '../auth/token-verifier.js';
import { methodNotAllowed } from '../fhir/method-not-allowed.js';
import { FHIR_JSON, HttpProblem, operationOutcome } from '../fhir/operation-outcome.js';
import type { AuditStore } from '../storage/audit-store.js';

/** The AuditEvent resource as the CapabilityStatement lists it. */
export const AUDIT_EVENT_RESOURCE: CapabilityStatementRestResource = {
  type: 'AuditEvent',
  interaction: [{ code: 'search-type' }],
  searchParam: [
    { name: 'patient', type: 'reference', documentation: 'Patient/<id> (the summary\'s Patient id); patient:identifier=<system>|<value> (or patient=<system>|<value>) by fødselsnummer or D-nummer' },
    { name: 'date', type: 'date', documentation: 'when the event was recorded; prefixes eq, gt, lt, ge, le; a date without a zone is a day in Norway' },
    { name: '_count', type: 'number', documentation: `page size, 1 to ${AUDIT_PAGE_SIZE.max} (default ${AUDIT_PAGE_SIZE.default}); the Bundle's next link gives the next page` },
  ],
};

/** The operation an AuditEvent names for a search of the log. */
const SEARCH_OPERATION = 'search-audit-event';

/** What the audit router needs. */
export interface AuditDeps {
  readonly store: AuditStore;
  readonly verifier: TokenVerifier;
  /** The summary's patients, to resolve `patient=Patient/<id>` (absent: no Patient ids are known). */
  readonly patients?: Pick<SummaryStore, 'patientById'>;
  /** The clock the searches are recorded with (default: the real one). */
  readonly now?: () => Date;
}

const samePerson = (a: PersonIdentifier, b: PersonIdentifier) => a.system === b.system && a.value === b.value;

/** The query string of `search` with `_cursor` at `after`: the next page's link. */
function pageLink(req: Request, after: AuditCursor | undefined): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(req.query)) {
    if (name === '_cursor') continue;
    for (const v of Array.isArray(value) ? value : [value]) params.append(name, String(v));
  }
  if (after) params.set('_cursor', encodeCursor(after));
  const query = params.toString();
  return `${req.protocol}://${req.get('host') ?? 'localhost'}${req.baseUrl}${req.path}${query ? `?${query}` : ''}`;
}

/** The router for the audit log. */
export function auditRouter(deps: AuditDeps): Router {
  const router = Router();
  const now = deps.now ?? (() => new Date());

  /** Records this search of the log; the answer waits for it, so that no read of the log goes unrecorded. */
  const recordSearch = (res: Response, outcome: (typeof AUDIT_OUTCOME)[keyof typeof AUDIT_OUTCOME], patient?: PersonIdentifier) =>
    deps.store.record(auditEvent({ operation: SEARCH_OPERATION, action: 'E', caller: callerOf(res), outcome, recorded: now(), ...(patient ? { patient } : {}) }), patient);

  const refuse = async (res: Response, diagnostics: string, patient?: PersonIdentifier): Promise<never> => {
    await recordSearch(res, AUDIT_OUTCOME.refused, patient);
    throw new HttpProblem(403, operationOutcome('forbidden', diagnostics));
  };

  router.get('/fhir/AuditEvent', requireScope(deps.verifier, SCOPE.auditRead), async (req, res) => {
    const search: AuditSearch = readAuditSearch(req.query as Record<string, unknown>);
    const caller = callerOf(res);
    // `null`: a Patient id that names nobody known here.
    let patient: PersonIdentifier | null | undefined;
    if (search.patient?.kind === 'identifier') patient = { system: search.patient.system, value: search.patient.value };
    else if (search.patient?.kind === 'id') {
      const found = await deps.patients?.patientById(search.patient.id);
      patient = found ? { system: found.key.system, value: found.key.value } : null;
    }
    if (caller.role !== ROLE.auditor) {
      if (!caller.person) {
        await refuse(res, `reading the access log needs the auditor role (${CLAIM.role} = ${ROLE.auditor}) or a token bound to a person (${CLAIM.pid})`, patient ?? undefined);
      } else if (patient !== undefined && (patient === null || !samePerson(patient, caller.person))) {
        await refuse(res, 'a token bound to a person reads only that person\'s access log', patient ?? undefined);
      }
      patient = caller.person;
    }
    const page =
      patient === null
        ? { events: [], total: 0 }
        : await deps.store.search({ ...(patient ? { patient } : {}), ...(search.notBefore ? { notBefore: search.notBefore } : {}), ...(search.before ? { before: search.before } : {}) }, search.count, search.after);
    await recordSearch(res, AUDIT_OUTCOME.success, patient ?? undefined);
    const link: BundleLink[] = [{ relation: 'self', url: pageLink(req, search.after) }];
    if ('next' in page && page.next) link.push({ relation: 'next', url: pageLink(req, page.next) });
    const bundle: Bundle = { resourceType: 'Bundle', type: 'searchset', total: page.total, link };
    // No empty array in FHIR JSON: an empty page has no entry at all.
    if (page.events.length) bundle.entry = page.events.map((resource) => ({ resource, search: { mode: 'match' } }));
    res.type(FHIR_JSON).json(bundle);
  });
  router.all('/fhir/AuditEvent', methodNotAllowed(['GET']));
  return router;
}
