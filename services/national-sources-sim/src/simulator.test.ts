import type { Server } from 'node:http';
import { readChangeNotification, type ChangeNotificationResult } from '@ehds-no/core';
import type { Binary, Bundle } from '@medplum/fhirtypes';
import express from 'express';
import request from 'supertest';
import { createSimulator, MALFORMED_BODY, NIN_HEADER } from './simulator.js';
import { SAMPLE_M1, UNKNOWN_NIN, fullPatient, sparsePatient } from './test-support/sample-patients.js';
import { fixture } from '../../../packages/core/src/test-support/eresept-fixtures.js';

const full = fullPatient();
const sparse = sparsePatient();
const simulator = () => createSimulator({ patients: [full, sparse] });

/** Every source route, as [method, path]. */
const ROUTES: Array<['get' | 'post', string]> = [
  ['get', '/kjernejournal/Patient'],
  ['get', '/kjernejournal/AllergyIntolerance'],
  ['get', '/kjernejournal/Condition'],
  ['get', '/kjernejournal/DeviceUseStatement'],
  ['get', '/kjernejournal/Flag'],
  ['post', '/pll/Patient/$getMedication'],
  ['get', '/reseptformidleren/Binary'],
  ['get', '/npr/records'],
  ['get', '/kpr/records'],
];

const entries = (body: Bundle) => (body.entry ?? []).map((e) => e.resource);

describe('simulator: the sources', () => {
  it('Kjernejournal answers searchset Bundles by resource type', async () => {
    const { app } = simulator();
    const patient = await request(app).get('/kjernejournal/Patient').set(NIN_HEADER, full.key.value);
    expect(patient.status).toBe(200);
    expect(patient.type).toBe('application/fhir+json');
    expect(patient.body).toMatchObject({ resourceType: 'Bundle', type: 'searchset', total: 1 });
    expect(entries(patient.body)).toEqual([full.data.kjernejournal.patient]);
    expect(patient.body.entry[0].fullUrl).toMatch(/\/kjernejournal\/Patient\/kj-p1$/);
    for (const type of ['AllergyIntolerance', 'Condition', 'DeviceUseStatement', 'Flag']) {
      const res = await request(app).get(`/kjernejournal/${type}`).set(NIN_HEADER, full.key.value);
      expect(entries(res.body)).toEqual(full.data.kjernejournal.resources.filter((r) => r.resourceType === type));
    }
  });

  it('Kjernejournal: an unknown person is an empty Patient searchset (total 0)', async () => {
    const res = await request(simulator().app).get('/kjernejournal/Patient').set(NIN_HEADER, UNKNOWN_NIN);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ resourceType: 'Bundle', type: 'searchset', total: 0, entry: [] });
  });

  it('PLL: $getMedication answers the SFM Bundle, or 404 OperationOutcome without a PLL', async () => {
    const { app } = simulator();
    const res = await request(app).post('/pll/Patient/$getMedication').set(NIN_HEADER, full.key.value);
    expect(res.status).toBe(200);
    expect(res.type).toBe('application/fhir+json');
    expect(res.body).toEqual(full.data.pll.bundle);
    for (const nin of [sparse.key.value, UNKNOWN_NIN]) {
      const none = await request(app).post('/pll/Patient/$getMedication').set(NIN_HEADER, nin);
      expect(none.status).toBe(404);
      expect(none.body).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ code: 'not-found' }] });
    }
  });

  it('Reseptformidleren: one Binary per active prescription, id = ReseptId, base64 of the M1', async () => {
    const { app } = simulator();
    const res = await request(app).get('/reseptformidleren/Binary').set(NIN_HEADER, full.key.value);
    expect(res.status).toBe(200);
    const [binary] = entries(res.body) as Binary[];
    expect(binary).toMatchObject({ resourceType: 'Binary', id: SAMPLE_M1.reseptId, contentType: 'application/xml' });
    expect(Buffer.from(binary!.data!, 'base64').toString('utf8')).toBe(fixture(SAMPLE_M1.file));
    expect((await request(app).get('/reseptformidleren/Binary').set(NIN_HEADER, UNKNOWN_NIN)).body.total).toBe(0);
  });

  it.each(['npr', 'kpr'] as const)('%s: GET /records answers { records } as application/json', async (source) => {
    const { app } = simulator();
    const res = await request(app).get(`/${source}/records`).set(NIN_HEADER, full.key.value);
    expect(res.status).toBe(200);
    expect(res.type).toBe('application/json');
    expect(res.body).toEqual({ records: full.data[source].records });
    expect((await request(app).get(`/${source}/records`).set(NIN_HEADER, UNKNOWN_NIN)).body).toEqual({ records: [] });
  });

  it.each(ROUTES)('%s %s without the nhn-patient-nin header is 400 OperationOutcome', async (method, path) => {
    const res = await request(simulator().app)[method](path);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ code: 'required' }] });
  });

  it('refuses a header that is not a person number, and never needs the number in the URL', async () => {
    const res = await request(simulator().app).get('/npr/records').set(NIN_HEADER, 'abc');
    expect(res.status).toBe(400);
  });

  it('answers unknown paths with 404 OperationOutcome', async () => {
    const res = await request(simulator().app).get('/helsenorge/Patient');
    expect(res.status).toBe(404);
    expect(res.body.resourceType).toBe('OperationOutcome');
  });
});

