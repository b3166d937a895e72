/**
 * `GET /healthz`: the process is alive. `GET /readyz`: it can serve (the database answers; 503 otherwise),
 * with each national source's state (its circuit breaker: `closed` = reachable, `open` = failing, calls
 * refused for now, `half-open` = being tried again). A failing source makes the status `degraded`, not
 * 503: every instance shares the same sources, and summaries are still served from the last data.
 */
import { Router } from 'express';
import { FHIR_JSON, operationOutcome } from '../fhir/operation-outcome.js';
import type { Queryable } from '../storage/database.js';

/** The router serving `/healthz` and, given a database, `/readyz`. */
export function healthRouter(db?: Queryable, sourceStates?: () => Readonly<Record<string, string>>): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    if (!db) {
      res.json({ status: 'ok', database: 'not used' });
      return;
    }
    try {
      await db.query('select 1');
      const sources = sourceStates?.();
      const degraded = sources && Object.values(sources).some((s) => s !== 'closed');
      res.json({ status: degraded ? 'degraded' : 'ok', database: 'ok', ...(sources ? { sources } : {}) });
    } catch {
      res.status(503).type(FHIR_JSON).json(operationOutcome('transient', 'the database does not answer'));
    }
  });
  return router;
}
