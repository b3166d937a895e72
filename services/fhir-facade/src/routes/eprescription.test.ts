import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_FOREIGN_PHARMACY, readM10 } from '@ehds-no/core';
import type { Binary, Bundle, MedicationDispense, MedicationRequest, OperationOutcome, Parameters, Patient } from '@medplum/fhirtypes';
import request from 'supertest';
import { fixture, REPO_ROOT, xsdAvailable, xsdValidator } from '../../../../packages/core/src/test-support/eresept-fixtures.js';
import { createApp } from '../app.js';
import { CLAIM, ROLE, SCOPE } from '../auth/caller.js';
import { devIssuer, type DevIssuer } from '../auth/token-verifier.js';
import { DEV_TOKEN_AUDIENCE } from '../config.js';
import { ConformanceRepository } from '../conformance/repository.js';
import { createLogger } from '../logging.js';
import type { Database } from '../storage/database.js';
import { AuditStore } from '../storage/audit-store.js';
import { EprescriptionStore } from '../storage/eprescription-store.js';
import { TEST_BACKEND, testDatabase } from '../test-support/test-database.js';
import { baseFhirErrors } from '../../../../packages/core/src/test-support/fhir-validation.js';

const RESEPT_1 = '240a3213-df60-4662-9180-5b2088c69077';
const euFixture = (name: string): Bundle => JSON.parse(readFileSync(join(REPO_ROOT, 'test-data/eu', name), 'utf8')) as Bundle;

let db: Database;
let issuer: DevIssuer;
let token: string;
let app: ReturnType<typeof createApp>;

/** Every log line the apps of this file write. */
const logLines: string[] = [];
const logger = createLogger({ write: (line: string) => void logLines.push(line) });
const conformance = new ConformanceRepository();

/** An app on the test database, with the development issuer, at a fixed time. */
function appAt(now: string, rateLimitPerMinute?: number) {
  return createApp({
    version: 'test',
    logger,
    db,
    conformance,
    ...(rateLimitPerMinute ? { rateLimitPerMinute } : {}),
    devIssuer: issuer,
    eprescription: { store: new EprescriptionStore(db), audit: new AuditStore(db), verifier: issuer, allowSyntheticIdentities: true, foreignPharmacy: DEFAULT_FOREIGN_PHARMACY, now: () => new Date(now) },
  });
}

/** Requests to `target` carrying a token with every scope. */
const as = (target: ReturnType<typeof createApp>) => request.agent(target).set('Authorization', `Bearer ${token}`);

beforeAll(async () => {
  issuer = await devIssuer(DEV_TOKEN_AUDIENCE);
  token = await issuer.mint({ scope: Object.values(SCOPE).join(' '), 'helseid://claims/hpr/hpr_number': '565104311' });
});
beforeEach(async () => {
  db = await testDatabase();
  app = appAt('2024-06-10T08:00:00Z');
});
afterEach(async () => db.close());

const releaseM1 = (name: string) => as(app).post('/fhir/$convert-m1-to-eu').set('Content-Type', 'application/xml').send(fixture(name));
const dispense = (bundle: Bundle) => as(app).post('/fhir/$convert-eu-dispense-to-m10').set('Content-Type', 'application/fhir+json').send(JSON.stringify(bundle));
/** `$convert-dispense-to-eu`: a Norwegian pharmacy's M10 for an EU prescription. */
const dispenseEuPrescription = (bundle: Bundle, m10xml: string) =>
  as(app)
    .post('/fhir/$convert-dispense-to-eu')
    .set('Content-Type', 'application/fhir+json')
    .send(JSON.stringify({
      resourceType: 'Parameters',
      parameter: [
        { name: 'prescription', resource: bundle },
        { name: 'dispense', resource: { resourceType: 'Binary', contentType: 'application/xml', data: Buffer.from(m10xml).toString('base64') } },
      ],
    }));
const part = <T>(p: Parameters, name: string) => p.parameter?.find((x) => x.name === name)?.resource as T;
const m10Of = (p: Parameters) => Buffer.from(part<Binary>(p, 'return').data ?? '', 'base64').toString('utf8');

/** The same dispensation with another identifier and quantity. */
function variant(bundle: Bundle, id: string, quantity: number, handedOver?: string): Bundle {
  const copy = structuredClone(bundle);
  const d = copy.entry?.[0]?.resource as { identifier: { value: string }[]; quantity: { value: number }; whenHandedOver?: string };
  d.identifier[0]!.value = id;
  d.quantity.value = quantity;
  if (handedOver) d.whenHandedOver = handedOver;
  return copy;
}

