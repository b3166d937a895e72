/**
 * The demonstration page (issue 7), served only in development mode (`EHDS_MODE=development`, with the
 * local token issuer; app.ts mounts it only then): `GET /demo/` is plain HTML, CSS and ES modules from
 * `services/fhir-facade/demo/` that talk to the real API with a token from `POST /auth/dev-token`. The
 * few helpers under `/demo/api` give the page what the FHIR API does not: the test patients, the
 * synthetic messages, the simulator's control API, and a rebuild on demand.
 */
import type { PatientSourceData, PatientSummaryService } from '@ehds-no/core';
import express, { Router } from 'express';
import helmet from 'helmet';
import { fileURLToPath } from 'node:url';
import { DEMO_FIXTURE_KINDS, demoFixturePath, isDemoFixtureKind, listDemoFixtures, type DemoFixtureKind } from '../demo/demo-fixtures.js';
import { demoPatients, patientKeyOf } from '../demo/demo-patients.js';
import { simulatorProxy } from '../demo/simulator-proxy.js';
import { demoSummaryCodes } from '../demo/summary-codes.js';
import { methodNotAllowed } from '../fhir/method-not-allowed.js';
import { HttpProblem, operationOutcome } from '../fhir/operation-outcome.js';

/** Where the page is served. */
export const DEMO_BASE = '/demo';

/** The page's static files (the same depth from `src/routes/` and `dist/routes/`). */
const DEMO_FILES = fileURLToPath(new URL('../../demo/', import.meta.url));

/**
 * The page's content security policy: helmet's defaults (everything from this origin only, no inline
 * scripts), its own styles and fonts only, and no `upgrade-insecure-requests`: in development the page is
 * served over plain HTTP, also to other machines on the network, and an upgrade would send the page's own
 * requests to an HTTPS port nobody listens on.
 */
const DEMO_CONTENT_SECURITY_POLICY = helmet.contentSecurityPolicy({
  useDefaults: true,
  directives: { styleSrc: ["'self'"], fontSrc: ["'self'"], upgradeInsecureRequests: null },
});

/** What the demonstration page needs. */
export interface DemoDeps {
  /** The in-process national-sources simulator and the test patients it serves (absent with configured source URLs). */
  readonly simulator?: { readonly url: string; readonly patients: () => Iterable<PatientSourceData> };
  /** The summary service, for a rebuild on demand (absent when the summary is not served). */
  readonly summary?: Pick<PatientSummaryService, 'rebuild'>;
  /** How long `$summary` serves a stored version (`SUMMARY_MAX_AGE_MS`), which the page explains. */
  readonly summaryMaxAgeMs?: number;
}

/** The router of the page and its helpers (mount at {@link DEMO_BASE}). */
export function demoRouter(deps: DemoDeps): Router {
  const router = Router();
  router.use(DEMO_CONTENT_SECURITY_POLICY);
  let patients: PatientSourceData[] | undefined;
  // Read once: the folders do not change while the service runs (a data change keeps slug and key).
  const testPatients = () => (patients ??= deps.simulator ? [...deps.simulator.patients()] : []);

  router.get('/api/config', (_req, res) => {
    res.json({
      simulator: deps.simulator !== undefined,
      rebuild: deps.summary !== undefined && deps.simulator !== undefined,
      ...(deps.summaryMaxAgeMs !== undefined ? { summaryMaxAgeMs: deps.summaryMaxAgeMs } : {}),
      ...demoSummaryCodes(),
    });
  });

  router.get('/api/patients', (_req, res) => {
    res.json(demoPatients(testPatients()));
  });

  // What a national source's change notification triggers, on demand: `$summary` would otherwise serve
  // the stored version until SUMMARY_MAX_AGE_MS has passed, hiding a source taken down a moment ago.
  router.post('/api/patients/:slug/rebuild', async (req, res) => {
    const key = patientKeyOf(testPatients(), String(req.params.slug));
    if (!key || !deps.summary) throw new HttpProblem(404, operationOutcome('not-found', 'no test patient with this slug'));
    const rebuilt = await deps.summary.rebuild(key);
    res.json({ versionId: rebuilt.version.versionId });
  });
  router.all('/api/patients/:slug/rebuild', methodNotAllowed(['POST']));

  router.get('/api/fixtures', (_req, res) => {
    res.json(Object.fromEntries((Object.keys(DEMO_FIXTURE_KINDS) as DemoFixtureKind[]).map((kind) => [kind, listDemoFixtures(kind)])));
  });
  router.get('/api/fixtures/:kind/:file', (req, res) => {
    const kind = String(req.params.kind);
    const file = isDemoFixtureKind(kind) ? demoFixturePath(kind, String(req.params.file)) : undefined;
    if (!file) throw new HttpProblem(404, operationOutcome('not-found', 'no such demo fixture'));
    res.type(DEMO_FIXTURE_KINDS[kind as DemoFixtureKind].type).sendFile(file);
  });

  if (deps.simulator) router.use('/api/sim', simulatorProxy(deps.simulator.url));
  router.use(express.static(DEMO_FILES, { index: 'index.html', fallthrough: true }));
  return router;
}
