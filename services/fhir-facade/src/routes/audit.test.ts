/**
 * `GET /fhir/AuditEvent` over a real database: who may read which log (auditor, person-bound token,
 * neither), that each search of the log is itself recorded, paging with a true total and a next link that
 * stays stable while events are added, date ranges, and the R4 patient forms.
 */
import { IDENTIFIER_SYSTEM, syntheticPersonNumber } from '@ehds-no/core';
import type { AuditEvent, Bundle } from '@medplum/fhirtypes';
import request from 'supertest';
import { auditEvent, AUDIT_OUTCOME } from '../audit/audit-event.js';
import { CLAIM, ROLE, SCOPE, type Caller } from '../auth/caller.js';
import { devIssuer, type DevIssuer } from '../auth/token-verifier.js';
import { DEV_TOKEN_AUDIENCE } from '../config.js';
import { errorHandler } from '../fhir/errors.js';
import { createLogger } from '../logging.js';
import { AuditStore } from '../storage/audit-store.js';
import type { Database } from '../storage/database.js';
import { DatabaseSummaryStore } from '../storage/summary-store.js';
import { testDatabase } from '../test-support/test-database.js';
import express from 'express';
import { auditRouter } from './audit.js';

const ANNE = syntheticPersonNumber({ birthDate: '1961-07-15', sex: 'female' });
const BO = syntheticPersonNumber({ birthDate: '1990-03-02', sex: 'male' });
const anne = { system: IDENTIFIER_SYSTEM.fnr, value: ANNE };
const bo = { system: IDENTIFIER_SYSTEM.fnr, value: BO };
/** When the searches of the log are recorded: after every event of the test data. */
const SEARCHED_AT = new Date('2026-12-05T12:00:00Z');
const clinician: Caller = { subject: 'epj-client', scopes: new Set([SCOPE.summaryRead]), hpr: '565104311' };

let db: Database;
let store: AuditStore;
let summaries: DatabaseSummaryStore;
let issuer: DevIssuer;
let app: express.Express;
let auditor: string;
let anneToken: string;
let nobody: string;

/** Records `n` summary reads of `patient`, a minute apart from `start`. */
async function reads(patient: typeof anne, n: number, start: string): Promise<void> {
  for (let i = 0; i < n; i++) {
    const recorded = new Date(new Date(start).getTime() + i * 60_000);
    await store.record(auditEvent({ operation: 'summary', action: 'R', caller: clinician, patient, outcome: AUDIT_OUTCOME.success, recorded }), patient);
  }
}

const get = (bearer: string, query: Record<string, string | string[]> = {}) => request(app).get('/fhir/AuditEvent').query(query).set('Authorization', `Bearer ${bearer}`);
const eventsOf = (b: Bundle) => (b.entry ?? []).map((e) => e.resource as AuditEvent);
const nextOf = (b: Bundle) => b.link?.find((l) => l.relation === 'next')?.url;
const patientOf = (e: AuditEvent) => e.entity?.find((x) => x.role?.code === '1')?.what?.identifier?.value;

beforeAll(async () => {
  db = await testDatabase();
  store = new AuditStore(db);
  summaries = new DatabaseSummaryStore(db);
  issuer = await devIssuer(DEV_TOKEN_AUDIENCE);
  app = express();
  app.use(auditRouter({ store, verifier: issuer, patients: summaries, now: () => SEARCHED_AT }));
  app.use(errorHandler(createLogger({ write: () => undefined })));
  auditor = await issuer.mint({ scope: SCOPE.auditRead, [CLAIM.role]: ROLE.auditor, sub: 'auditor-1' });
  anneToken = await issuer.mint({ scope: SCOPE.auditRead, [CLAIM.pid]: ANNE, sub: 'anne' });
  nobody = await issuer.mint({ scope: SCOPE.auditRead, sub: 'someone' });
  await reads(anne, 120, '2026-11-30T12:00:00Z');
  await reads(bo, 30, '2026-12-01T08:00:00Z');
});
afterAll(() => db.close());

