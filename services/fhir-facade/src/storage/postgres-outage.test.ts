/**
 * The facade outlives its PostgreSQL server: under a bounded load of writes (M1 conversions, each a new
 * release, and Norwegian dispensings of EU prescriptions, each a transaction), the server is stopped (fast shutdown, sessions ended with 57P01) and started again, then
 * killed (`kill -9`) and started again. Throughout, the app answers 200 or 503 with `Retry-After`, never
 * 500 and never an escaped 'error' event (jest fails the test on an uncaught exception), `/readyz` goes
 * 503 while the server is down and 200 once it is back, the pool reconnects by itself, every
 * 2xx-acknowledged write is there afterwards, and the log stays JSON lines without identifiers.
 *
 * It needs a PostgreSQL server it may stop: it starts one of its own through `.ci/postgres.sh` on a free
 * loopback port (never the shared server of `TEST_DATABASE_URL`, which other test files use meanwhile).
 * So it runs in CI's PostgreSQL pass (`TEST_DATABASE_URL` set, PostgreSQL installed) and is skipped otherwise.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DEFAULT_FOREIGN_PHARMACY } from '@ehds-no/core';
import { fixture, REPO_ROOT } from '../../../../packages/core/src/test-support/eresept-fixtures.js';
import { createApp } from '../app.js';
import { SCOPE } from '../auth/caller.js';
import { devIssuer } from '../auth/token-verifier.js';
import { DEV_TOKEN_AUDIENCE } from '../config.js';
import { DATABASE_RETRY_AFTER_SECONDS } from '../fhir/errors.js';
import { createLogger } from '../logging.js';
import { startServer, type RunningServer } from '../server.js';
import { AuditStore } from './audit-store.js';
import { migrate, type Database } from './database.js';
import { EprescriptionStore } from './eprescription-store.js';
import { openPostgres } from './postgres.js';

const SCRIPT = join(REPO_ROOT, '.ci/postgres.sh');
const POSTGRES_LIB = '/usr/lib/postgresql';
const available = Boolean(process.env.TEST_DATABASE_URL) && existsSync(SCRIPT) && existsSync(POSTGRES_LIB) && readdirSync(POSTGRES_LIB).length > 0;
const suite = available ? describe : describe.skip;
const SKIPPED = available ? '' : ' (skipped: needs TEST_DATABASE_URL and PostgreSQL installed, to start and stop a server of its own with .ci/postgres.sh)';

/** Writes acknowledged in each of the three phases (before, between and after the two outages). */
const WRITES_PER_PHASE = 40;
/** Requests in flight at once. */
const CONCURRENCY = 6;
/** Every wait is bounded: a phase that does not come about within this fails the test. */
const PHASE_DEADLINE_MS = 60_000;
/** The fixture's MsgId, which is also the ReseptId of a prescription: each request gets its own. */
const FIXTURE_RESEPT_ID = '240a3213-df60-4662-9180-5b2088c69077';
/** The fixture's patient. */
const FIXTURE_PERSON_NUMBER = '12835412073';
/** The EU prescription's id in the EU fixture and in the M10 that dispenses it: each request gets its own. */
const FIXTURE_EU_PRESCRIPTION_ID = 'SE-RX-2024-0601-0001';
/** That M10's MsgId, the key of the dispensing. */
const FIXTURE_M10_MSG_ID = '7f3e2a10-5b6c-4d8e-9f01-23456789abcd';

const runScript = promisify(execFile);
const postgres = async (...args: string[]) => (await runScript('bash', [SCRIPT, ...args], { timeout: 120_000 })).stdout.trim();