describe(`the step-1 loop on ${TEST_BACKEND}: M1 → EU ePrescription → EU eDispensation → M10 in Reseptformidleren`, () => {
  it('converts, records the release, turns the dispensation into a valid M10 and stores it once', async () => {
    const out = await releaseM1('m1-pakning-dosering.xml').expect(200);
    const bundle = part<Bundle>(out.body, 'return');
    const mr = bundle.entry?.find((e) => e.resource?.resourceType === 'MedicationRequest')?.resource as MedicationRequest;
    expect(mr.identifier?.[0]?.value).toBe(RESEPT_1);
    expect(part<OperationOutcome>(out.body, 'report').resourceType).toBe('OperationOutcome');

    const first = await dispense(euFixture('ed-se-eliquis-same-package.json')).expect(201);
    const xml = m10Of(first.body);
    const m10 = readM10(xml, { allowSyntheticIdentities: true });
    expect(m10.ok && m10.message.utleveringsrapport.utlevering).toMatchObject({
      reseptId: RESEPT_1,
      utleveringsdato: '2024-06-12',
      annullering: false,
      avsluttet: { v: '2' },
      reseptDokLegemiddel: { antall: 1, forskrivning: { legemiddelpakning: { varenr: '481736' } } },
    });
    if (xsdAvailable()) expect((await xsdValidator()).validate(xml)).toEqual([]);

    const again = await dispense(euFixture('ed-se-eliquis-same-package.json')).expect(200);
    expect(m10Of(again.body)).toBe(xml);
    const stored = await as(app).get(`/reseptformidler/utleveringer/${RESEPT_1}`).expect(200);
    expect(stored.body.utleveringer).toHaveLength(1);
    expect(stored.body.utleveringer[0].m10).toBe(xml);
  });

  it('annuls a dispensation that the EU marks entered-in-error', async () => {
    await releaseM1('m1-pakning-dosering.xml').expect(200);
    const first = await dispense(euFixture('ed-se-eliquis-same-package.json')).expect(201);
    const firstId = readM10(m10Of(first.body), { allowSyntheticIdentities: true });
    const annul = await dispense(euFixture('ed-se-eliquis-entered-in-error.json')).expect(201);
    const m10 = readM10(m10Of(annul.body), { allowSyntheticIdentities: true });
    expect(m10.ok && m10.message.utleveringsrapport.utlevering).toMatchObject({ annullering: true, annulleringsId: firstId.ok && firstId.message.msgHead.msgInfo.msgId });
    await dispense(euFixture('ed-se-eliquis-entered-in-error.json')).expect(200);
    // The annulled packages are available again: the full 3 may now be dispensed.
    await dispense(variant(euFixture('ed-se-eliquis-same-package.json'), 'SE-APO-2024-000124', 3)).expect(201);
  });

  it('closes the prescription (Avsluttet) when the last package is dispensed, then refuses more (409)', async () => {
    await releaseM1('m1-pakning-dosering.xml').expect(200);
    const all = await dispense(variant(euFixture('ed-se-eliquis-same-package.json'), 'SE-1', 3)).expect(201);
    const m10 = readM10(m10Of(all.body), { allowSyntheticIdentities: true });
    expect(m10.ok && m10.message.utleveringsrapport.utlevering.avsluttet).toEqual({ v: '1', dn: 'Ja' });
    const more = await dispense(variant(euFixture('ed-se-eliquis-same-package.json'), 'SE-2', 1)).expect(409);
    expect(more.body.issue[0]).toMatchObject({ severity: 'error', code: 'conflict', diagnostics: expect.stringContaining('fully dispensed') });
  });

  it('refuses a quantity larger than what is left (409) and stores nothing', async () => {
    await releaseM1('m1-pakning-dosering.xml').expect(200);
    const res = await dispense(variant(euFixture('ed-se-eliquis-same-package.json'), 'SE-9', 4)).expect(409);
    expect(res.body.issue[0]).toMatchObject({ code: 'conflict', expression: ['Bundle.entry[0].resource.quantity'] });
    const stored = await as(app).get(`/reseptformidler/utleveringer/${RESEPT_1}`).expect(200);
    expect(stored.body.utleveringer).toHaveLength(0);
  });

  it('refuses a dispensation after the expiry date (422)', async () => {
    await releaseM1('m1-pakning-dosering.xml').expect(200);
    const res = await dispense(variant(euFixture('ed-se-eliquis-same-package.json'), 'SE-10', 1, '2025-03-05T10:00:00+01:00')).expect(422);
    expect(res.body.issue[0]).toMatchObject({ code: 'business-rule', expression: ['Bundle.entry[0].resource.whenHandedOver'] });
  });

  it('refuses a prescription that was never released to the EU (422)', async () => {
    const res = await dispense(euFixture('ed-se-eliquis-same-package.json')).expect(422);
    expect(res.body.issue[0]).toMatchObject({ code: 'not-found', diagnostics: expect.stringContaining('never released') });
    await as(app).get(`/reseptformidler/utleveringer/${RESEPT_1}`).expect(404);
  });

  it('reports a foreign substitute by name, form, strength and ATC, with a "valgt annen vare" intervention', async () => {
    await releaseM1('m1-blaa-resept-icpc.xml').expect(200);
    const res = await dispense(euFixture('ed-de-metformin-substituted.json')).expect(201);
    const m10 = readM10(m10Of(res.body), { allowSyntheticIdentities: true });
    const u = m10.ok ? m10.message.utleveringsrapport.utlevering : undefined;
    expect(u?.reseptDokLegemiddel?.forskrivning.legemiddelMerkevare).toMatchObject({ atc: { v: 'A10BA02' }, varenavn: 'Metformin AbZ 500 mg' });
    expect(u?.intervensjon?.[0]?.endringsType).toEqual({ v: 'V', dn: 'Valgt annen vare' });
    expect(part<OperationOutcome>(res.body, 'report').issue).toContainEqual(expect.objectContaining({ diagnostics: expect.stringContaining('no Norwegian varenummer') }));
  });
});

describe('a dispensation identifier names one dispensation', () => {
  it('409, not a 500, for an EU dispensation whose identifier is already stored for another prescription; nothing stored', async () => {
    await releaseM1('m1-pakning-dosering.xml').expect(200);
    await releaseM1('m1-blaa-resept-icpc.xml').expect(200);
    const metformin = euFixture('ed-de-metformin-substituted.json');
    await dispense(metformin).expect(201);
    const reused = variant(euFixture('ed-se-eliquis-same-package.json'), 'unused', 1);
    (reused.entry?.[0]?.resource as MedicationDispense).identifier = (metformin.entry?.[0]?.resource as MedicationDispense).identifier;
    const res = await dispense(reused).expect(409);
    expect(res.body.issue[0]).toMatchObject({ code: 'conflict', expression: ['Bundle.entry[0].resource.identifier'] });
    const stored = await as(app).get(`/reseptformidler/utleveringer/${RESEPT_1}`).expect(200);
    expect(stored.body.utleveringer).toHaveLength(0);
  });

  it('409, not a 500, for a Norwegian dispensing whose MsgId is already stored for another EU prescription', async () => {
    const m10 = fixture('m10-eu-resept-amoxicillin.xml');
    const amoxicillin = euFixture('ep-se-amoxicillin-valid.json');
    await dispenseEuPrescription(amoxicillin, m10).expect(201);
    const other = structuredClone(amoxicillin);
    (other.entry?.[0]?.resource as MedicationRequest).identifier![0]!.value = 'SE-RX-2024-0601-0002';
    const res = await dispenseEuPrescription(other, m10.replace('SE-RX-2024-0601-0001', 'SE-RX-2024-0601-0002')).expect(409);
    expect(res.body.issue[0]).toMatchObject({ code: 'conflict', location: ['/mh:MsgHead/mh:MsgInfo/mh:MsgId'] });
  });
});