describe('who may read the log', () => {
  it('a token with neither the auditor role nor a person: 403, and the attempt is recorded', async () => {
    const res = await get(nobody, { patient: `${bo.system}|${bo.value}` }).expect(403);
    expect(res.body.issue[0]).toMatchObject({ code: 'forbidden', diagnostics: expect.stringContaining(ROLE.auditor) });
    const log = await get(auditor, { patient: `${bo.system}|${bo.value}`, _count: '1' }).expect(200);
    expect(eventsOf(log.body)[0]).toMatchObject({ subtype: [{ display: 'search-audit-event' }], outcome: AUDIT_OUTCOME.refused, agent: [{ who: { identifier: { value: 'someone' } } }] });
  });

  it('a token bound to a person reads that person\'s log only, with or without naming them; another person\'s is a 403', async () => {
    const own = await get(anneToken, { _count: '500' }).expect(200);
    expect(eventsOf(own.body).every((e) => patientOf(e) === ANNE)).toBe(true);
    expect(own.body.total).toBeGreaterThanOrEqual(120);
    await get(anneToken, { 'patient:identifier': `${anne.system}|${anne.value}`, _count: '1' }).expect(200);
    await get(anneToken, { patient: `${bo.system}|${bo.value}` }).expect(403);
    await get(anneToken, { patient: 'Patient/0b9d5c2e-1f3a-4d5b-8c7e-9a0b1c2d3e4f' }).expect(403);
  });

  it('an auditor reads any patient\'s log, and the whole log', async () => {
    const bos = await get(auditor, { patient: `${bo.system}|${bo.value}`, date: 'lt2026-12-02' }).expect(200);
    expect(bos.body.total).toBe(30);
    const all = await get(auditor, { _count: '1' }).expect(200);
    expect(all.body.total).toBeGreaterThanOrEqual(150);
  });

  it('records every search of the log: who read whose log', async () => {
    await get(auditor, { patient: `${anne.system}|${anne.value}`, _count: '1' }).expect(200);
    const own = await get(anneToken, { _count: '5' }).expect(200);
    const searches = eventsOf(own.body).filter((e) => e.subtype?.[0]?.display === 'search-audit-event');
    expect(searches.map((e) => e.agent[0]?.who?.identifier?.value)).toEqual(expect.arrayContaining(['auditor-1']));
    expect(searches.every((e) => e.outcome === AUDIT_OUTCOME.success && e.action === 'E' && patientOf(e) === ANNE)).toBe(true);
  });
});

describe('paging', () => {
  it('gives a true total and next links through every event once, stable while events are added', async () => {
    const query = { patient: `${anne.system}|${anne.value}`, date: 'lt2026-12-01T00:00:00Z', _count: '50' };
    const first = await get(auditor, query).expect(200);
    expect(first.body.total).toBe(120);
    expect(eventsOf(first.body)).toHaveLength(50);
    const seen = eventsOf(first.body).map((e) => e.id);
    // Events recorded meanwhile are newer than any on the pages: with offsets they would push the first
    // page's last events onto the second; the keyset pages go on where the first stopped.
    await reads(anne, 3, '2026-11-30T22:00:00Z');
    let total = 0;
    let next = nextOf(first.body);
    let pages = 1;
    while (next) {
      const url = new URL(next);
      expect(url.pathname).toBe('/fhir/AuditEvent');
      const page = await request(app).get(`${url.pathname}${url.search}`).set('Authorization', `Bearer ${auditor}`).expect(200);
      seen.push(...eventsOf(page.body).map((e) => e.id));
      total = page.body.total;
      next = nextOf(page.body);
      pages++;
    }
    expect(pages).toBe(3);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toHaveLength(120);
    expect(total).toBe(123);
  });

  it('lists newest first and stops with no next link on the last page', async () => {
    const page = await get(auditor, { patient: `${bo.system}|${bo.value}`, date: ['ge2026-12-01T08:00:00Z', 'lt2026-12-01T08:10:00Z'] }).expect(200);
    expect(page.body.total).toBe(10);
    const recorded = eventsOf(page.body).map((e) => e.recorded as string);
    expect(recorded).toEqual([...recorded].sort().reverse());
    expect(nextOf(page.body)).toBeUndefined();
  });
});

describe('search parameters', () => {
  it('patient as a reference to the summary\'s Patient id', async () => {
    const patient = await summaries.patientByKey(bo, true);
    const byId = await get(auditor, { patient: `Patient/${patient!.id}`, date: 'lt2026-12-02' }).expect(200);
    expect(byId.body.total).toBe(30);
    const unknown = await get(auditor, { patient: 'Patient/0b9d5c2e-1f3a-4d5b-8c7e-9a0b1c2d3e4f' }).expect(200);
    expect(unknown.body).toMatchObject({ total: 0 });
    expect(unknown.body.entry).toBeUndefined();
  });

  it('a day without a zone is a day in Norway', async () => {
    // Bo's reads are at 08:00–08:29 UTC on 1 December, 09:00–09:29 in Oslo.
    expect((await get(auditor, { patient: `${bo.system}|${bo.value}`, date: '2026-12-01' }).expect(200)).body.total).toBe(30);
    expect((await get(auditor, { patient: `${bo.system}|${bo.value}`, date: ['gt2026-12-01', 'lt2026-12-03'] }).expect(200)).body.total).toBe(0);
  });

  it('400 naming an unknown parameter, a malformed patient and a bad _count', async () => {
    const unknown = await get(auditor, { subject: 'x' }).expect(400);
    expect(unknown.body.issue[0]).toMatchObject({ expression: ['subject'] });
    expect((await get(auditor, { patient: '12835412073' }).expect(400)).body.issue[0].expression).toEqual(['patient']);
    expect((await get(auditor, { _count: '100000' }).expect(400)).body.issue[0].expression).toEqual(['_count']);
  });
});
