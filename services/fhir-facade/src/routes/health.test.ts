/**
 * `/readyz` while the database is away: 503 with `Retry-After` when it refuses, within the readiness
 * timeout when it does not answer at all (time is jest's fake clock), and 200 again once it answers.
 */
import express from 'express';
import request from 'supertest';
import { DATABASE_RETRY_AFTER_SECONDS, errorHandler } from '../fhir/errors.js';
import { createLogger } from '../logging.js';
import type { Queryable } from '../storage/database.js';
import { healthRouter, READINESS_TIMEOUT_MS } from './health.js';

const logger = createLogger({ write: () => undefined });
/** Jest's object: in an ESM test file it is `import.meta.jest`, not a global. */
const { jest: timers } = import.meta as ImportMeta & { jest: typeof jest };

/** `/readyz` on `db`, with the facade's error handler. */
function appOn(db: Queryable) {
  return express().use(healthRouter(db)).use(errorHandler(logger));
}

/** A database whose `select 1` does what `answer` says for the current state. */
function switchable() {
  let answer: () => Promise<{ rows: never[] }> = async () => ({ rows: [] });
  const db: Queryable = { query: () => answer() as never };
  return {
    db,
    set(next: () => Promise<{ rows: never[] }>) {
      answer = next;
    },
  };
}

const expectUnready = (res: request.Response) => {
  expect(res.status).toBe(503);
  expect(res.headers['retry-after']).toBe(String(DATABASE_RETRY_AFTER_SECONDS));
  expect(res.body).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ code: 'transient' }] });
};

describe('/readyz', () => {
  afterEach(() => timers.useRealTimers());

  it('is 503 with Retry-After while the database refuses, and 200 once it answers again', async () => {
    const database = switchable();
    const app = appOn(database.db);
    expect((await request(app).get('/readyz').expect(200)).body).toEqual({ status: 'ok', database: 'ok' });
    database.set(async () => {
      throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    });
    expectUnready(await request(app).get('/readyz'));
    database.set(async () => {
      throw new Error('an error no rule knows');
    });
    expectUnready(await request(app).get('/readyz'));
    database.set(async () => ({ rows: [] }));
    await request(app).get('/readyz').expect(200);
  });

  it('answers 503 when the database does not answer within the readiness timeout, instead of hanging', async () => {
    // Only the timers are fake: the HTTP exchange runs on real sockets.
    timers.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    const database = switchable();
    database.set(() => new Promise(() => undefined));
    const pending = request(appOn(database.db)).get('/readyz').then((res) => res);
    let answered = false;
    void pending.then(() => (answered = true));
    // Polled, not slept: wait until the request has reached the query (its timer is then set).
    while (timers.getTimerCount() === 0) await new Promise((resolve) => setImmediate(resolve));
    await timers.advanceTimersByTimeAsync(READINESS_TIMEOUT_MS - 1);
    expect(answered).toBe(false);
    await timers.advanceTimersByTimeAsync(1);
    expectUnready(await pending);
    expect(timers.getTimerCount()).toBe(0);
  });
});
