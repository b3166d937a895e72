import {
  buildChangeNotification, fetchAllSources, IDENTIFIER_SYSTEM, InMemorySnapshotCache, inMemorySourcePorts, PatientSummaryService, resilientSources,
  SYSTEM, syntheticPersonNumber, type PatientSourceData,
} from '@ehds-no/core';
import type { AllergyIntolerance, AuditEvent, Bundle, Composition, OperationOutcome } from '@medplum/fhirtypes';
import request from 'supertest';
import { createApp } from '../app.js';
import { CLAIM, ROLE, SCOPE } from '../auth/caller.js';
import { devIssuer, type DevIssuer } from '../auth/token-verifier.js';
import { DEV_TOKEN_AUDIENCE } from '../config.js';
import { createLogger } from '../logging.js';
import type { Database } from '../storage/database.js';
import { AuditStore } from '../storage/audit-store.js';
import { DatabaseSummaryStore } from '../storage/summary-store.js';
import { TEST_BACKEND, testDatabase } from '../test-support/test-database.js';

const FNR = syntheticPersonNumber({ birthDate: '1961-07-15', sex: 'female' });
const DNR = syntheticPersonNumber({ birthDate: '1990-03-02', sex: 'male', kind: 'dnr' });
const UNKNOWN = syntheticPersonNumber({ birthDate: '1975-01-01', sex: 'male' });
const fnrToken = `${IDENTIFIER_SYSTEM.fnr}|${FNR}`;

const allergy = (id: string, code: string): AllergyIntolerance => ({
  resourceType: 'AllergyIntolerance', id, patient: { reference: 'Patient/kj' }, recordedDate: `2020-0${id.length}-01`,
  code: { coding: [{ system: SYSTEM.atc, code }] }, verificationStatus: { coding: [{ system: SYSTEM.allergyVerification, code: 'confirmed' }] },
});

const person = (value: string, system: string, resources: AllergyIntolerance[]): PatientSourceData => ({
  slug: value === FNR ? 'route-test' : 'route-test-dnr',
  key: { system, value },
  data: {
    // The allergies name this Patient (Patient/kj): a source's answer about someone else is refused.
    kjernejournal: { patient: { resourceType: 'Patient', id: 'kj', identifier: [{ system, value }], name: [{ family: 'Rute', given: ['Test'] }] }, resources },
    pll: {},
    reseptformidleren: { prescriptions: [] },
    npr: { records: [] },
    kpr: { records: [] },
  },
});

let db: Database;
let issuer: DevIssuer;
let token: string;
let patients: PatientSourceData[];
let app: ReturnType<typeof createApp>;
const logLines: string[] = [];
const logger = createLogger({ write: (line: string) => void logLines.push(line) });

function appOver(data: PatientSourceData[]) {
  const sources = resilientSources(inMemorySourcePorts(data));
  const cache = new InMemorySnapshotCache();
  const store = new DatabaseSummaryStore(db);
  const service = new PatientSummaryService({ store, fetchSources: (key) => fetchAllSources(sources, cache, key), allowSyntheticIdentities: true });
  return createApp({ version: 'test', logger, db, devIssuer: issuer, summary: { service, store, verifier: issuer, audit: new AuditStore(db), allowSyntheticIdentities: true } });
}

const as = (target: ReturnType<typeof createApp>, bearer = token) => request.agent(target).set('Authorization', `Bearer ${bearer}`);
const summaryOf = (identifier: string, query = '') => as(app).get(`/fhir/Patient/$summary?identifier=${encodeURIComponent(identifier)}${query}`);
const composition = (b: Bundle) => b.entry?.[0]?.resource as Composition;
const firstIssue = (b: OperationOutcome) => b.issue?.[0];

beforeAll(async () => {
  issuer = await devIssuer(DEV_TOKEN_AUDIENCE);
  token = await issuer.mint({ scope: Object.values(SCOPE).join(' '), 'helseid://claims/hpr/hpr_number': '565104311', name: 'Lege Legesen' });
});
beforeEach(async () => {
  db = await testDatabase();
  patients = [person(FNR, IDENTIFIER_SYSTEM.fnr, [allergy('a1', 'J01CE02'), allergy('a22', 'N02BE01')]), person(DNR, IDENTIFIER_SYSTEM.dnr, [])];
  app = appOver(patients);
});
afterEach(async () => db.close());