describe('simulator: faults', () => {
  it('error: the given status (default 503) with an OperationOutcome, on that source only', async () => {
    const { app } = simulator();
    expect((await request(app).put('/_sim/faults/npr').send({ kind: 'error' })).status).toBe(200);
    expect((await request(app).get('/npr/records').set(NIN_HEADER, full.key.value)).status).toBe(503);
    expect((await request(app).get('/kpr/records').set(NIN_HEADER, full.key.value)).status).toBe(200);
    await request(app).put('/_sim/faults/kjernejournal').send({ kind: 'error', status: 500 });
    const res = await request(app).get('/kjernejournal/Flag').set(NIN_HEADER, full.key.value);
    expect(res.status).toBe(500);
    expect(res.body.resourceType).toBe('OperationOutcome');
  });

  it('latency: the normal answer, later', async () => {
    const { app } = simulator();
    await request(app).put('/_sim/faults/pll').send({ kind: 'latency', latencyMs: 150 });
    const started = Date.now();
    const res = await request(app).post('/pll/Patient/$getMedication').set(NIN_HEADER, full.key.value);
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('timeout: never answers until the client gives up', async () => {
    const sim = simulator();
    await request(sim.app).put('/_sim/faults/reseptformidleren').send({ kind: 'timeout' });
    await expect(request(sim.app).get('/reseptformidleren/Binary').set(NIN_HEADER, full.key.value).timeout(200)).rejects.toMatchObject({ timeout: 200 });
    sim.faults.releaseHeld();
  });

  it('malformed: 200 with a body that is not JSON', async () => {
    const { app } = simulator();
    await request(app).put('/_sim/faults/kpr').send({ kind: 'malformed' });
    const res = await request(app).get('/kpr/records').set(NIN_HEADER, full.key.value).buffer(true).parse((r, done) => {
      let text = '';
      r.on('data', (c: Buffer) => (text += c.toString()));
      r.on('end', () => done(null, text));
    });
    expect(res.status).toBe(200);
    expect(res.type).toBe('application/json');
    expect(res.body).toBe(MALFORMED_BODY);
    expect(() => JSON.parse(res.body as string)).toThrow();
  });

  it('lists and clears faults, one or all', async () => {
    const { app } = simulator();
    await request(app).put('/_sim/faults/npr').send({ kind: 'error', status: 502 });
    await request(app).put('/_sim/faults/kpr').send({ kind: 'latency', latencyMs: 10 });
    expect((await request(app).get('/_sim/faults')).body).toEqual({ npr: { kind: 'error', status: 502 }, kpr: { kind: 'latency', latencyMs: 10 } });
    expect((await request(app).delete('/_sim/faults/npr')).status).toBe(204);
    expect(Object.keys((await request(app).get('/_sim/faults')).body)).toEqual(['kpr']);
    expect((await request(app).delete('/_sim/faults')).status).toBe(204);
    expect((await request(app).get('/_sim/faults')).body).toEqual({});
    expect((await request(app).get('/npr/records').set(NIN_HEADER, full.key.value)).status).toBe(200);
  });

  it('wrong-patient: a normal answer, but from the next test patient that has data in that source', async () => {
    const { app } = simulator();
    expect((await request(app).put('/_sim/faults/npr').send({ kind: 'wrong-patient' })).body).toEqual({ kind: 'wrong-patient' });
    // The sparse patient has no NPR records: the only other patient with some is the full one, whoever is asked.
    for (const nin of [sparse.key.value, UNKNOWN_NIN]) {
      const res = await request(app).get('/npr/records').set(NIN_HEADER, nin);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ records: full.data.npr.records });
    }
    const kj = await request(app).get('/kjernejournal/Patient').set(NIN_HEADER, full.key.value);
    expect(entries(kj.body)).toEqual([full.data.kjernejournal.patient]);
    await request(app).put('/_sim/faults/kjernejournal').send({ kind: 'wrong-patient' });
    const swapped = await request(app).get('/kjernejournal/Patient').set(NIN_HEADER, full.key.value);
    expect(entries(swapped.body)).toEqual([sparse.data.kjernejournal.patient]);
    // The other sources still answer about the person asked for.
    expect((await request(app).get('/kpr/records').set(NIN_HEADER, sparse.key.value)).body).toEqual({ records: [] });
  });

  it.each([
    [{ kind: 'explode' }, /wrong-patient/],
    [{ kind: 'latency', latencyMs: -1 }, /latencyMs/],
    [{ kind: 'error', status: 200 }, /status/],
  ])('refuses the fault %j', async (fault, message) => {
    const res = await request(simulator().app).put('/_sim/faults/npr').send(fault);
    expect(res.status).toBe(400);
    expect(res.body.issue[0].diagnostics).toMatch(message);
  });

  it('refuses an unknown source', async () => {
    expect((await request(simulator().app).put('/_sim/faults/helsenorge').send({ kind: 'error' })).status).toBe(404);
  });
});

