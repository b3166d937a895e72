/**
 * `GET /healthz`: the process is alive. `GET /readyz`: it can serve (the database answers); 503 otherwise.
 */
import { Router } from 'express';
import { FHIR_JSON, operationOutcome } from '../fhir/operation-outcome.js';
import type { Queryable } from '../storage/database.js';

/** The router serving `/healthz` and, given a database, `/readyz`. */
export function healthRouter(db?: Queryable): Router {
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
      res.json({ status: 'ok', database: 'ok' });
    } catch {
      res.status(503).type(FHIR_JSON).json(operationOutcome('transient', 'the database does not answer'));
    }
  });
  return router;
}
