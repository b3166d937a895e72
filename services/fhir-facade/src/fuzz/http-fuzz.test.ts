/**
 * The seeded, bounded fuzz suite (patient-safety issue, finding 6): every POST endpoint, and the GET routes
 * that take path or query parameters, get at least {@link RUNS} requests made by mutating the project's own
 * fixtures (`test-data/eresept`, `test-data/eu`, the test patients, change notifications, Parameters).
 * Each answer must be below 500, every 4xx an OperationOutcome, and no person number may reach the log.
 *
 * The facade runs in-process on a loopback port (one server, kept-alive connections through Node's fetch),
 * on a fixed clock. A failure prints fast-check's seed and path: `FUZZ_SEED=<seed>` replays the run, and
 * `FUZZ_RUNS` sets the number of cases per endpoint (default {@link RUNS}).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  buildChangeNotification, DEFAULT_FOREIGN_PHARMACY, fetchAllSources, FhirValidator, IDENTIFIER_SYSTEM, InMemorySnapshotCache, inMemorySourcePorts,
  loadPatientFolders, PatientSummaryService, resilientSources,
} from '@ehds-no/core';
import type { Bundle, Composition } from '@medplum/fhirtypes';
import fc from 'fast-check';
import { fixture, fixtureNames, REPO_ROOT } from '../../../../packages/core/src/test-support/eresept-fixtures.js';
import { createApp } from '../app.js';
import { SCOPE } from '../auth/caller.js';
import { devIssuer } from '../auth/token-verifier.js';
import { DEV_TOKEN_AUDIENCE } from '../config.js';
import { createLogger } from '../logging.js';
import { startServer, type RunningServer } from '../server.js';
import { AuditStore } from '../storage/audit-store.js';
import type { Database } from '../storage/database.js';
import { EprescriptionStore } from '../storage/eprescription-store.js';
import { DatabaseSummaryStore } from '../storage/summary-store.js';
import { testDatabase } from '../test-support/test-database.js';
import { mutatedJson, mutatedText, mutatedXml, type Json } from './mutations.js';

/** Cases per endpoint. */
const RUNS = Number(process.env.FUZZ_RUNS ?? 2000);
/** The run's seed: fixed, so that CI replays the same cases and a failure replays anywhere. */
const SEED = Number(process.env.FUZZ_SEED ?? 20261208);
/** A guard against a hung run, not a timing assertion: each endpoint's cases take some seconds. */
const ENDPOINT_TIMEOUT_MS = 600_000;
/** The clock of the e-prescription operations and the summary: the fixtures' reference date. */
const NOW = new Date('2024-06-10T08:00:00Z');
/** A fødselsnummer or D-nummer anywhere in a log line: eleven digits on their own. */
const PERSON_NUMBER = /(?<![0-9])[0-9]{11}(?![0-9])/;

const M1_NAMES = fixtureNames('m1-');
const M1S = M1_NAMES.map(fixture);
const M10S = fixtureNames('m10-').map(fixture);
const EU_DIR = join(REPO_ROOT, 'test-data/eu');
const euFixtures = (prefix: string): Json[] => readdirSync(EU_DIR).filter((f) => f.startsWith(prefix) && f.endsWith('.json')).map((f) => JSON.parse(readFileSync(join(EU_DIR, f), 'utf8')) as Json);
const PRESCRIPTIONS = euFixtures('ep-');
const DISPENSATIONS = euFixtures('ed-');
const patients = loadPatientFolders();
/** Every 11-digit number in the fixtures and the test patients' identifiers: values the fuzzer puts in, and the log must never show. */
const PERSON_NUMBERS = [...new Set([...[...M1S, ...M10S, JSON.stringify(PRESCRIPTIONS), JSON.stringify(DISPENSATIONS)].flatMap((t) => t.match(/(?<![0-9])[0-9]{11}(?![0-9])/g) ?? []), ...patients.map((p) => p.key.value)])];