/** A receiver of notifications on an ephemeral port. */
async function receiver(): Promise<{ url: string; received: unknown[]; close: () => Promise<void> }> {
  const received: unknown[] = [];
  const app = express();
  app.post('/notify', express.json({ type: ['application/fhir+json'] }), (req, res) => {
    received.push(req.body);
    res.status(200).end();
  });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const port = (server.address() as { port: number }).port;
  return { url: `http://127.0.0.1:${port}/notify`, received, close: () => new Promise((done) => server.close(() => done())) };
}

describe('simulator: data changes and notifications', () => {
  const newRecords = { records: [{ register: 'KPR', patient: sparse.key, episodeId: 'kpr-2', institution: {}, start: '2025-01-10', diagnoses: [{ system: '2.16.578.1.12.4.1.1.7170', code: 'T90' }], procedures: [] }] };

  it('replaces a source’s data and notifies every subscriber with a readable notification', async () => {
    const first = await receiver();
    const second = await receiver();
    try {
      const { app } = createSimulator({ patients: [full, sparse], notifyEndpoints: [first.url] });
      const subscribed = await request(app).post('/_sim/subscriptions').send({ endpoint: second.url });
      expect(subscribed.status).toBe(201);
      expect((await request(app).get('/_sim/subscriptions')).body).toEqual([{ id: '1', endpoint: first.url }, { id: '2', endpoint: second.url }]);

      const res = await request(app).put(`/_sim/patients/${sparse.slug}/kpr`).send(newRecords);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ notified: [{ subscription: '1', status: 200 }, { subscription: '2', status: 200 }] });
      expect((await request(app).get('/kpr/records').set(NIN_HEADER, sparse.key.value)).body).toEqual(newRecords);

      const expected: ChangeNotificationResult = { ok: true, source: 'kpr', patient: sparse.key };
      expect(first.received.map(readChangeNotification)).toEqual([expected]);
      expect(second.received.map(readChangeNotification)).toEqual([expected]);
    } finally {
      await first.close();
      await second.close();
    }
  });

  it('counts events per subscription and reports a subscriber it cannot reach', async () => {
    const live = await receiver();
    try {
      const { app } = createSimulator({ patients: [full], notifyEndpoints: [live.url, 'http://127.0.0.1:1/unreachable'], notifyTimeoutMs: 1000 });
      await request(app).put(`/_sim/patients/${full.slug}/pll`).send({});
      const res = await request(app).put(`/_sim/patients/${full.slug}/reseptformidleren`).send({ prescriptions: [] });
      expect(res.body.notified).toEqual([{ subscription: '1', status: 200 }, { subscription: '2', status: 'failed' }]);
      const events = (live.received as Bundle[]).map((b) => (b.entry![0]!.resource as { parameter: Array<{ name: string; valueString?: string }> }).parameter.find((p) => p.name === 'events-since-subscription-start')?.valueString);
      expect(events).toEqual(['1', '2']);
      expect((await request(app).post('/pll/Patient/$getMedication').set(NIN_HEADER, full.key.value)).status).toBe(404);
    } finally {
      await live.close();
    }
  });

  it.each([
    ['kjernejournal', { patient: { resourceType: 'Observation' }, resources: [] }],
    ['pll', { bundle: { resourceType: 'Parameters' } }],
    ['reseptformidleren', { prescriptions: [{ reseptId: 'has space', m1Xml: '<x/>' }] }],
    ['npr', { records: [{ register: 'NPR' }] }],
  ] as const)('refuses malformed %s data with 400 and changes nothing', async (source, body) => {
    const { app, store } = simulator();
    const res = await request(app).put(`/_sim/patients/${full.slug}/${source}`).send(body);
    expect(res.status).toBe(400);
    expect(res.body.resourceType).toBe('OperationOutcome');
    expect(store.patientBySlug(full.slug)?.data[source]).toEqual(full.data[source]);
  });

  it('404 for an unknown slug or source; subscriptions can be removed', async () => {
    const { app } = simulator();
    expect((await request(app).put('/_sim/patients/nobody/kpr').send(newRecords)).status).toBe(404);
    expect((await request(app).put(`/_sim/patients/${full.slug}/helsenorge`).send({})).status).toBe(404);
    expect((await request(app).post('/_sim/subscriptions').send({ endpoint: 'mailto:x@example.org' })).status).toBe(400);
    const { body } = await request(app).post('/_sim/subscriptions').send({ endpoint: 'http://127.0.0.1:9/x' });
    expect((await request(app).delete(`/_sim/subscriptions/${body.id}`)).status).toBe(204);
    expect((await request(app).delete(`/_sim/subscriptions/${body.id}`)).status).toBe(404);
  });
});