// Requests sent at once: on PostgreSQL they run in concurrent transactions, on PGlite one after the other;
// the answers and what is stored must be the same either way.
describe(`requests racing on ${TEST_BACKEND}`, () => {
  const statuses = (...answers: { status: number }[]) => answers.map((a) => a.status).sort();
  const utleveringer = async (reseptId: string) => (await as(app).get(`/reseptformidler/utleveringer/${reseptId}`).expect(200)).body.utleveringer as { m10: string }[];

  it('one EU dispensation sent twice at once is stored once: one 201, one 200 with the same M10', async () => {
    await releaseM1('m1-pakning-dosering.xml').expect(200);
    const eliquis = euFixture('ed-se-eliquis-same-package.json');
    const [a, b] = await Promise.all([dispense(eliquis), dispense(eliquis)]);
    expect(statuses(a, b)).toEqual([200, 201]);
    expect(m10Of(a.body)).toBe(m10Of(b.body));
    expect((await utleveringer(RESEPT_1)).map((u) => u.m10)).toEqual([m10Of(a.body)]);
  });

  it('one identifier with two contents at once, for one prescription: one 201, one 409, the first stored', async () => {
    await releaseM1('m1-pakning-dosering.xml').expect(200);
    const eliquis = euFixture('ed-se-eliquis-same-package.json');
    const otherDay = structuredClone(eliquis);
    (otherDay.entry?.[0]?.resource as MedicationDispense).whenHandedOver = '2024-06-13';
    const [a, b] = await Promise.all([dispense(eliquis), dispense(otherDay)]);
    expect(statuses(a, b)).toEqual([201, 409]);
    const stored = await utleveringer(RESEPT_1);
    expect(stored).toHaveLength(1);
    expect(stored[0]!.m10).toBe(m10Of((a.status === 201 ? a : b).body));
  });

  it('one identifier for dispensations of two prescriptions at once: one 201, one 409, one stored', async () => {
    const blaa = await releaseM1('m1-blaa-resept-icpc.xml').expect(200);
    const blaaId = part<Bundle>(blaa.body, 'return').entry?.map((e) => e.resource).find((r): r is MedicationRequest => r?.resourceType === 'MedicationRequest')?.identifier?.[0]?.value ?? '';
    await releaseM1('m1-pakning-dosering.xml').expect(200);
    const metformin = euFixture('ed-de-metformin-substituted.json');
    const reused = variant(euFixture('ed-se-eliquis-same-package.json'), 'unused', 1);
    (reused.entry?.[0]?.resource as MedicationDispense).identifier = (metformin.entry?.[0]?.resource as MedicationDispense).identifier;
    const [a, b] = await Promise.all([dispense(metformin), dispense(reused)]);
    expect(statuses(a, b)).toEqual([201, 409]);
    expect((await utleveringer(blaaId)).length + (await utleveringer(RESEPT_1)).length).toBe(1);
  });

  it('one Norwegian dispensing of an EU prescription sent twice at once is stored once: one 201, one 200', async () => {
    const amoxicillin = euFixture('ep-se-amoxicillin-valid.json');
    const m10 = fixture('m10-eu-resept-amoxicillin.xml');
    const [a, b] = await Promise.all([dispenseEuPrescription(amoxicillin, m10), dispenseEuPrescription(amoxicillin, m10)]);
    expect(statuses(a, b)).toEqual([200, 201]);
    expect(part<Bundle>(a.body, 'return')).toEqual(part<Bundle>(b.body, 'return'));
    const view = await as(app).post('/fhir/$render-eu-prescription').set('Content-Type', 'application/fhir+json').set('Accept', 'application/json').send(JSON.stringify(amoxicillin)).expect(200);
    expect(view.body.warnings).toEqual([expect.objectContaining({ code: 'already-dispensed' })]);
  });

  it('one MsgId for dispensings of two EU prescriptions at once: one 201, one 409', async () => {
    const m10 = fixture('m10-eu-resept-amoxicillin.xml');
    const amoxicillin = euFixture('ep-se-amoxicillin-valid.json');
    const other = structuredClone(amoxicillin);
    (other.entry?.[0]?.resource as MedicationRequest).identifier![0]!.value = 'SE-RX-2024-0601-0002';
    const [a, b] = await Promise.all([
      dispenseEuPrescription(amoxicillin, m10),
      dispenseEuPrescription(other, m10.replace('SE-RX-2024-0601-0001', 'SE-RX-2024-0601-0002')),
    ]);
    expect(statuses(a, b)).toEqual([201, 409]);
  });
});

describe('the service reads the prescription id as the conversion does', () => {
  it('an EU dispensation that names the ReseptId after an identifier of another system is converted and stored under that ReseptId', async () => {
    await releaseM1('m1-pakning-dosering.xml').expect(200);
    const ed = variant(euFixture('ed-se-eliquis-same-package.json'), 'SE-11', 1);
    const d = ed.entry?.[0]?.resource as MedicationDispense;
    d.authorizingPrescription = [{ identifier: { system: 'urn:oid:1.2.752.129.2.1.2.9', value: 'SE-RX-LOCAL-1' } }, ...(d.authorizingPrescription ?? [])];
    await dispense(ed).expect(201);
    const stored = await as(app).get(`/reseptformidler/utleveringer/${RESEPT_1}`).expect(200);
    expect(stored.body.utleveringer).toHaveLength(1);
  });

  it('an EU prescription whose first identifier has no value is dispensed, and found again, by the one that has', async () => {
    const bundle = euFixture('ep-se-amoxicillin-valid.json');
    const mr = bundle.entry?.[0]?.resource as MedicationRequest;
    mr.identifier = [{ system: 'urn:oid:1.2.752.129.2.1.2.1' }, ...(mr.identifier ?? [])];
    const m10 = fixture('m10-eu-resept-amoxicillin.xml');
    const first = await dispenseEuPrescription(bundle, m10).expect(201);
    expect(part<Bundle>(first.body, 'return').entry?.[0]?.resource).toMatchObject({ authorizingPrescription: [{ identifier: { value: 'SE-RX-2024-0601-0001' } }] });
    await dispenseEuPrescription(bundle, m10).expect(200);
    const more = await dispenseEuPrescription(bundle, m10.replace('7f3e2a10-5b6c-4d8e-9f01-23456789abcd', '7f3e2a10-5b6c-4d8e-9f01-23456789abce')).expect(409);
    expect(more.body.issue[0]).toMatchObject({ code: 'conflict' });
  });
});

