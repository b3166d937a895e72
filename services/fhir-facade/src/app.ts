/**
 * The composition root: builds the Express app from the route families.
 */
import type { EreseptXsdValidator } from '@ehds-no/core';
import express, { type Express } from 'express';
import helmet from 'helmet';
import type { Logger } from 'pino';
import rateLimit from 'express-rate-limit';
import { SCOPE } from './auth/caller.js';
import { requireScope } from './auth/require-scope.js';
import { FHIR_JSON, operationOutcome } from './fhir/operation-outcome.js';
import { createLogger, requestLogger } from './logging.js';
import { createMetrics, type Metrics } from './metrics.js';
import type { Queryable } from './storage/database.js';
import { errorHandler, notFound } from './fhir/errors.js';
import { acceptsFhirJson } from './fhir/content-type.js';
import { EPRESCRIPTION_OPERATIONS, eprescriptionRouter, type EprescriptionDeps } from './routes/eprescription.js';
import type { DevIssuer } from './auth/token-verifier.js';
import type { ConformanceRepository } from './conformance/repository.js';
import { AUDIT_EVENT_RESOURCE, auditRouter } from './routes/audit.js';
import { CONFORMANCE_RESOURCES, conformanceRouter } from './routes/conformance.js';
import { devTokenRouter } from './routes/dev-token.js';
import { DEMO_BASE, demoRouter, type DemoDeps } from './routes/demo.js';
import { healthRouter } from './routes/health.js';
import { metadataRouter, type ServerCapabilities } from './routes/metadata.js';
import { SUMMARY_BUNDLE_RESOURCE, SUMMARY_PATIENT_RESOURCE, summaryRouter, type SummaryDeps } from './routes/summary.js';
import { VALIDATE_OPERATION, validateRouter, type ValidateDeps } from './routes/validate.js';

/** Path of the FHIR base. */
export const FHIR_BASE = '/fhir';

/** The one FHIR operation that answers in HTML as well as JSON (below the base). */
const VIEW_OPERATION_PATH = '/$render-eu-prescription';

/** Options for {@link createApp}. */
export interface AppOptions {
  readonly version: string;
  readonly startedAt?: Date;
  /** Official-XSD validation of e-resept messages, when configured (used by the e-resept operations). */
  readonly ereseptXsd?: EreseptXsdValidator;
  /** The step-1 e-prescription operations and their store (left out, the operations are not served). */
  readonly eprescription?: Omit<EprescriptionDeps, 'ereseptXsd'>;
  /** Development mode (`EHDS_MODE=development`): the local issuer behind `POST /auth/dev-token`. Never set otherwise. */
  readonly devIssuer?: DevIssuer;
  /** The demonstration page at `/demo` (served only with {@link AppOptions.devIssuer}: development mode). */
  readonly demo?: Omit<DemoDeps, 'summary'>;
  /** Where logs go; default: a logger on stdout. */
  readonly logger?: Logger;
  /** The conformance resources of `profiles/` (served when given, with the e-prescription verifier). */
  readonly conformance?: ConformanceRepository;
  /** The database, for `/readyz`. */
  readonly db?: Queryable;
  /** The national patient summary and its store (left out, the summary operations are not served). */
  readonly summary?: Omit<SummaryDeps, 'logger'>;
  /** Each national source's circuit state, for `/readyz`. */
  readonly sourceStates?: () => Readonly<Record<string, string>>;
  /** The metrics registry (default: a new one); main.ts shares it with the source fetches. */
  readonly metrics?: Metrics;
  /** `$validate` for EPJ vendors (left out, the operation is not served). */
  readonly validation?: Omit<ValidateDeps, 'ereseptXsd'>;
  /** Requests per minute per client address before 429 (default 1200). */
  readonly rateLimitPerMinute?: number;
}

/**
 * Creates the facade's Express app (not yet listening).
 * @example const app = createApp({ version: '0.1.0' }); app.listen(8080);
 */
export function createApp(options: AppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('json spaces', 0);

  const capabilities: ServerCapabilities = {
    resources: [
      ...(options.eprescription || options.summary ? [AUDIT_EVENT_RESOURCE] : []),
      ...(options.eprescription && options.conformance ? CONFORMANCE_RESOURCES : []),
      ...(options.summary ? [SUMMARY_PATIENT_RESOURCE, SUMMARY_BUNDLE_RESOURCE] : []),
    ],
    operations: [...(options.eprescription ? EPRESCRIPTION_OPERATIONS : []), ...(options.validation ? [VALIDATE_OPERATION] : [])],
  };
  const logger = options.logger ?? createLogger();
  const metrics = options.metrics ?? createMetrics();
  app.use(requestLogger(logger), metrics.record);
  app.use(helmet());
  app.use(healthRouter(options.db, options.sourceStates));
  app.use(
    rateLimit({
      windowMs: 60_000,
      limit: options.rateLimitPerMinute ?? 1200,
      standardHeaders: 'draft-8',
      legacyHeaders: false,
      handler: (_req, res) => {
        res.status(429).type(FHIR_JSON).json(operationOutcome('throttled', 'too many requests; try again in a minute'));
      },
    }),
  );
  // Every FHIR endpoint answers in FHIR JSON, except the pharmacy view, which negotiates HTML or JSON itself.
  app.use(FHIR_BASE, (req, res, next) => (req.path === VIEW_OPERATION_PATH ? next() : acceptsFhirJson(req, res, next)));
  if (options.devIssuer) app.use(devTokenRouter(options.devIssuer));
  if (options.devIssuer && options.demo) app.use(DEMO_BASE, demoRouter({ ...options.demo, ...(options.summary ? { summary: options.summary.service } : {}) }));
  // Before the summary and conformance routes, whose `/fhir/{type}/{id}` patterns would take `{type}/$validate`.
  if (options.validation) app.use(validateRouter({ ...options.validation, ...(options.ereseptXsd ? { ereseptXsd: options.ereseptXsd } : {}) }));
  if (options.summary) app.use(summaryRouter({ ...options.summary, logger }));
  // The access log covers both families: summary reads and conversions.
  const auditing = options.summary ?? options.eprescription;
  if (auditing) app.use(auditRouter({ store: auditing.audit, verifier: auditing.verifier, ...(options.summary ? { patients: options.summary.store } : {}) }));
  if (options.eprescription) {
    app.use(eprescriptionRouter({ ...options.eprescription, ...(options.ereseptXsd ? { ereseptXsd: options.ereseptXsd } : {}) }));
    if (options.conformance) app.use(conformanceRouter(options.conformance, options.eprescription.verifier));
    app.get('/metrics', requireScope(options.eprescription.verifier, SCOPE.metricsRead), metrics.serve);
  }
  app.use(FHIR_BASE, metadataRouter(capabilities, { version: options.version, startedAt: options.startedAt ?? new Date() }));

  app.use(notFound);
  app.use(errorHandler(logger));
  return app;
}