/** A loopback port free now (PostgreSQL needs a number: it cannot be given port 0). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** Polls `condition` (every 20 ms) until it holds; fails with `what` after {@link PHASE_DEADLINE_MS}. */
async function until(what: string, condition: () => boolean | Promise<boolean>): Promise<void> {
  const deadline = Date.now() + PHASE_DEADLINE_MS;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

suite(`the facade across PostgreSQL restarts${SKIPPED}`, () => {
  let dir: string;
  let db: Database;
  let running: RunningServer;
  let token: string;
  const logLines: string[] = [];

  beforeAll(async () => {
    const started = await postgres('start', String(await freePort()));
    const [url, dataDir] = started.split(' ');
    dir = dataDir!;
    const logger = createLogger({ write: (line: string) => void logLines.push(line) });
    db = openPostgres(url!, { logger, connectionTimeoutMillis: 2000 });
    await migrate(db);
    const issuer = await devIssuer(DEV_TOKEN_AUDIENCE);
    const app = createApp({
      version: 'test',
      logger,
      db,
      rateLimitPerMinute: 100_000,
      devIssuer: issuer,
      eprescription: { store: new EprescriptionStore(db), audit: new AuditStore(db), verifier: issuer, allowSyntheticIdentities: true, foreignPharmacy: DEFAULT_FOREIGN_PHARMACY, now: () => new Date('2024-06-10T08:00:00Z') },
    });
    running = await startServer(app, 0, '127.0.0.1', 1000);
    token = await issuer.mint({ scope: Object.values(SCOPE).join(' '), 'helseid://claims/hpr/hpr_number': '565104311' });
  }, 180_000);

  afterAll(async () => {
    await running?.stop();
    await db?.close();
    if (dir) await postgres('stop', dir);
  }, 120_000);

  const base = () => `http://127.0.0.1:${running.port}`;
  const m1 = fixture('m1-pakning-dosering.xml');
  const m10 = fixture('m10-eu-resept-amoxicillin.xml');
  const euPrescription = readFileSync(join(REPO_ROOT, 'test-data/eu/ep-se-amoxicillin-valid.json'), 'utf8');
  const post = (operation: string, contentType: string, body: string) =>
    fetch(`${base()}/fhir/${operation}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': contentType }, body });
  /** One write, by its id: an M1 released to the EU (200, one statement), or a Norwegian dispensing of an EU prescription (201, a transaction). */
  const write = (id: string) =>
    id.startsWith('m1:')
      ? post('$convert-m1-to-eu', 'application/xml', m1.replace(FIXTURE_RESEPT_ID, id.slice(3)))
      : post('$convert-dispense-to-eu', 'application/fhir+json', JSON.stringify({
        resourceType: 'Parameters',
        parameter: [
          { name: 'prescription', resource: JSON.parse(euPrescription.replace(FIXTURE_EU_PRESCRIPTION_ID, `SE-RX-${id.slice(3)}`)) as unknown },
          { name: 'dispense', resource: { resourceType: 'Binary', contentType: 'application/xml', data: Buffer.from(m10.replace(FIXTURE_EU_PRESCRIPTION_ID, `SE-RX-${id.slice(3)}`).replace(FIXTURE_M10_MSG_ID, id.slice(3))).toString('base64') } },
        ],
      }));
  /** Whether a write is stored: the release can be read; the dispensing sent again is answered from the store (200, not 201). */
  const stored = async (id: string) =>
    id.startsWith('m1:')
      ? (await fetch(`${base()}/reseptformidler/utleveringer/${id.slice(3)}`, { headers: { authorization: `Bearer ${token}` } })).status === 200
      : (await write(id)).status === 200;
  const ready = async () => (await fetch(`${base()}/readyz`)).status;

  it('answers 503 with Retry-After while the server is down, reconnects when it is back, and loses no acknowledged write', async () => {
    expect(m1).toContain(FIXTURE_RESEPT_ID);
    const acknowledged: string[] = [];
    const refused: string[] = [];
    const unexpected: string[] = [];
    /** Workers that got a 503 wait for this (the server is back) before they send again, as a client honouring Retry-After would. */
    let back: Promise<void> = Promise.resolve();
    let waiting = 0;
    let stopLoad = false;

    async function worker(n: number) {
      for (let i = n; !stopLoad; i++) {
        const id = `${i % 2 === 0 ? 'm1' : 'eu'}:${randomUUID()}`;
        const res = await write(id);
        const body = (await res.json()) as { resourceType?: string; issue?: { code?: string }[] };
        if (res.status === (id.startsWith('m1:') ? 200 : 201)) acknowledged.push(id);
        else if (res.status === 503 && res.headers.get('retry-after') === String(DATABASE_RETRY_AFTER_SECONDS) && body.resourceType === 'OperationOutcome' && body.issue?.[0]?.code === 'transient') {
          refused.push(id);
          waiting++;
          await back;
          waiting--;
        } else unexpected.push(`${res.status} ${JSON.stringify(body).slice(0, 200)}`);
      }
    }

    /** Takes the server away with `how`, checks the facade through the outage, and brings it back. */
    async function outage(how: 'stop-server' | 'kill-server') {
      let release!: () => void;
      back = new Promise((resolve) => (release = resolve));
      await postgres(how, dir);
      await until(`/readyz is 503 after ${how}`, async () => (await ready()) === 503);
      // Every worker has met the outage (a 503, not a hang or a 500) before the server comes back.
      await until(`every worker got a 503 after ${how}`, () => waiting === CONCURRENCY || unexpected.length > 0);
      await postgres('start-server', dir);
      await until(`/readyz is 200 after ${how} and start-server`, async () => (await ready()) === 200);
      release();
    }

    const load = Promise.all(Array.from({ length: CONCURRENCY }, (_, n) => worker(n)));
    const atLeast = (n: number) => until(`${n} writes are acknowledged`, () => acknowledged.length >= n || unexpected.length > 0);
    try {
      await atLeast(WRITES_PER_PHASE);
      await outage('stop-server');
      const afterFirst = acknowledged.length;
      await atLeast(afterFirst + WRITES_PER_PHASE);
      await outage('kill-server');
      await atLeast(acknowledged.length + WRITES_PER_PHASE);
    } finally {
      stopLoad = true;
      await load;
    }

    expect(unexpected).toEqual([]);
    expect(refused.length).toBeGreaterThanOrEqual(2 * CONCURRENCY);
    expect(acknowledged.length).toBeGreaterThanOrEqual(3 * WRITES_PER_PHASE);
    expect(new Set(acknowledged.map((id) => id.slice(0, 3)))).toEqual(new Set(['m1:', 'eu:']));
    // Every acknowledged write is there; a refused one may or may not be (the commit's answer was lost),
    // and sending it again is safe: it is answered from the store or converted now.
    const missing = [];
    for (const id of acknowledged) if (!(await stored(id))) missing.push(id);
    expect(missing).toEqual([]);
    for (const id of refused) expect([200, 201]).toContain((await write(id)).status);

    const entries = logLines.map((line) => JSON.parse(line) as { msg?: string; reason?: string; status?: number });
    expect(entries.filter((e) => e.msg === 'database unavailable').length).toBeGreaterThanOrEqual(refused.length);
    expect(entries.filter((e) => e.msg === 'unhandled error')).toEqual([]);
    const log = logLines.join('');
    expect(log).not.toContain(FIXTURE_PERSON_NUMBER);
    expect(log).not.toMatch(/\b\d{11}\b/);
    for (const id of [...acknowledged, ...refused]) expect(log).not.toContain(id.slice(3));
  }, 300_000);
});