describe('bad input to the e-prescription operations', () => {
  it('415 for a body that is not XML', async () => {
    const res = await as(app).post('/fhir/$convert-m1-to-eu').set('Content-Type', 'application/json').send('{}').expect(415);
    expect(res.body).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ code: 'not-supported' }] });
  });

  it('400 with the XPath for malformed XML and for an M10 sent as M1', async () => {
    const malformed = await as(app).post('/fhir/$convert-m1-to-eu').set('Content-Type', 'application/xml').send('<MsgHead><x></MsgHead>').expect(400);
    expect(malformed.body.issue[0]).toMatchObject({ code: 'structure', location: ['/'] });
    const m10 = await as(app).post('/fhir/$convert-m1-to-eu').set('Content-Type', 'text/xml').send(fixture('m10-normal.xml')).expect(400);
    expect(m10.body.issue[0]).toMatchObject({ code: 'business-rule', location: ['/mh:MsgHead/mh:MsgInfo/mh:Type/@V'] });
  });

  it('422 for a prescription that cannot be released (expired)', async () => {
    const late = appAt('2026-01-01T00:00:00Z');
    const res = await as(late).post('/fhir/$convert-m1-to-eu').set('Content-Type', 'application/xml').send(fixture('m1-pakning-dosering.xml')).expect(422);
    expect(res.body.issue).toContainEqual(expect.objectContaining({ severity: 'error', code: 'business-rule', location: [expect.stringMatching(/m1:Utloper$/)] }));
  });

  it('400 for malformed JSON, a non-Bundle, and a Bundle without MedicationDispense', async () => {
    const syntax = await as(app).post('/fhir/$convert-eu-dispense-to-m10').set('Content-Type', 'application/fhir+json').send('{"resourceType":').expect(400);
    expect(syntax.body.issue[0]).toMatchObject({ location: ['line 1, column 17'], diagnostics: expect.stringContaining('not valid JSON') });
    const notObject = await as(app).post('/fhir/$convert-eu-dispense-to-m10').set('Content-Type', 'application/fhir+json').send(' null').expect(400);
    expect(notObject.body.issue[0]).toMatchObject({ location: ['line 1, column 2'], diagnostics: 'The request body must be a JSON object (a FHIR resource)' });
    const notBundle = await dispense({ resourceType: 'Patient' } as unknown as Bundle).expect(400);
    expect(notBundle.body.issue[0]).toMatchObject({ code: 'structure' });
    const empty = await dispense({ resourceType: 'Bundle', type: 'collection', entry: [] }).expect(400);
    expect(empty.body.issue[0]).toMatchObject({ code: 'structure', expression: ['Bundle.entry'], diagnostics: expect.stringContaining('empty array') });
    const noDispense = await dispense({ resourceType: 'Bundle', type: 'collection', entry: [{ resource: { resourceType: 'Patient', id: 'p' } }] }).expect(400);
    expect(noDispense.body.issue[0]).toMatchObject({ code: 'structure', expression: ['Bundle.entry'], diagnostics: expect.stringContaining('no MedicationDispense') });
  });

  it('names where a request it cannot read goes wrong: the line and column of bad JSON, the Content-Encoding, the path', async () => {
    const post = () => as(app).post('/fhir/$convert-eu-dispense-to-m10').set('Content-Type', 'application/fhir+json');
    const cut = await post().send('{\n  "resourceType": "Bundle",\n  "type": }').expect(400);
    expect(cut.body.issue[0]).toMatchObject({ location: ['line 3, column 11'], diagnostics: expect.stringContaining('not valid JSON at line 3, column 11') });
    const gz = await post().set('Content-Encoding', 'gzip').send(Buffer.from('not gzip at all')).expect(400);
    expect(gz.body.issue[0]).toMatchObject({ expression: ['http.Content-Encoding'] });
    const br = await post().set('Content-Encoding', 'x-unknown').send('{}').expect(415);
    expect(br.body.issue[0]).toMatchObject({ code: 'not-supported', expression: ['http.Content-Encoding'] });
    const pct = await as(app).get('/reseptformidler/utleveringer/%E0%A4%A').expect(400);
    expect(pct.body.issue[0]).toMatchObject({ expression: ['http.path'] });
  });

  it('400 naming the place of a wrongly typed or unwritable value, and nothing stored (never a 500 or a broken M10)', async () => {
    await releaseM1('m1-pakning-dosering.xml').expect(200);
    const change = (mutate: (b: Record<string, unknown>, d: Record<string, unknown>) => void) => {
      const b = euFixture('ed-se-eliquis-same-package.json');
      mutate(b as unknown as Record<string, unknown>, b.entry?.[0]?.resource as unknown as Record<string, unknown>);
      return b;
    };
    const cases: [Bundle, string][] = [
      [change((b) => { b.entry = { resource: {} }; }), 'Bundle.entry'],
      [change((_b, d) => { d.authorizingPrescription = { identifier: {} }; }), 'Bundle.entry[0].resource.authorizingPrescription'],
      [change((_b, d) => { d.whenHandedOver = ['2024-06-10']; }), 'Bundle.entry[0].resource.whenHandedOver'],
      [change((_b, d) => { d.whenHandedOver = '2024-99-99'; }), 'Bundle.entry[0].resource.whenHandedOver'],
      [change((_b, d) => { d.note = [{ text: 'a\u0000b' }]; }), 'Bundle.entry[0].resource.note[0].text'],
    ];
    for (const [bundle, where] of cases) {
      const res = await dispense(bundle).expect(400);
      expect(res.body.issue[0].expression[0]).toContain(where);
    }
    const stored = await as(app).get(`/reseptformidler/utleveringer/${RESEPT_1}`).expect(200);
    expect(stored.body.utleveringer).toEqual([]);
  });

  it('400 naming the missing MPD element (recorded extension, performer.actor, quantity)', async () => {
    await releaseM1('m1-pakning-dosering.xml').expect(200);
    const strip = (mutate: (d: Record<string, unknown>) => void) => {
      const b = euFixture('ed-se-eliquis-same-package.json');
      mutate(b.entry?.[0]?.resource as unknown as Record<string, unknown>);
      return b;
    };
    const noRecorded = await dispense(strip((d) => delete d.extension)).expect(400);
    expect(noRecorded.body.issue[0]).toMatchObject({ code: 'required', expression: ['Bundle.entry[0].resource.extension'] });
    const noActor = await dispense(strip((d) => delete d.performer)).expect(400);
    expect(noActor.body.issue[0]).toMatchObject({ code: 'required', expression: ['Bundle.entry[0].resource.performer[0].actor'] });
    const noQuantity = await dispense(strip((d) => delete d.quantity)).expect(400);
    expect(noQuantity.body.issue[0]).toMatchObject({ code: 'required', expression: ['Bundle.entry[0].resource.quantity'] });
  });

  it('400 for a ReseptId that is not a UUID, 404 for one never released', async () => {
    await as(app).get('/reseptformidler/utleveringer/not-a-uuid').expect(400);
    await as(app).get(`/reseptformidler/utleveringer/${RESEPT_1}`).expect(404);
  });
});

