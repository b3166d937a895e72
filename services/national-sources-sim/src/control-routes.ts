/**
 * The simulator's control API under `/_sim`: faults per source, data changes (which notify the
 * subscribers) and the subscribers themselves. Not part of any national API.
 */
import { SOURCE_NAMES, type PatientSourceStore, type SourceName } from '@ehds-no/core';
import express, { Router, type Request, type Response } from 'express';
import { readFault, type FaultInjector } from './faults.js';
import { outcome } from './fhir-responses.js';
import { readSourceData } from './source-data-input.js';
import { isHttpUrl, type Subscriptions } from './subscriptions.js';
import { FHIR_JSON, PLAIN_JSON } from './wire-format.js';

/** Largest accepted body of a data change (a PLL Bundle with many entries stays well below). */
const MAX_BODY = '10mb';

function isSource(value: string): value is SourceName {
  return (SOURCE_NAMES as readonly string[]).includes(value);
}

function problem(res: Response, status: number, code: 'invalid' | 'not-found', message: string): void {
  res.status(status).type(FHIR_JSON).json(outcome(code, message));
}

/** The source named in the path, or a 404 answer. */
function sourceParam(req: Request, res: Response): SourceName | undefined {
  const source = String(req.params.source);
  if (isSource(source)) return source;
  problem(res, 404, 'not-found', `no source named ${source}; the sources are ${SOURCE_NAMES.join(', ')}`);
  return undefined;
}

/** The simulator's own base URL as the caller reached it. */
function selfBase(req: Request): string {
  return `${req.protocol}://${req.get('host') ?? 'localhost'}`;
}

/** The `/_sim` router. */
export function controlRoutes(store: PatientSourceStore, faults: FaultInjector, subscriptions: Subscriptions): Router {
  const router = Router();
  router.use(express.json({ limit: MAX_BODY, type: [PLAIN_JSON, FHIR_JSON] }));

  router.get('/faults', (_req, res) => {
    res.json(faults.list());
  });
  router.delete('/faults', (_req, res) => {
    faults.clearAll();
    res.status(204).end();
  });
  router.put('/faults/:source', (req, res) => {
    const source = sourceParam(req, res);
    if (!source) return;
    const read = readFault(req.body);
    if (!read.ok) return problem(res, 400, 'invalid', read.message);
    faults.set(source, read.fault);
    res.json(read.fault);
  });
  router.delete('/faults/:source', (req, res) => {
    const source = sourceParam(req, res);
    if (!source) return;
    faults.clear(source);
    res.status(204).end();
  });

  router.put('/patients/:slug/:source', async (req, res) => {
    const source = sourceParam(req, res);
    if (!source) return;
    const read = readSourceData(source, req.body);
    if (!read.ok) return problem(res, 400, 'invalid', read.message);
    const updated = store.replace(String(req.params.slug), source, read.data);
    if (!updated) return problem(res, 404, 'not-found', 'no patient with this slug');
    // Answered after the deliveries, so that a test or demo sees the subscribers' reactions at once.
    res.json({ notified: await subscriptions.notify(source, updated.key, selfBase(req)) });
  });

  router.post('/subscriptions', (req, res) => {
    const body = req.body as { endpoint?: unknown; authorization?: unknown } | undefined;
    if (!isHttpUrl(body?.endpoint)) return problem(res, 400, 'invalid', 'endpoint must be an http(s) URL');
    if (body.authorization !== undefined && typeof body.authorization !== 'string') return problem(res, 400, 'invalid', 'authorization must be a string (the Authorization header to send)');
    res.status(201).json(subscriptions.add(body.endpoint, body.authorization));
  });
  router.get('/subscriptions', (_req, res) => {
    res.json(subscriptions.list());
  });
  router.delete('/subscriptions/:id', (req, res) => {
    if (subscriptions.remove(String(req.params.id))) res.status(204).end();
    else problem(res, 404, 'not-found', 'no subscription with this id');
  });
  return router;
}