describe(`patient summary routes on ${TEST_BACKEND}`, () => {
  it('GET Patient/$summary by fødselsnummer and D-nummer gives the document, in nb or en', async () => {
    const res = await summaryOf(fnrToken).expect(200).expect('Content-Type', /application\/fhir\+json/);
    expect(res.body.type).toBe('document');
    expect(composition(res.body).section).toHaveLength(6);
    expect(composition(res.body).language).toBe('nb');
    const en = await summaryOf(fnrToken, '&language=en&profile=http%3A%2F%2Fhl7.eu%2Ffhir%2Feps%2FStructureDefinition%2Fbundle-eu-eps').expect(200);
    expect(composition(en.body).title).toBe('Patient Summary');
    await summaryOf(`${IDENTIFIER_SYSTEM.dnr}|${DNR}`).expect(200);
  });

  it('the CapabilityStatement lists the summary operations and the supported profiles', async () => {
    const meta = (await request(app).get('/fhir/metadata').expect(200)).body as { rest: { resource: { type: string; supportedProfile?: string[]; operation?: { name: string }[] }[] }[] };
    const byType = (t: string) => meta.rest[0]!.resource.find((r) => r.type === t);
    expect(byType('Patient')?.operation?.map((o) => o.name)).toEqual(['summary', 'mark-relevant', 'unmark-relevant']);
    expect(byType('Bundle')?.supportedProfile).toEqual(expect.arrayContaining(['http://hl7.eu/fhir/eps/StructureDefinition/bundle-eu-eps', 'http://hl7.org/fhir/uv/ips/StructureDefinition/Bundle-uv-ips']));
  });

  it('GET Patient/{id}/$summary with the id from the document', async () => {
    const first = await summaryOf(fnrToken).expect(200);
    const id = first.body.id as string;
    expect(id).not.toContain(FNR);
    const again = await as(app).get(`/fhir/Patient/${id}/$summary`).expect(200);
    expect(again.body.meta.versionId).toBe('1');
    await as(app).get('/fhir/Patient/3f2504e0-4f89-41d3-9a0c-0305e82c3301/$summary').expect(404);
  });

  it('400 for a malformed identifier, language or profile; 404 for an unknown person', async () => {
    expect(firstIssue((await as(app).get('/fhir/Patient/$summary').expect(400)).body)?.expression).toEqual(['identifier']);
    expect(firstIssue((await summaryOf(`${IDENTIFIER_SYSTEM.fnr}|12345678901`).expect(400)).body)?.diagnostics).toMatch(/fødselsnummer/);
    await summaryOf(`urn:oid:1.2.3|${FNR}`).expect(400);
    await summaryOf(`${IDENTIFIER_SYSTEM.dnr}|${FNR}`).expect(400);
    await summaryOf(fnrToken, '&language=de').expect(400);
    await summaryOf(fnrToken, '&profile=http%3A%2F%2Fexample.org%2Fx').expect(400);
    const unknown = await summaryOf(`${IDENTIFIER_SYSTEM.fnr}|${UNKNOWN}`).expect(404);
    expect(firstIssue(unknown.body)?.code).toBe('not-found');
  });

  it('401 without a token, 403 without the scope, 405 for a wrong method, 406 for an Accept it cannot give', async () => {
    const res = await request(app).get(`/fhir/Patient/$summary?identifier=${encodeURIComponent(fnrToken)}`).expect(401);
    expect(res.headers['www-authenticate']).toMatch(/Bearer/);
    const narrow = await issuer.mint({ scope: SCOPE.eprescriptionConvert });
    await as(app, narrow).get(`/fhir/Patient/$summary?identifier=${encodeURIComponent(fnrToken)}`).expect(403);
    await as(app).post('/fhir/Patient/$summary').expect(405);
    await summaryOf(fnrToken).set('Accept', 'text/html').expect(406);
    await request(app).get('/fhir/metadata').set('Accept', 'application/fhir+xml').expect(406);
    await request(app).get('/fhir/metadata').set('Accept', 'application/json').expect(200);
    await as(app).get(`/fhir/AuditEvent?patient=${encodeURIComponent(fnrToken)}`).set('Accept', 'text/plain').expect(406);
  });

  it('audits every summary read, readable as the patient’s access log', async () => {
    await summaryOf(fnrToken).expect(200);
    await summaryOf(fnrToken).expect(200);
    // Every patient's log is an auditor's to read (routes/audit.ts).
    const auditor = await issuer.mint({ scope: SCOPE.auditRead, [CLAIM.role]: ROLE.auditor });
    const log = await as(app, auditor).get(`/fhir/AuditEvent?patient=${encodeURIComponent(fnrToken)}`).expect(200);
    const events = (log.body as Bundle).entry?.map((e) => e.resource as AuditEvent) ?? [];
    const reads = events.filter((e) => e.subtype?.[0]?.display === 'summary');
    expect(reads).toHaveLength(2);
    expect(reads[0]?.agent[0]?.who?.identifier?.value).toBe('565104311');
    expect(reads[0]?.action).toBe('R');
  });

  it('keeps versions: unchanged → same version; changed → new version; history and vread', async () => {
    const first = await summaryOf(fnrToken).expect(200);
    const id = first.body.id as string;
    await summaryOf(fnrToken).expect(200);
    patients[0] = person(FNR, IDENTIFIER_SYSTEM.fnr, [allergy('a1', 'J01CE02')]);
    app = appOver(patients);
    const changed = await summaryOf(fnrToken).expect(200);
    expect(changed.body.meta.versionId).toBe('2');
    const history = await as(app).get(`/fhir/Bundle/${id}/_history`).expect(200);
    expect(history.body.type).toBe('history');
    expect(history.body.entry.map((e: { resource: Bundle }) => e.resource.meta?.versionId)).toEqual(['2', '1']);
    const v1 = await as(app).get(`/fhir/Bundle/${id}/_history/1`).expect(200);
    expect(composition(v1.body).section?.[2]?.entry).toHaveLength(2);
    const at = await as(app).get(`/fhir/Bundle/${id}/_history?_at=${encodeURIComponent(first.body.meta.lastUpdated)}`).expect(200);
    expect(at.body.entry.map((e: { resource: Bundle }) => e.resource.meta?.versionId)).toEqual(['1']);
    await as(app).get(`/fhir/Bundle/${id}/_history/9`).expect(404);
    await as(app).get(`/fhir/Bundle/${id}/_history?_at=yesterday`).expect(400);
  });

  it('marks and unmarks an entry; the mark names the clinician and survives a rebuild', async () => {
    const first = await summaryOf(fnrToken).expect(200);
    const id = first.body.id as string;
    const allergyRefs = composition(first.body).section?.[2]?.entry?.map((e) => e.reference) ?? [];
    const second = first.body.entry.find((e: { fullUrl: string }) => e.fullUrl === allergyRefs[1]).resource;
    const entry = `${second.resourceType}/${second.id}`;
    const params = { resourceType: 'Parameters', parameter: [{ name: 'entry', valueReference: { reference: entry } }] };
    const marked = await as(app).post(`/fhir/Patient/${id}/$mark-relevant`).set('Content-Type', 'application/fhir+json').send(params).expect(200);
    expect(composition(marked.body).section?.[2]?.entry?.[0]?.reference).toBe(allergyRefs[1]);
    expect(composition(marked.body).section?.[2]?.text?.div).toContain('Lege Legesen');
    const rebuilt = await summaryOf(fnrToken).expect(200);
    expect(composition(rebuilt.body).section?.[2]?.entry?.[0]?.reference).toBe(allergyRefs[1]);
    await as(app).post(`/fhir/Patient/${id}/$unmark-relevant`).set('Content-Type', 'application/fhir+json').send(params).expect(200);
    await as(app).post(`/fhir/Patient/${id}/$unmark-relevant`).set('Content-Type', 'application/fhir+json').send(params).expect(422);
    const missing = { resourceType: 'Parameters', parameter: [{ name: 'entry', valueReference: { reference: 'Condition/3f2504e0-4f89-41d3-9a0c-0305e82c3301' } }] };
    await as(app).post(`/fhir/Patient/${id}/$mark-relevant`).set('Content-Type', 'application/fhir+json').send(missing).expect(422);
    const bad = await as(app).post(`/fhir/Patient/${id}/$mark-relevant`).set('Content-Type', 'application/fhir+json').send({ resourceType: 'Parameters' }).expect(400);
    expect(firstIssue(bad.body)?.expression).toEqual(['Parameters.parameter']);
    await as(app).post(`/fhir/Patient/${id}/$mark-relevant`).set('Content-Type', 'text/plain').send('x').expect(415);
    const readOnly = await issuer.mint({ scope: SCOPE.summaryRead });
    await as(app, readOnly).post(`/fhir/Patient/${id}/$mark-relevant`).set('Content-Type', 'application/fhir+json').send(params).expect(403);
  });

  it('rebuilds on a change notification', async () => {
    const first = await summaryOf(fnrToken).expect(200);
    patients[0] = person(FNR, IDENTIFIER_SYSTEM.fnr, [allergy('a1', 'J01CE02'), allergy('a22', 'N02BE01'), allergy('a333', 'M01AE01')]);
    app = appOver(patients);
    const notification = buildChangeNotification({ source: 'kjernejournal', patient: { system: IDENTIFIER_SYSTEM.fnr, value: FNR }, eventNumber: 1, timestamp: '2026-11-23T10:00:00Z', subscription: 'http://127.0.0.1:4000/_sim/subscriptions/1', id: '0b7e4c0e-2f0a-4a57-9a43-5d2f7c1e9b11' });
    await as(app).post('/notifications/source-changed').set('Content-Type', 'application/fhir+json').send(notification).expect(200);
    const history = await as(app).get(`/fhir/Bundle/${first.body.id as string}/_history`).expect(200);
    expect(history.body.total).toBe(2);
    const bad = await as(app).post('/notifications/source-changed').set('Content-Type', 'application/fhir+json').send({ resourceType: 'Bundle', type: 'collection' }).expect(400);
    expect(firstIssue(bad.body)?.expression).toEqual(['Bundle.type']);
  });

  it('refuses a change notification whose focus $summary would refuse (400 at the value), storing nothing', async () => {
    const notifyAbout = (value: string) => buildChangeNotification({ source: 'pll', patient: { system: IDENTIFIER_SYSTEM.fnr, value }, eventNumber: 1, timestamp: '2026-11-23T10:00:00Z', subscription: 'http://127.0.0.1:4000/_sim/subscriptions/1', id: '0b7e4c0e-2f0a-4a57-9a43-5d2f7c1e9b11' });
    const rows = async () => (await db.query<{ n: number }>('select count(*)::int as n from summary_patient')).rows[0]?.n;
    const valueAt = "Bundle.entry[0].resource.parameter.where(name = 'notification-event').part.where(name = 'focus').value.identifier.value";
    for (const value of ['x', "' OR 1=1 --", `${FNR} `, 'A'.repeat(5000), `${FNR.slice(0, 10)}\u0000`, `${FNR.slice(0, 10)}${(Number(FNR[10]) + 1) % 10}`, DNR]) {
      const res = await as(app).post('/notifications/source-changed').set('Content-Type', 'application/fhir+json').send(notifyAbout(value)).expect(400);
      expect(res.body.resourceType).toBe('OperationOutcome');
      // A control character is refused by the body parser, at the same element by index.
      expect(firstIssue(res.body)?.expression).toEqual([value.includes('\u0000') ? expect.stringMatching(/^Bundle\.entry\[0\]\.resource\.parameter\[\d+\]\.part\[\d+\]\.valueReference\.identifier\.value$/) : valueAt]);
    }
    expect(await rows()).toBe(0);
    await as(app).post('/notifications/source-changed').set('Content-Type', 'application/fhir+json').send(notifyAbout(FNR)).expect(200);
    expect(await rows()).toBe(1);
  });

  it('400 (not 500) for a notification-event whose extension is not an array', async () => {
    const notification = buildChangeNotification({ source: 'pll', patient: { system: IDENTIFIER_SYSTEM.fnr, value: FNR }, eventNumber: 1, timestamp: '2026-11-23T10:00:00Z', subscription: 'http://127.0.0.1:4000/_sim/subscriptions/1', id: '0b7e4c0e-2f0a-4a57-9a43-5d2f7c1e9b11' });
    const event = (notification.entry?.[0]?.resource as { parameter: { name: string; extension?: unknown }[] }).parameter.find((p) => p.name === 'notification-event')!;
    event.extension = 'x';
    const res = await as(app).post('/notifications/source-changed').set('Content-Type', 'application/fhir+json').send(notification).expect(400);
    expect(firstIssue(res.body)?.expression?.[0]).toMatch(/notification-event'\)\.extension\(/);
  });

  it('vread takes a version id written plainly: 400 naming vid otherwise, 404 past the largest the store holds', async () => {
    const id = (await summaryOf(fnrToken).expect(200)).body.id as string;
    await as(app).get(`/fhir/Bundle/${id}/_history/1`).expect(200);
    for (const vid of ['0x1', '1.0', '%201', '01', '+1', '-1', '0', '1e0', 'x']) {
      const res = await as(app).get(`/fhir/Bundle/${id}/_history/${vid}`).expect(400);
      expect(firstIssue(res.body)?.expression).toEqual(['vid']);
    }
    for (const vid of ['2147483647', '2147483648', '99999999999999999999999']) await as(app).get(`/fhir/Bundle/${id}/_history/${vid}`).expect(404);
  });

  it('$mark-relevant and $unmark-relevant refuse malformed Parameters with 400 at the FHIRPath, changing nothing', async () => {
    const id = (await summaryOf(fnrToken).expect(200)).body.id as string;
    const ref = { reference: 'AllergyIntolerance/3f2504e0-4f89-41d3-9a0c-0305e82c3301' };
    const cases: Array<[unknown, string]> = [
      [{ resourceType: 'Parameters', parameter: 'x' }, 'Parameters.parameter'],
      [{ resourceType: 'Parameters', parameter: {} }, 'Parameters.parameter'],
      [{ resourceType: 'Parameters', parameter: [null] }, 'Parameters.parameter[0]'],
      [{ resourceType: 'Parameters', parameter: [{}] }, 'Parameters.parameter[0]'],
      [{ resourceType: 'Parameters', parameter: [{ name: 7 }] }, 'Parameters.parameter[0]'],
      [{ resourceType: 'Parameters', parameter: [{ name: 'entry', valueReference: ref }, { name: 'entry', valueReference: ref }] }, 'Parameters.parameter[1]'],
      [{ resourceType: 'Parameters', parameter: [{ name: 'entry', valueReference: 'x' }] }, 'Parameters.parameter[0].valueReference.reference'],
      [{ resourceType: 'Parameters', parameter: [{ name: 'entry', valueReference: { reference: ['x'] } }] }, 'Parameters.parameter[0].valueReference.reference'],
      [{ resourceType: 'Parameters', parameter: [{ name: 'other' }, { name: 'entry', valueString: 7 }] }, 'Parameters.parameter[1]'],
      [[null], 'Parameters'],
    ];
    for (const operation of ['$mark-relevant', '$unmark-relevant']) {
      for (const [body, expression] of cases) {
        const res = await as(app).post(`/fhir/Patient/${id}/${operation}`).set('Content-Type', 'application/fhir+json').send(JSON.stringify(body)).expect(400);
        expect(firstIssue(res.body)?.expression).toEqual([expression]);
      }
    }
    expect((await as(app).get(`/fhir/Bundle/${id}/_history`).expect(200)).body.total).toBe(1);
  });

  it('$mark-relevant checks language before it stores the mark', async () => {
    const first = await summaryOf(fnrToken).expect(200);
    const id = first.body.id as string;
    const allergyRefs = composition(first.body).section?.[2]?.entry?.map((e) => e.reference) ?? [];
    const second = first.body.entry.find((e: { fullUrl: string }) => e.fullUrl === allergyRefs[1]).resource;
    const params = { resourceType: 'Parameters', parameter: [{ name: 'entry', valueReference: { reference: `${second.resourceType}/${second.id}` } }] };
    await as(app).post(`/fhir/Patient/${id}/$mark-relevant?language=de`).set('Content-Type', 'application/fhir+json').send(params).expect(400);
    expect((await as(app).get(`/fhir/Bundle/${id}/_history`).expect(200)).body.total).toBe(1);
  });

  it('/readyz reports each source; a failing one makes it degraded, not unready', async () => {
    const states = { kjernejournal: 'open', pll: 'closed' };
    const withSources = createApp({ version: 'test', logger, db, sourceStates: () => states });
    expect((await request(withSources).get('/readyz').expect(200)).body).toEqual({ status: 'degraded', database: 'ok', sources: states });
    states.kjernejournal = 'closed';
    expect((await request(withSources).get('/readyz').expect(200)).body.status).toBe('ok');
  });

  it('never writes identity numbers or clinical content to the log', async () => {
    await summaryOf(fnrToken).expect(200);
    await summaryOf(`${IDENTIFIER_SYSTEM.fnr}|${UNKNOWN}`).expect(404);
    const log = logLines.join('\n');
    expect(log).not.toContain(FNR);
    expect(log).not.toContain(UNKNOWN);
    expect(log).not.toContain('J01CE02');
  });
});
