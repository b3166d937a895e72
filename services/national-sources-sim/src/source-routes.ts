/**
 * The routes of the five simulated sources, each under its own base path (see {@link sourceBasePath}).
 * Every route needs the patient's number in the {@link NIN_HEADER} header; the answers follow
 * docs/sources.md.
 */
import type { PatientSourceData, PatientSourceStore, SourceName } from '@ehds-no/core';
import type { Binary, Resource } from '@medplum/fhirtypes';
import { Router, type Request, type RequestHandler, type Response } from 'express';
import type { FaultInjector } from './faults.js';
import { noPllOutcome, outcome, searchset } from './fhir-responses.js';
import {
  FHIR_JSON, KJERNEJOURNAL_RESOURCE_TYPES, M1_CONTENT_TYPE, NIN_HEADER, PLAIN_JSON, PLL_OPERATION, REGISTER_RECORDS_PATH, isNin, sourceBasePath,
} from './wire-format.js';

/** Where a route handler finds the patient the header named (undefined: not known to the simulator). */
interface PatientLocals {
  patient: PatientSourceData | undefined;
}

/**
 * 400 without a usable header; otherwise looks the patient up for the handler (another one under a
 * `wrong-patient` fault).
 */
function requireNin(name: SourceName, store: PatientSourceStore, faults: FaultInjector): RequestHandler {
  return (req, res, next) => {
    const nin = req.get(NIN_HEADER);
    if (!nin || !isNin(nin)) {
      res.status(400).type(FHIR_JSON).json(outcome('required', `the ${NIN_HEADER} header with an 11-digit fødselsnummer or D-nummer is required`));
      return;
    }
    (res.locals as PatientLocals).patient = faults.patientFor(name, store.patientByNin(nin), store);
    next();
  };
}

function patientOf(res: Response): PatientSourceData | undefined {
  return (res.locals as PatientLocals).patient;
}

/** The FHIR base of the source that serves `req`, for `fullUrl`s. */
function fhirBase(req: Request): string {
  return `${req.protocol}://${req.get('host') ?? 'localhost'}${req.baseUrl}`;
}

function sendFhir(res: Response, body: Resource, status = 200): void {
  res.status(status).type(FHIR_JSON).json(body);
}

/** A router for one source: faults first, then the header check, then `routes`. */
function sourceRouter(name: SourceName, contentType: string, store: PatientSourceStore, faults: FaultInjector, routes: (router: Router) => void): Router {
  const router = Router();
  router.use(faults.middleware(name, contentType), requireNin(name, store, faults));
  routes(router);
  return router;
}

/**
 * Kjernejournal: `GET /Patient` (empty searchset when the person is not known) and a search per
 * critical-information resource type.
 */
export function kjernejournalRoutes(store: PatientSourceStore, faults: FaultInjector): Router {
  return sourceRouter('kjernejournal', FHIR_JSON, store, faults, (router) => {
    router.get('/Patient', (req, res) => {
      const kj = patientOf(res)?.data.kjernejournal;
      sendFhir(res, searchset(fhirBase(req), kj ? [kj.patient] : []));
    });
    for (const type of KJERNEJOURNAL_RESOURCE_TYPES) {
      router.get(`/${type}`, (req, res) => {
        const resources = patientOf(res)?.data.kjernejournal.resources.filter((r) => r.resourceType === type) ?? [];
        sendFhir(res, searchset(fhirBase(req), resources));
      });
    }
  });
}

/** PLL: `POST /Patient/$getMedication` answers with the SFM medication Bundle, or 404 without a PLL. */
export function pllRoutes(store: PatientSourceStore, faults: FaultInjector): Router {
  return sourceRouter('pll', FHIR_JSON, store, faults, (router) => {
    router.post(`/Patient/$${PLL_OPERATION}`, (_req, res) => {
      const bundle = patientOf(res)?.data.pll.bundle;
      if (bundle) sendFhir(res, bundle);
      else sendFhir(res, noPllOutcome(), 404);
    });
  });
}

/** Reseptformidleren: `GET /Binary` lists the active prescriptions, one M1 per `Binary` (id = ReseptId). */
export function reseptformidlerenRoutes(store: PatientSourceStore, faults: FaultInjector): Router {
  return sourceRouter('reseptformidleren', FHIR_JSON, store, faults, (router) => {
    router.get('/Binary', (req, res) => {
      const binaries = (patientOf(res)?.data.reseptformidleren.prescriptions ?? []).map(
        (p): Binary => ({ resourceType: 'Binary', id: p.reseptId, contentType: M1_CONTENT_TYPE, data: Buffer.from(p.m1Xml, 'utf8').toString('base64') }),
      );
      sendFhir(res, searchset(fhirBase(req), binaries));
    });
  });
}

/** NPR or KPR: `GET /records` answers `{ "records": [...] }` (empty for a person without records). */
export function registerRoutes(source: 'npr' | 'kpr', store: PatientSourceStore, faults: FaultInjector): Router {
  return sourceRouter(source, PLAIN_JSON, store, faults, (router) => {
    router.get(REGISTER_RECORDS_PATH, (_req, res) => {
      res.type(PLAIN_JSON).json({ records: patientOf(res)?.data[source].records ?? [] });
    });
  });
}

/** All five sources, mounted at their base paths. */
export function allSourceRoutes(store: PatientSourceStore, faults: FaultInjector): Router {
  const router = Router();
  router.use(sourceBasePath('kjernejournal'), kjernejournalRoutes(store, faults));
  router.use(sourceBasePath('pll'), pllRoutes(store, faults));
  router.use(sourceBasePath('reseptformidleren'), reseptformidlerenRoutes(store, faults));
  router.use(sourceBasePath('npr'), registerRoutes('npr', store, faults));
  router.use(sourceBasePath('kpr'), registerRoutes('kpr', store, faults));
  return router;
}
