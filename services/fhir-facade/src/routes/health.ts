/**
 * `GET /healthz`: the process is alive and serving.
 */
import { Router } from 'express';

/** The router serving `/healthz`. */
export function healthRouter(): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  return router;
}