describe('an EU prescription in a Norwegian pharmacy: view → dispense → EU eDispensation', () => {
  const ep = (name: string): Bundle => JSON.parse(readFileSync(join(REPO_ROOT, 'test-data/eu', name), 'utf8')) as Bundle;
  const render = (bundle: Bundle, accept: string) =>
    as(app).post('/fhir/$render-eu-prescription').set('Content-Type', 'application/fhir+json').set('Accept', accept).send(JSON.stringify(bundle));
  const dispenseHere = dispenseEuPrescription;

  it('shows the pharmacy view as HTML or JSON, dispenses once, and then warns that it was dispensed', async () => {
    const bundle = ep('ep-se-amoxicillin-valid.json');
    const html = await render(bundle, 'text/html').expect(200);
    expect(html.headers['content-type']).toMatch(/^text\/html/);
    expect(html.text).toContain('Resept fra SE');
    const json = await render(bundle, 'application/json').expect(200);
    expect(json.body).toMatchObject({ prescriptionId: 'SE-RX-2024-0601-0001', warnings: [] });

    const first = await dispenseHere(bundle, fixture('m10-eu-resept-amoxicillin.xml')).expect(201);
    const ed = part<Bundle>(first.body, 'return');
    expect(ed.entry?.[0]?.resource).toMatchObject({ resourceType: 'MedicationDispense', status: 'completed', authorizingPrescription: [{ identifier: { value: 'SE-RX-2024-0601-0001' } }] });
    const again = await dispenseHere(bundle, fixture('m10-eu-resept-amoxicillin.xml')).expect(200);
    expect(part<Bundle>(again.body, 'return')).toEqual(ed);

    const after = await render(bundle, 'application/json').expect(200);
    expect(after.body.warnings).toEqual([expect.objectContaining({ code: 'already-dispensed' })]);
    const more = fixture('m10-eu-resept-amoxicillin.xml').replace('7f3e2a10-5b6c-4d8e-9f01-23456789abcd', '7f3e2a10-5b6c-4d8e-9f01-23456789abce');
    const refused = await dispenseHere(bundle, more).expect(409);
    expect(refused.body.issue[0]).toMatchObject({ code: 'conflict' });
  });

  it('400, not a 500, for values of the wrong JSON type in the view and in the dispensing', async () => {
    const bundle = ep('ep-se-amoxicillin-valid.json');
    const mr = bundle.entry?.[0]?.resource as unknown as Record<string, unknown>;
    (mr.identifier as Record<string, unknown>[])[0]!.value = 123;
    for (const accept of ['text/html', 'application/json']) {
      const res = await render(bundle, accept).expect(400);
      expect(res.body.issue[0].expression).toEqual(['Bundle.entry[0].resource.identifier[0].value']);
    }
    const res = await as(app).post('/fhir/$convert-dispense-to-eu').set('Content-Type', 'application/fhir+json')
      .send(JSON.stringify({ resourceType: 'Parameters', parameter: [{ name: 'prescription', resource: ep('ep-se-amoxicillin-valid.json') }, { name: 'dispense', resource: { resourceType: 'Binary', contentType: 'application/xml', data: 7 } }] }))
      .expect(400);
    expect(res.body.issue[0].expression).toEqual(['Parameters.parameter[1].resource.data']);
  });

  it('400, not a 500, for JSON nested deeper than any FHIR resource (the stack of a recursive reader would run out)', async () => {
    // Written as text: JSON.stringify itself runs out of stack on such a value.
    const DEEP = 5000;
    const deepExtension = `${'{"url":"urn:x","extension":['.repeat(DEEP)}{"url":"urn:x","valueString":"x"}${']}'.repeat(DEEP)}`;
    const deep = (b: Bundle): string => {
      (b.entry![0]!.resource as unknown as Record<string, unknown>).extension = ['DEEP'];
      return JSON.stringify(b).replace('"DEEP"', deepExtension);
    };
    const post = (path: string, body: string) => as(app).post(path).set('Content-Type', 'application/fhir+json').set('Accept', 'application/json').send(body);
    const m10 = Buffer.from(fixture('m10-eu-resept-amoxicillin.xml')).toString('base64');
    const parameters = `{"resourceType":"Parameters","parameter":[{"name":"prescription","resource":${deep(ep('ep-se-amoxicillin-valid.json'))}},{"name":"dispense","resource":{"resourceType":"Binary","contentType":"application/xml","data":"${m10}"}}]}`;
    for (const [path, body] of [
      ['/fhir/$render-eu-prescription', deep(ep('ep-se-amoxicillin-valid.json'))],
      ['/fhir/$convert-eu-dispense-to-m10', deep(euFixture('ed-se-eliquis-same-package.json'))],
      ['/fhir/$convert-dispense-to-eu', parameters],
    ] as const) {
      const res = await post(path, body).expect(400);
      expect(res.body.issue[0].diagnostics).toMatch(/nests deeper than/);
    }
  });

  it('406 for an Accept the view cannot give, 400 for a body without MedicationRequest', async () => {
    await render(ep('ep-se-amoxicillin-valid.json'), 'image/png').expect(406);
    const res = await render({ resourceType: 'Bundle', type: 'collection', entry: [] }, 'application/json').expect(400);
    expect(res.body.issue[0]).toMatchObject({ code: 'structure', expression: ['Bundle.entry'] });
  });

  it('400 for missing parameters or an unreadable M10, 422 for an expired EU prescription', async () => {
    const bad = await as(app).post('/fhir/$convert-dispense-to-eu').set('Content-Type', 'application/fhir+json').send(JSON.stringify({ resourceType: 'Parameters', parameter: [{ name: 'dispense', valueString: 'x' }] })).expect(400);
    expect(bad.body.issue[0].expression[0]).toMatch(/prescription/);
    const none = await as(app).post('/fhir/$convert-dispense-to-eu').set('Content-Type', 'application/fhir+json').send(JSON.stringify({ resourceType: 'Parameters', parameter: [] })).expect(400);
    expect(none.body.issue[0]).toMatchObject({ expression: ['Parameters.parameter'], diagnostics: expect.stringContaining('empty array') });
    const garbled = await dispenseHere(ep('ep-se-amoxicillin-valid.json'), '<MsgHead>').expect(400);
    expect(garbled.body.issue[0]).toMatchObject({ location: ['/'] });
    const expired = ep('ep-dk-salbutamol-expired.json');
    const m10 = fixture('m10-eu-resept-amoxicillin.xml').replace('SE-RX-2024-0601-0001', 'DK-RX-2023-1120-0042');
    await dispenseHere(expired, m10).expect(422);
  });

  it('names the place in the request of what is wrong with the prescription: a code outside its ValueSet, a prescription not active', async () => {
    const bundle = ep('ep-se-amoxicillin-valid.json');
    const patientAt = bundle.entry!.findIndex((e) => e.resource?.resourceType === 'Patient');
    (bundle.entry![patientAt]!.resource as Patient).gender = 'mann' as Patient['gender'];
    const wrongCode = await dispenseHere(bundle, fixture('m10-eu-resept-amoxicillin.xml')).expect(400);
    expect(wrongCode.body.issue).toEqual([expect.objectContaining({ code: 'code-invalid', expression: [`Parameters.parameter[0].resource.entry[${patientAt}].resource.gender`] })]);
    const stopped = ep('ep-se-amoxicillin-valid.json');
    (stopped.entry![0]!.resource as MedicationRequest).status = 'stopped';
    const refused = await dispenseHere(stopped, fixture('m10-eu-resept-amoxicillin.xml')).expect(422);
    expect(refused.body.issue).toEqual([expect.objectContaining({ code: 'business-rule', expression: ['Parameters.parameter[0].resource.entry[0].resource.status'] })]);
  });
});

