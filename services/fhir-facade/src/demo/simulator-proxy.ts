/**
 * `/demo/api/sim/*` → the in-process national-sources simulator's control API (development mode only).
 * The page runs on the facade's origin and its content security policy lets it talk to that origin only,
 * so the simulator's fault injection and data changes are passed through here. Only those two parts of
 * the control API are: registering subscribers would let a browser make the simulator post elsewhere.
 */
import express, { Router, type Request, type Response } from 'express';
import { HttpProblem, operationOutcome } from '../fhir/operation-outcome.js';

/** The simulator's own limit for a data change (a PLL Bundle stays well below). */
const MAX_BODY = '10mb';
/** A data change answers after the simulator has notified its subscribers (each within 5 s). */
const SIMULATOR_TIMEOUT_MS = 15_000;
/** Control paths (below `/_sim`) that may be passed through, by method. */
const ALLOWED: readonly { readonly methods: readonly string[]; readonly path: RegExp }[] = [
  { methods: ['GET', 'DELETE'], path: /^\/faults$/ },
  { methods: ['PUT', 'DELETE'], path: /^\/faults\/[a-z]+$/ },
  { methods: ['PUT'], path: /^\/patients\/[a-z0-9-]+\/[a-z]+$/ },
];

function allowed(req: Request): boolean {
  return ALLOWED.some((a) => a.methods.includes(req.method) && a.path.test(req.path));
}

async function forward(simulatorUrl: string, req: Request, res: Response): Promise<void> {
  const body = Buffer.isBuffer(req.body) && req.body.length > 0 ? req.body : undefined;
  let answer: globalThis.Response;
  try {
    answer = await fetch(`${simulatorUrl}/_sim${req.path}`, {
      method: req.method,
      ...(body ? { body, headers: { 'content-type': req.get('content-type') ?? 'application/json' } } : {}),
      signal: AbortSignal.timeout(SIMULATOR_TIMEOUT_MS),
    });
  } catch {
    throw new HttpProblem(502, operationOutcome('transient', 'the national-sources simulator did not answer'));
  }
  res.status(answer.status);
  const type = answer.headers.get('content-type');
  if (type) res.type(type);
  res.send(Buffer.from(await answer.arrayBuffer()));
}

/**
 * The pass-through to the simulator at `simulatorUrl` (mounted at `/demo/api/sim`).
 * @example router.use('/api/sim', simulatorProxy(sources.simulator.url))
 */
export function simulatorProxy(simulatorUrl: string): Router {
  const router = Router();
  router.use(express.raw({ type: () => true, limit: MAX_BODY }), async (req, res) => {
    if (!allowed(req)) throw new HttpProblem(404, operationOutcome('not-found', 'the demo passes only /faults and /patients/{slug}/{source} to the simulator'));
    await forward(simulatorUrl, req, res);
  });
  return router;
}
