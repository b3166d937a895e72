/**
 * Conformance resources (`GET /fhir/{type}/{id}`, `GET /fhir/{type}?url=`) for CodeSystem, ConceptMap,
 * NamingSystem, ValueSet, StructureDefinition and OperationDefinition, and `GET /fhir/ConceptMap/$translate`.
 */
import { defaultConceptMaps } from '@ehds-no/core';
import type { Bundle, CapabilityStatementRestResource, ConceptMap, Parameters, ParametersParameter } from '@medplum/fhirtypes';
import { Router, type Request, type RequestHandler, type Response } from 'express';
import { SCOPE } from '../auth/caller.js';
import { requireScope } from '../auth/require-scope.js';
import type { TokenVerifier } from '../auth/token-verifier.js';
import { CONFORMANCE_TYPES, isConformanceType, type ConformanceRepository, type ConformanceType } from '../conformance/repository.js';
import { methodNotAllowed } from '../fhir/method-not-allowed.js';
import { FHIR_JSON, HttpProblem, operationOutcome } from '../fhir/operation-outcome.js';

const CANONICAL = 'https://ehds-no.github.io/fhir/OperationDefinition/';

/** The conformance resource types as the CapabilityStatement lists them. */
export const CONFORMANCE_RESOURCES: CapabilityStatementRestResource[] = CONFORMANCE_TYPES.map((type) => ({
  type,
  interaction: [{ code: 'read' }, { code: 'search-type' }],
  searchParam: [{ name: 'url', type: 'uri' }, { name: 'version', type: 'token' }],
  ...(type === 'ConceptMap' ? { operation: [{ name: 'translate', definition: `${CANONICAL}translate` }] } : {}),
}));

function query(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** The router for the conformance resources. */
export function conformanceRouter(repo: ConformanceRepository, verifier: TokenVerifier): Router {
  const router = Router();
  const allow = requireScope(verifier, SCOPE.conformanceRead);

  router.get('/fhir/ConceptMap/$translate', allow, (req, res) => {
    const system = query(req.query.system);
    const code = query(req.query.code);
    if (!system || !code) throw new HttpProblem(400, operationOutcome('required', 'system and code are required', system ? 'code' : 'system'));
    const target = query(req.query.targetsystem);
    const url = query(req.query.url);
    const maps = defaultConceptMaps();
    const candidates = target ? [target] : [...new Set(repo.search('ConceptMap').flatMap((m) => ((m as ConceptMap).group ?? []).filter((g) => g.source === system).map((g) => g.target ?? '')))];
    const matches = candidates.flatMap((t) => maps.translate(system, code, t)).filter((m) => !url || m.map === url);
    const parameter: ParametersParameter[] = [{ name: 'result', valueBoolean: matches.length > 0 }];
    if (matches.length === 0) parameter.push({ name: 'message', valueString: `no mapping for ${system}|${code}${target ? ` into ${target}` : ''}` });
    for (const m of matches) {
      parameter.push({
        name: 'match',
        part: [
          { name: 'equivalence', valueCode: m.equivalence },
          { name: 'concept', valueCoding: { system: m.system, code: m.code, ...(m.display ? { display: m.display } : {}) } },
          { name: 'source', valueUri: m.map },
        ],
      });
    }
    const result: Parameters = { resourceType: 'Parameters', parameter };
    res.type(FHIR_JSON).json(result);
  });
  router.all('/fhir/ConceptMap/$translate', methodNotAllowed(['GET']));

  /** A GET handler for the conformance types only (other types fall through to the next route), behind the scope. */
  const forConformanceType = (handle: (type: ConformanceType, req: Request, res: Response) => void): RequestHandler => (req, res, next) => {
    const type = String(req.params.type);
    if (!isConformanceType(type)) {
      next();
      return;
    }
    // The scope check calls back outside Express's own error capture: errors go to next() explicitly.
    Promise.resolve(allow(req, res, () => handle(type, req, res))).catch(next);
  };

  router.get('/fhir/:type', forConformanceType((type, req, res) => {
    const found = repo.search(type, query(req.query.url), query(req.query.version));
    const bundle: Bundle = { resourceType: 'Bundle', type: 'searchset', total: found.length, entry: found.map((resource) => ({ resource, search: { mode: 'match' } })) };
    res.type(FHIR_JSON).json(bundle);
  }));

  router.get('/fhir/:type/:id', forConformanceType((type, req, res) => {
    const resource = repo.read(type, String(req.params.id));
    if (!resource) {
      res.status(404).type(FHIR_JSON).json(operationOutcome('not-found', `no ${type} with id ${String(req.params.id)}`));
      return;
    }
    res.type(FHIR_JSON).json(resource);
  }));
  const notAllowed = methodNotAllowed(['GET']);
  for (const path of ['/fhir/:type', '/fhir/:type/:id']) {
    router.all(path, (req, res, next) => (isConformanceType(String(req.params.type)) ? notAllowed(req, res, next) : next()));
  }
  return router;
}