describe('the same ReseptId released again', () => {
  it('is the stored release for a retry, and a 409 for other content, which is not stored', async () => {
    const here = appAt('2024-06-10T08:00:00Z');
    const post = (xml: string) => as(here).post('/fhir/$convert-m1-to-eu').set('Content-Type', 'application/xml').send(xml);
    const first = await post(fixture('m1-pakning-dosering.xml')).expect(200);
    const retry = await post(fixture('m1-pakning-dosering.xml')).expect(200);
    expect(part<Bundle>(retry.body, 'return')).toEqual(part<Bundle>(first.body, 'return'));

    const changed = await post(fixture('m1-pakning-dosering.xml').replace('<ns1:Antall>1</ns1:Antall>', '<ns1:Antall>3</ns1:Antall>')).expect(409);
    expect(changed.body.issue[0]).toMatchObject({ code: 'conflict', location: [expect.stringMatching(/\/m1:ReseptDokLegemiddel$/)] });
    // What was released stays as it was.
    const again = await post(fixture('m1-pakning-dosering.xml')).expect(200);
    expect(part<Bundle>(again.body, 'return')).toEqual(part<Bundle>(first.body, 'return'));
  });
});

describe('a dispensing sent again under a stored identity', () => {
  it('EU → M10: the same dispensation is a retry (200); another date or quantity under its identifier is a 409 at it, and nothing changes', async () => {
    await releaseM1('m1-pakning-dosering.xml').expect(200);
    const ed = euFixture('ed-se-eliquis-same-package.json');
    const first = await dispense(ed).expect(201);
    expect(m10Of((await dispense(ed).expect(200)).body)).toBe(m10Of(first.body));
    const d = (b: Bundle) => b.entry?.[0]?.resource as { whenHandedOver: string; quantity: { value: number } };
    const laterDay = structuredClone(ed);
    d(laterDay).whenHandedOver = '2024-06-13';
    const moved = await dispense(laterDay).expect(409);
    expect(moved.body.issue[0]).toMatchObject({ code: 'conflict', expression: ['Bundle.entry[0].resource'] });
    const moreOf = structuredClone(ed);
    d(moreOf).quantity.value += 1;
    await dispense(moreOf).expect(409);
    expect(m10Of((await dispense(ed).expect(200)).body)).toBe(m10Of(first.body));
    const stored = await as(app).get(`/reseptformidler/utleveringer/${RESEPT_1}`).expect(200);
    expect(stored.body.utleveringer).toHaveLength(1);
  });

  it('Norwegian dispensing → EU: the same M10 is a retry (200); other content under its MsgId is a 409 at the MsgId', async () => {
    const bundle = euFixture('ep-se-amoxicillin-valid.json');
    const m10 = fixture('m10-eu-resept-amoxicillin.xml');
    const first = await dispenseEuPrescription(bundle, m10).expect(201);
    expect(part<Bundle>((await dispenseEuPrescription(bundle, m10).expect(200)).body, 'return')).toEqual(part<Bundle>(first.body, 'return'));
    const changed = m10.replace('<ul:Utleveringsdato>2024-06-11</ul:Utleveringsdato>', '<ul:Utleveringsdato>2024-06-12</ul:Utleveringsdato>');
    expect(changed).not.toBe(m10);
    const refused = await dispenseEuPrescription(bundle, changed).expect(409);
    expect(refused.body.issue[0]).toMatchObject({ code: 'conflict', location: [expect.stringMatching(/mh:MsgId$/)] });
    expect(part<Bundle>((await dispenseEuPrescription(bundle, m10).expect(200)).body, 'return')).toEqual(part<Bundle>(first.body, 'return'));
  });
});