const logLines: string[] = [];
let db: Database;
let server: RunningServer;
let base: string;
let token: string;
/** A summary's Patient id and the entries a mark can name. */
let summaryId: string;
let entries: string[];

/** How many answers of each status the current endpoint gave (printed with `FUZZ_STATS=1`, to see what the cases reach). */
const statuses = new Map<number, number>();

/** One request, as the fuzzer makes it. */
interface FuzzRequest {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly contentType?: string;
  readonly body?: Buffer;
  readonly bearer?: boolean;
}

/** The Content-Types a JSON body is sent with: mostly FHIR JSON, sometimes a charset or a type the route does not take. */
const jsonContentType = fc.oneof(
  { weight: 12, arbitrary: fc.constant('application/fhir+json') },
  { weight: 1, arbitrary: fc.constantFrom('application/json', 'application/fhir+json; charset=utf-8', 'application/fhir+json; charset=utf-7', 'application/json; charset=utf-16', 'application/fhir+json; charset=latin1', 'text/plain', 'application/xml', 'application/fhir+json; charset="') },
);
const xmlContentType = fc.oneof(
  { weight: 10, arbitrary: fc.constant('application/xml') },
  { weight: 1, arbitrary: fc.constantFrom('text/xml', 'application/xml; charset=utf-8', 'application/xml; charset=iso-8859-1', 'application/xml; charset=utf-16', 'application/xml; charset=utf-7', 'application/xml; charset=bogus', 'application/fhir+json') },
);

/** Sends `r` and checks the answer; returns a description of what is wrong, or `undefined`. */
async function problemWith(r: FuzzRequest): Promise<string | undefined> {
  let url: URL;
  try {
    url = new URL(base + r.path);
  } catch {
    return undefined; // not a URL a client could send
  }
  const headers: Record<string, string> = {};
  if (r.bearer !== false) headers.authorization = `Bearer ${token}`;
  if (r.contentType !== undefined) headers['content-type'] = r.contentType;
  const res = await fetch(url, { method: r.method, headers, ...(r.body ? { body: r.body } : {}) });
  const text = await res.text();
  statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
  const what = `${r.method} ${url.pathname}${url.search.slice(0, 200)} (${r.contentType ?? 'no type'}) → ${res.status}: ${text.slice(0, 300)}`;
  if (res.status >= 500) return what;
  if (res.status >= 400) {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return `${what} (not JSON)`;
    }
    if ((body as { resourceType?: unknown }).resourceType !== 'OperationOutcome') return `${what} (not an OperationOutcome)`;
  }
  return undefined;
}

/**
 * `r` as fast-check prints a counterexample: method, path, type and the body's start and size. The whole
 * body (up to 400 KB) would flood the report; the seed and path replay it exactly.
 */
function shownShort(r: FuzzRequest): FuzzRequest {
  const body = r.body ? ` ${JSON.stringify(r.body.subarray(0, 300).toString('latin1'))}… (${r.body.length} bytes)` : '';
  return Object.assign({ ...r }, { [fc.toStringMethod]: () => `${r.method} ${r.path.slice(0, 300)} (${r.contentType ?? 'no type'})${body}` });
}

/** Runs `RUNS` cases of `requests` against the facade with the suite's seed; then no log line may hold a person number. */
async function fuzz(requests: fc.Arbitrary<FuzzRequest>): Promise<void> {
  const from = logLines.length;
  statuses.clear();
  await fc.assert(
    fc.asyncProperty(requests.map(shownShort), async (r) => {
      const problem = await problemWith(r);
      if (problem) throw new Error(problem);
    }),
    { seed: SEED, numRuns: RUNS },
  );
  if (process.env.FUZZ_STATS) console.error(expect.getState().currentTestName, Object.fromEntries([...statuses].sort(([a], [b]) => a - b)));
  const leaked = logLines.slice(from).find((line) => PERSON_NUMBER.test(line));
  expect(leaked).toBeUndefined();
}

