/**
 * `GET /healthz`: the process is alive. `GET /readyz`: it can serve (the database answers; 503 otherwise),
 * with each national source's state (its circuit breaker: `closed` = reachable, `open` = failing, calls
 * refused for now, `half-open` = being tried again). A failing source makes the status `degraded`, not
 * 503: every instance shares the same sources, and summaries are still served from the last data.
 * An unreachable database is a 503 with `Retry-After` from the error handler, within a bounded time: a
 * load balancer's probe must get its answer while the server is down, not hang with it.
 */
import { Router } from 'express';
import { DatabaseUnavailable, unavailableReason, type Queryable } from '../storage/database.js';

/** How long `/readyz` waits for the database's `select 1` before it answers 503. */
export const READINESS_TIMEOUT_MS = 2000;

/** Options of {@link healthRouter}. */
export interface HealthOptions {
  /** Default {@link READINESS_TIMEOUT_MS}. */
  readonly readinessTimeoutMs?: number;
}

/**
 * Resolves when the database answers within `ms`, else rejects with {@link DatabaseUnavailable}. A query
 * that answers later is left to finish (its result or error is ignored).
 */
async function databaseAnswers(db: Queryable, ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new DatabaseUnavailable('no answer in time')), ms);
  });
  try {
    await Promise.race([db.query('select 1'), late]);
  } catch (e) {
    // Whatever keeps the database from answering `select 1`, the service is not ready.
    throw e instanceof DatabaseUnavailable ? e : new DatabaseUnavailable(unavailableReason(e) ?? (e instanceof Error ? e.name : 'failed'));
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The router serving `/healthz` and, given a database, `/readyz`.
 * @example app.use(healthRouter(db, () => ({ pll: 'closed' })));
 */
export function healthRouter(db?: Queryable, sourceStates?: () => Readonly<Record<string, string>>, options: HealthOptions = {}): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    if (!db) {
      res.json({ status: 'ok', database: 'not used' });
      return;
    }
    await databaseAnswers(db, options.readinessTimeoutMs ?? READINESS_TIMEOUT_MS);
    const sources = sourceStates?.();
    const degraded = sources && Object.values(sources).some((s) => s !== 'closed');
    res.json({ status: degraded ? 'degraded' : 'ok', database: 'ok', ...(sources ? { sources } : {}) });
  });
  return router;
}