describe('the README walk-through', () => {
  it('releases the demo prescription and turns its Swedish dispensation into an M10', async () => {
    // The day this was written: the demo fixtures are valid from 2026-11-02 to 2027-11-02.
    const live = appAt('2026-11-22T12:00:00Z');
    await as(live).post('/fhir/$convert-m1-to-eu').set('Content-Type', 'application/xml').send(fixture('m1-demo-gyldig.xml')).expect(200);
    await as(live).post('/fhir/$convert-eu-dispense-to-m10').set('Content-Type', 'application/fhir+json').send(readFileSync(join(REPO_ROOT, 'test-data/eu/ed-se-demo-gyldig.json'), 'utf8')).expect(201);
  });
});

describe('authorization', () => {
  it('401 with WWW-Authenticate without a token or with a bad one', async () => {
    const none = await request(app).post('/fhir/$convert-m1-to-eu').set('Content-Type', 'application/xml').send(fixture('m1-pakning-dosering.xml')).expect(401);
    expect(none.headers['www-authenticate']).toMatch(/^Bearer realm="ehds-no", error="invalid_request"/);
    expect(none.body).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ code: 'login' }] });
    const forged = await request(app).get(`/reseptformidler/utleveringer/${RESEPT_1}`).set('Authorization', `Bearer ${token.slice(0, -4)}AAAA`).expect(401);
    expect(forged.headers['www-authenticate']).toMatch(/error="invalid_token"/);
    const other = await devIssuer(DEV_TOKEN_AUDIENCE);
    await request(app).get(`/reseptformidler/utleveringer/${RESEPT_1}`).set('Authorization', `Bearer ${await other.mint({ scope: SCOPE.edispensationRead })}`).expect(401);
    const expired = await issuer.mint({ scope: SCOPE.edispensationRead }, 1);
    await new Promise((r) => setTimeout(r, 1100));
    await request(app).get(`/reseptformidler/utleveringer/${RESEPT_1}`).set('Authorization', `Bearer ${expired}`).expect(401);
  });

  it('403 when the token lacks the operation\'s scope', async () => {
    const readOnly = await issuer.mint({ scope: SCOPE.edispensationRead });
    const res = await request(app).post('/fhir/$convert-eu-dispense-to-m10').set('Authorization', `Bearer ${readOnly}`).set('Content-Type', 'application/fhir+json').send('{}').expect(403);
    expect(res.body.issue[0]).toMatchObject({ code: 'forbidden', diagnostics: expect.stringContaining(SCOPE.edispensationWrite) });
  });

  it('mints development tokens with the scopes and claims asked for, and refuses unknown scopes', async () => {
    const res = await request(app).post('/auth/dev-token').set('Content-Type', 'application/json').send({ scope: [SCOPE.edispensationRead], hpr: '565104311' }).expect(200);
    expect(res.body).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: SCOPE.edispensationRead });
    await request(app).get(`/reseptformidler/utleveringer/${RESEPT_1}`).set('Authorization', `Bearer ${res.body.access_token}`).expect(404);
    const bad = await request(app).post('/auth/dev-token').set('Content-Type', 'application/json').send({ scope: ['ehds/everything'] }).expect(400);
    expect(bad.body.issue[0]).toMatchObject({ code: 'value', expression: ['scope'] });
  });
});

describe('audit', () => {
  it('records every conversion and read with who, which patient, what and the outcome, readable per patient', async () => {
    await releaseM1('m1-pakning-dosering.xml').expect(200);
    await dispense(euFixture('ed-se-eliquis-same-package.json')).expect(201);
    await dispense(variant(euFixture('ed-se-eliquis-same-package.json'), 'SE-99', 9)).expect(409);
    await as(app).get(`/reseptformidler/utleveringer/${RESEPT_1}`).expect(200);
    // Every patient's log is an auditor's to read (routes/audit.ts).
    const auditor = await issuer.mint({ scope: SCOPE.auditRead, [CLAIM.role]: ROLE.auditor });
    const log = await request(app).get('/fhir/AuditEvent').query({ patient: 'urn:oid:2.16.578.1.12.4.1.4.1|12835412073' }).set('Authorization', `Bearer ${auditor}`).expect(200);
    expect(log.body).toMatchObject({ resourceType: 'Bundle', type: 'searchset', total: 4 });
    const events = (log.body as Bundle).entry?.map((e) => e.resource as { subtype: { display: string }[]; outcome: string; agent: { who: { identifier: { value: string } } }[] }) ?? [];
    expect(events.map((e) => `${e.subtype[0]?.display}:${e.outcome}`).sort()).toEqual([
      'convert-eu-dispense-to-m10:0', 'convert-eu-dispense-to-m10:4', 'convert-m1-to-eu:0', 'read-utleveringer:0',
    ]);
    expect(events[0]?.agent[0]?.who.identifier.value).toBe('565104311');
    expect(events.every((e) => baseFhirErrors(e as never).length === 0)).toBe(true);
  });

  it('400 for a patient parameter that is not system|value; 403 without the audit scope', async () => {
    await as(app).get('/fhir/AuditEvent').query({ patient: '12835412073' }).expect(400);
    const noScope = await issuer.mint({ scope: SCOPE.edispensationRead });
    await request(app).get('/fhir/AuditEvent').query({ patient: 'a|b' }).set('Authorization', `Bearer ${noScope}`).expect(403);
  });
});