/** `encodeURIComponent` that takes any string: a lone surrogate goes as U+FFFD, as a client's UTF-8 encoder sends it. */
const encode = (text: string) => encodeURIComponent(Buffer.from(text, 'utf8').toString('utf8'));

const post = (path: string, contentType: fc.Arbitrary<string>, body: fc.Arbitrary<Buffer>): fc.Arbitrary<FuzzRequest> =>
  fc.record({ path: fc.constant(path), contentType, body }).map((r) => ({ method: 'POST' as const, ...r }));

beforeAll(async () => {
  db = await testDatabase();
  const issuer = await devIssuer(DEV_TOKEN_AUDIENCE);
  token = await issuer.mint({ scope: Object.values(SCOPE).join(' '), 'helseid://claims/hpr/hpr_number': '565104311', name: 'Fuzz Tester' });
  const logger = createLogger({ write: (line: string) => void logLines.push(line) });
  const store = new DatabaseSummaryStore(db);
  const sources = resilientSources(inMemorySourcePorts(patients));
  const cache = new InMemorySnapshotCache();
  const service = new PatientSummaryService({ store, fetchSources: (key) => fetchAllSources(sources, cache, key), allowSyntheticIdentities: true, now: () => NOW });
  const audit = new AuditStore(db);
  const app = createApp({
    version: 'fuzz',
    logger,
    db,
    // The suite sends thousands of requests from one address: the limiter would answer 429 to most.
    rateLimitPerMinute: 1_000_000,
    devIssuer: issuer,
    summary: { service, store, verifier: issuer, audit, allowSyntheticIdentities: true },
    eprescription: { store: new EprescriptionStore(db), audit, verifier: issuer, allowSyntheticIdentities: true, foreignPharmacy: DEFAULT_FOREIGN_PHARMACY, now: () => NOW },
    validation: { verifier: issuer, validator: new FhirValidator(), allowSyntheticIdentities: true },
  });
  server = await startServer(app, 0, '127.0.0.1', 1000);
  base = `http://127.0.0.1:${server.port}`;

  // Released prescriptions, so that mutated dispensations reach the conversion and the store, not only the reader.
  for (const m1 of M1S) await fetch(`${base}/fhir/$convert-m1-to-eu`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/xml' }, body: m1 });
  // A summary with entries, for the marks.
  const withEntries = patients.find((p) => (p.data.kjernejournal.resources?.length ?? 0) > 1) ?? patients[0]!;
  const res = await fetch(`${base}/fhir/Patient/$summary?identifier=${encodeURIComponent(`${withEntries.key.system}|${withEntries.key.value}`)}`, { headers: { authorization: `Bearer ${token}` } });
  const document = (await res.json()) as Bundle;
  summaryId = document.id!;
  const composition = document.entry?.[0]?.resource as Composition;
  const byUrl = new Map(document.entry?.map((e) => [e.fullUrl, e.resource]));
  entries = (composition.section ?? []).flatMap((s) => s.entry ?? []).map((e) => byUrl.get(e.reference)).filter((r) => r !== undefined).map((r) => `${r.resourceType}/${r.id!}`);
  if (entries.length === 0) throw new Error('fixture check: the test patient\'s summary has entries to mark');
}, ENDPOINT_TIMEOUT_MS);

afterAll(async () => {
  await server?.stop();
  await db?.close();
});

describe(`fuzzing every endpoint (seed ${SEED}, ${RUNS} cases each): no 5xx, an OperationOutcome on every 4xx, no person number in the log`, () => {
  it('POST $convert-m1-to-eu with mutated M1 messages', () => fuzz(post('/fhir/$convert-m1-to-eu', xmlContentType, mutatedXml(M1S))), ENDPOINT_TIMEOUT_MS);

  it('POST $convert-eu-dispense-to-m10 with mutated EU eDispensations', () => fuzz(post('/fhir/$convert-eu-dispense-to-m10', jsonContentType, mutatedJson(DISPENSATIONS, PERSON_NUMBERS))), ENDPOINT_TIMEOUT_MS);

  it('POST $render-eu-prescription with mutated EU ePrescriptions', () => fuzz(post('/fhir/$render-eu-prescription', jsonContentType, mutatedJson(PRESCRIPTIONS, PERSON_NUMBERS))), ENDPOINT_TIMEOUT_MS);

  it('POST $convert-dispense-to-eu with mutated Parameters of an ePrescription and an M10', () => {
    const parameters = PRESCRIPTIONS.flatMap((prescription) => M10S.map((m10): Json => ({
      resourceType: 'Parameters',
      parameter: [
        { name: 'prescription', resource: prescription },
        { name: 'dispense', resource: { resourceType: 'Binary', contentType: 'application/xml', data: Buffer.from(m10).toString('base64') } },
      ],
    })));
    return fuzz(post('/fhir/$convert-dispense-to-eu', jsonContentType, mutatedJson(parameters, PERSON_NUMBERS)));
  }, ENDPOINT_TIMEOUT_MS);

  it('POST $validate with mutated FHIR JSON, bare and in Parameters', () => {
    const bases: Json[] = [...PRESCRIPTIONS, ...DISPENSATIONS, { resourceType: 'Parameters', parameter: [{ name: 'resource', resource: PRESCRIPTIONS[0]! }, { name: 'profile', valueCanonical: 'http://hl7.eu/fhir/mpd/StructureDefinition/Bundle-eu-mpd' }] }];
    return fuzz(post('/fhir/$validate', jsonContentType, mutatedJson(bases, PERSON_NUMBERS)));
  }, ENDPOINT_TIMEOUT_MS);

  it('POST $validate with mutated e-resept XML', () => fuzz(post('/fhir/$validate', xmlContentType, mutatedXml([...M1S, ...M10S]))), ENDPOINT_TIMEOUT_MS);

  it('POST {type}/$validate with mutated FHIR JSON and types', () => {
    const type = fc.oneof(fc.constantFrom('Bundle', 'Parameters', 'MedicationRequest', 'Patient', 'Foo', 'bundle', '%00', '%E2%82', '..', 'constructor', '__proto__'), fc.string({ unit: 'binary-ascii', maxLength: 12 }).map(encode));
    return fuzz(fc.record({ type, contentType: jsonContentType, body: mutatedJson([...PRESCRIPTIONS, ...DISPENSATIONS], PERSON_NUMBERS) }).map(({ type: t, contentType, body }) => ({ method: 'POST' as const, path: `/fhir/${t}/$validate`, contentType, body })));
  }, ENDPOINT_TIMEOUT_MS);

  const markParameters = (): Json[] => entries.slice(0, 4).flatMap((entry): Json[] => [
    { resourceType: 'Parameters', parameter: [{ name: 'entry', valueReference: { reference: entry } }] },
    { resourceType: 'Parameters', parameter: [{ name: 'entry', valueString: entry }] },
  ]);
  const patientPath = () => fc.oneof({ weight: 8, arbitrary: fc.constant(summaryId) }, { weight: 1, arbitrary: mutatedText([summaryId]).map(encode) });
  for (const operation of ['$mark-relevant', '$unmark-relevant']) {
    it(`POST Patient/{id}/${operation} with mutated Parameters`, () =>
      fuzz(fc.record({ id: patientPath(), contentType: jsonContentType, body: mutatedJson(markParameters(), PERSON_NUMBERS) }).map(({ id, contentType, body }) => ({ method: 'POST' as const, path: `/fhir/Patient/${id}/${operation}`, contentType, body }))), ENDPOINT_TIMEOUT_MS);
  }

  it('POST /notifications/source-changed with mutated change notifications', () => {
    const notifications = patients.slice(0, 4).map((p, i) => buildChangeNotification({
      source: (['kjernejournal', 'pll', 'reseptformidleren', 'npr', 'kpr'] as const)[i % 5]!, patient: p.key, subscription: 'http://127.0.0.1:4000/_sim/subscriptions/1',
      eventNumber: i + 1, timestamp: NOW.toISOString(), id: `0b7e4c0e-2f0a-4a57-9a43-5d2f7c1e9b1${i}`,
    }) as unknown as Json);
    return fuzz(post('/notifications/source-changed', jsonContentType, mutatedJson(notifications, PERSON_NUMBERS)));
  }, ENDPOINT_TIMEOUT_MS);

  it('POST /auth/dev-token with mutated token requests', () => {
    const bases: Json[] = [
      { scope: [SCOPE.summaryRead, SCOPE.eprescriptionConvert], hpr: '565104311', name: 'Lege Legesen', organisation: '974589095', role: 'lege', expiresIn: 600 },
      { scope: `${SCOPE.validate} ${SCOPE.auditRead}` },
      {},
    ];
    return fuzz(post('/auth/dev-token', jsonContentType, mutatedJson(bases, PERSON_NUMBERS)));
  }, ENDPOINT_TIMEOUT_MS);

  const query = (name: string, value: fc.Arbitrary<string>) => fc.oneof(
    { weight: 6, arbitrary: value.map((v) => `${name}=${encode(v)}`) },
    { weight: 1, arbitrary: value.map((v) => `${name}=${v}`) },
    { weight: 1, arbitrary: value.map((v) => `${name}=${encode(v)}&${name}=${encode(v)}`) },
    { weight: 1, arbitrary: fc.constant('') },
  );
  const identifiers = mutatedText(patients.slice(0, 6).flatMap((p) => [`${p.key.system}|${p.key.value}`, p.key.value]).concat([`${IDENTIFIER_SYSTEM.fnr}|`, `|${patients[0]!.key.value}`]));
  const optional = (name: string, values: readonly string[]) => fc.option(query(name, mutatedText(values)), { freq: 2 });

  it('GET Bundle/{id}/_history and _history/{vid} with mutated ids, versions, _at and language', () => {
    const vid = fc.oneof(fc.constantFrom('1', '2', '3'), mutatedText(['1', '2', '2147483647']), fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }).map(String));
    return fuzz(fc.record({ id: patientPath(), vid: fc.option(vid.map(encode), { freq: 3 }), at: optional('_at', ['2024-06-10T08:00:00Z', '2024-06-10']), language: optional('language', ['nb', 'en']) })
      .map(({ id, vid: v, at, language }) => ({ method: 'GET' as const, path: `/fhir/Bundle/${id}/_history${v === null ? '' : `/${v}`}?${[at, language].filter(Boolean).join('&')}` })));
  }, ENDPOINT_TIMEOUT_MS);

  it('GET Patient/$summary with mutated identifiers, profiles and languages', () =>
    fuzz(fc.record({ identifier: query('identifier', identifiers), profile: optional('profile', ['http://hl7.eu/fhir/eps/StructureDefinition/bundle-eu-eps', 'http://hl7.org/fhir/uv/ips/StructureDefinition/Bundle-uv-ips|2.0.1']), language: optional('language', ['nb', 'en']) })
      .map(({ identifier, profile, language }) => ({ method: 'GET' as const, path: `/fhir/Patient/$summary?${[identifier, profile, language].filter(Boolean).join('&')}` }))), ENDPOINT_TIMEOUT_MS);

  it('GET AuditEvent?patient= with mutated identifiers and references', () => {
    const name = fc.constantFrom('patient', 'patient:identifier', 'patient:identifier', '_count', 'patient.identifier', 'date');
    return fuzz(fc.record({ name, value: fc.oneof(identifiers, mutatedText([`Patient/${summaryId}`])), count: optional('_count', ['10', '1']) })
      .map(({ name: n, value, count }) => ({ method: 'GET' as const, path: `/fhir/AuditEvent?${[`${n}=${encode(value)}`, count].filter(Boolean).join('&')}` })));
  }, ENDPOINT_TIMEOUT_MS);
});