describe('logs', () => {
  it('hold no personal identifier, ReseptId or clinical content, though every request is logged', async () => {
    await releaseM1('m1-pakning-dosering.xml').expect(200);
    await dispense(euFixture('ed-se-eliquis-same-package.json')).expect(201);
    await as(app).get(`/reseptformidler/utleveringer/${RESEPT_1}`).expect(200);
    await as(app).post('/fhir/$render-eu-prescription').set('Content-Type', 'application/fhir+json').send(readFileSync(join(REPO_ROOT, 'test-data/eu/ep-se-amoxicillin-valid.json'), 'utf8')).expect(200);
    const log = logLines.join('');
    expect(log).toContain('"route":"/fhir/$convert-m1-to-eu"');
    for (const secret of ['12835412073', '198703142409', RESEPT_1, 'Eliquis', 'Testesen', 'Amoxicillin', 'Bearer']) expect(log).not.toContain(secret);
  });
});

describe('the service around the operations', () => {
  it('405 with Allow for a wrong method on a known path', async () => {
    const res = await as(app).get('/fhir/$convert-m1-to-eu').expect(405);
    expect(res.headers.allow).toBe('POST');
    expect(res.body.issue[0]).toMatchObject({ code: 'not-supported' });
    await as(app).delete(`/reseptformidler/utleveringer/${RESEPT_1}`).expect(405);
    await request(app).post('/fhir/metadata').expect(405);
  });

  it('/readyz answers when the database does, without a token', async () => {
    expect((await request(app).get('/readyz').expect(200)).body).toEqual({ status: 'ok', database: 'ok' });
  });

  it('/metrics counts requests per route, behind its scope', async () => {
    await releaseM1('m1-pakning-dosering.xml').expect(200);
    await request(app).get('/metrics').expect(401);
    const text = (await as(app).get('/metrics').expect(200)).text;
    expect(text).toMatch(/ehds_http_requests_total\{route="\/fhir\/\$convert-m1-to-eu",method="POST",status="200"\} 1/);
    expect(text).toContain('ehds_http_request_duration_seconds_bucket');
  });

  it('429 with an OperationOutcome past the rate limit', async () => {
    const limited = appAt('2024-06-10T08:00:00Z', 2);
    await as(limited).get(`/reseptformidler/utleveringer/${RESEPT_1}`).expect(404);
    await as(limited).get(`/reseptformidler/utleveringer/${RESEPT_1}`).expect(404);
    const res = await as(limited).get(`/reseptformidler/utleveringer/${RESEPT_1}`).expect(429);
    expect(res.body.issue[0]).toMatchObject({ code: 'throttled' });
  });

  it('413 for a body over the limit, closing the connection (the rest of the body is not read)', async () => {
    const res = await releaseM1Body(`<MsgHead>${'x'.repeat(3 * 1024 * 1024)}</MsgHead>`).expect(413);
    expect(res.body.issue[0]).toMatchObject({ code: 'too-costly' });
    expect(res.headers.connection).toBe('close');
  });

  it('413 for a JSON conversion body over 512 KiB, naming the limit; the same Bundle padded to just under it is read', async () => {
    // An eDispensation with a long note: the limit is on bytes, whatever the content.
    const padded = (bytes: number) => {
      const bundle = euFixture('ed-se-eliquis-same-package.json');
      const json = JSON.stringify(bundle);
      const note = 'x'.repeat(bytes - json.length - 40);
      return JSON.stringify({ ...bundle, meta: { tag: [{ display: note }] } });
    };
    const over = await dispenseJson(padded(600 * 1024)).expect(413);
    expect(over.body.issue[0]).toMatchObject({ code: 'too-costly', diagnostics: 'The request body is too large; at most 524288 bytes are accepted here' });
    const under = await dispenseJson(padded(500 * 1024));
    expect(under.status).not.toBe(413);
  });
});

function dispenseJson(json: string) {
  return as(app).post('/fhir/$convert-eu-dispense-to-m10').set('Content-Type', 'application/fhir+json').send(json);
}

function releaseM1Body(xml: string) {
  return as(app).post('/fhir/$convert-m1-to-eu').set('Content-Type', 'application/xml').send(xml);
}

describe('conformance resources', () => {
  it('reads by id, searches by url, and translates with the ConceptMaps', async () => {
    const od = await as(app).get('/fhir/OperationDefinition/convert-m1-to-eu').expect(200);
    expect(od.body).toMatchObject({ resourceType: 'OperationDefinition', code: 'convert-m1-to-eu' });
    expect(baseFhirErrors(od.body)).toEqual([]);
    const meta = await request(app).get('/fhir/metadata').expect(200);
    expect(baseFhirErrors(meta.body)).toEqual([]);
    expect((meta.body.rest[0].resource as { type: string }[]).map((r) => r.type)).toEqual(expect.arrayContaining(['AuditEvent', 'ConceptMap', 'OperationDefinition']));
    const operations = meta.body.rest[0].operation as { definition: string }[];
    for (const o of operations) {
      const id = o.definition.split('/').pop();
      await as(app).get(`/fhir/OperationDefinition/${id}`).expect(200);
    }
    const found = await as(app).get('/fhir/ConceptMap').query({ url: 'https://ehds-no.github.io/fhir/ConceptMap/volven-7448-to-edqm-doseform' }).expect(200);
    expect(found.body).toMatchObject({ resourceType: 'Bundle', type: 'searchset', total: 1 });
    const cs = await as(app).get('/fhir/CodeSystem/volven-7448').expect(200);
    expect(cs.body.url).toBe('urn:oid:2.16.578.1.12.4.1.1.7448');
    const t = await as(app).get('/fhir/ConceptMap/$translate').query({ system: 'urn:oid:2.16.578.1.12.4.1.1.7477', code: '53', targetsystem: 'http://standardterms.edqm.eu' }).expect(200);
    expect(t.body.parameter[0]).toEqual({ name: 'result', valueBoolean: true });
    expect(t.body.parameter[1].part).toContainEqual({ name: 'concept', valueCoding: { system: 'http://standardterms.edqm.eu', code: '20053000', display: 'Oral use' } });
  });

  it('404 for an unknown id, 400 for $translate without code, 405 for a write, 401 without a token', async () => {
    await as(app).get('/fhir/ConceptMap/nope').expect(404);
    await as(app).get('/fhir/ConceptMap/$translate').query({ system: 'x' }).expect(400);
    await as(app).post('/fhir/CodeSystem').set('Content-Type', 'application/fhir+json').send('{}').expect(405);
    await request(app).get('/fhir/CodeSystem/volven-7448').expect(401);
  });
});
