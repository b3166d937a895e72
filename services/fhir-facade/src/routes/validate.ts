/**
 * `$validate` for EPJ vendors (docs/profiles.md):
 * - `POST /fhir/$validate` and `POST /fhir/{type}/$validate` with a FHIR resource (a patient summary,
 *   an EU ePrescription / eDispensation Bundle, any resource), bare or as `Parameters {resource, profile}`;
 *   `profile` may also be a query parameter. → 200 with the OperationOutcome: errors in the payload are the
 *   result, not an HTTP failure.
 * - `POST /fhir/$validate` with e-resept XML (M1, M10) → the e-resept rules and, when configured, the
 *   official XSDs; issues located by XPath.
 * Bodies are never logged or stored: a vendor's test payload may hold personal data.
 */
import { guessFormat, isFhirResourceType, parseFhirJson, readFhirResource, validateEreseptXml, type EreseptXsdValidator, type FhirValidator } from '@ehds-no/core';
import type { CapabilityStatementRestResourceOperation, OperationOutcome, Parameters, Resource } from '@medplum/fhirtypes';
import { Router, type Request, type RequestHandler } from 'express';
import { SCOPE } from '../auth/caller.js';
import { requireScope } from '../auth/require-scope.js';
import type { TokenVerifier } from '../auth/token-verifier.js';
import { FHIR_JSON_TYPES, fhirJsonText, requireType, XML_TYPES, xmlBodyOf, xmlBytes } from '../fhir/content-type.js';
import { methodNotAllowed } from '../fhir/method-not-allowed.js';
import { FHIR_JSON, HttpProblem, operationOutcome, xmlLocatedOutcome } from '../fhir/operation-outcome.js';

/** What the `$validate` routes need. */
export interface ValidateDeps {
  readonly verifier: TokenVerifier;
  /** The FHIR validator (create once: profiles and ValueSets are prepared on first use). */
  readonly validator: FhirValidator;
  /** Accept synthetic test person numbers (test environments). */
  readonly allowSyntheticIdentities: boolean;
  /** The official e-resept XSDs, when configured. */
  readonly ereseptXsd?: EreseptXsdValidator;
}

/** The operation as the CapabilityStatement lists it. */
export const VALIDATE_OPERATION: CapabilityStatementRestResourceOperation = {
  name: 'validate',
  definition: 'https://ehds-no.github.io/fhir/OperationDefinition/validate',
  documentation: 'Validate a FHIR resource or document against FHIR R4 and the national / MPD profiles (profile parameter optional), or an e-resept M1/M10 message; the result is an OperationOutcome',
};

/**
 * JSON as text (parsed here, so that a syntax error can say where it is); XML as the e-resept operations read
 * it, bytes or charset-decoded text, so that its encoding is decided the same way.
 */
const payloadBody: RequestHandler[] = [
  requireType([...FHIR_JSON_TYPES, ...XML_TYPES]),
  ...fhirJsonText,
  ...xmlBytes,
];

/** Bytes that may come before the first `<`: a byte order mark (UTF-8, UTF-16), whitespace, and UTF-16's zero bytes. */
const LEADING_BYTES: ReadonlySet<number> = new Set([0xef, 0xbb, 0xbf, 0xff, 0xfe, 0x00, 0x20, 0x09, 0x0a, 0x0d]);
const LESS_THAN = 0x3c;

/** Whether an XML body starts with markup (after a BOM and whitespace), in any encoding the reader takes. */
function startsWithMarkup(body: string | Uint8Array): boolean {
  if (typeof body === 'string') return guessFormat(body.slice(0, 100)) === 'xml';
  let i = 0;
  while (i < body.length && LEADING_BYTES.has(body[i]!)) i++;
  return body[i] === LESS_THAN;
}

function queryProfile(req: Request): string | undefined {
  const value = req.query.profile;
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value === '') throw new HttpProblem(400, operationOutcome('value', 'profile must be given once, as a canonical URL', 'profile'));
  return value;
}

/**
 * The resource and profile of a `Parameters` body (`resource`, `profile`), or the body itself. A Parameters
 * that does not read as one (wrong datatypes) is the resource to validate: the validator reports where.
 */
function unwrap(body: unknown): { resource: unknown; profile?: string } {
  if ((body as { resourceType?: unknown } | null)?.resourceType !== 'Parameters') return { resource: body };
  // Required codes are the validator's to report (with the resource's own paths), not a reason to unwrap nothing.
  const read = readFhirResource<Parameters>(body, 'Parameters', { requiredCodes: false });
  const parameters = read.ok ? (read.resource.parameter ?? []) : [];
  if (!parameters.some((p) => p.name === 'resource')) return { resource: body };
  const resource = parameters.find((p) => p.name === 'resource')?.resource as Resource | undefined;
  if (!resource) throw new HttpProblem(400, operationOutcome('required', 'parameter "resource" must hold the resource to validate', "Parameters.parameter.where(name='resource').resource"));
  const p = parameters.find((x) => x.name === 'profile');
  const profile = p?.valueCanonical ?? p?.valueUri ?? p?.valueString;
  return { resource, ...(profile ? { profile } : {}) };
}

/** The router for `$validate`. */
export function validateRouter(deps: ValidateDeps): Router {
  const router = Router();
  const allow = requireScope(deps.verifier, SCOPE.validate);
  const options = { allowSyntheticIdentities: deps.allowSyntheticIdentities, ...(deps.ereseptXsd ? { xsd: deps.ereseptXsd } : {}) };

  const validate = (req: Request, type: string | undefined): OperationOutcome => {
    if (req.is(XML_TYPES)) {
      if (type) throw new HttpProblem(415, operationOutcome('not-supported', `e-resept XML is validated at POST /fhir/$validate, not at /fhir/${type}/$validate`));
      const xml = xmlBodyOf(req);
      if (!startsWithMarkup(xml)) throw new HttpProblem(400, xmlLocatedOutcome('invalid', 'the body is declared as XML but does not start with an XML element', '/'));
      return validateEreseptXml(xml, options);
    }
    const text = typeof req.body === 'string' ? req.body : '';
    const parsed = parseFhirJson(text);
    if (!parsed.ok) throw new HttpProblem(400, parsed.outcome);
    const { resource, profile: bodyProfile } = unwrap(parsed.value);
    const asked = queryProfile(req);
    if (asked && bodyProfile && asked !== bodyProfile) throw new HttpProblem(400, operationOutcome('value', 'profile is given both as a query parameter and in the body, with different values', 'profile'));
    const profile = asked ?? bodyProfile;
    const actual = (resource as { resourceType?: unknown } | undefined)?.resourceType;
    if (type && actual !== type) {
      return { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'structure', expression: [typeof actual === 'string' ? `${actual}.resourceType` : 'Resource'], diagnostics: `the body is ${typeof actual === 'string' ? `a ${actual}` : 'not a FHIR resource'}, but the URL says ${type}` }] };
    }
    return deps.validator.validate(resource, { ...options, ...(profile ? { profile } : {}) });
  };

  router.post('/fhir/$validate', allow, ...payloadBody, (req, res) => {
    res.status(200).type(FHIR_JSON).json(validate(req, undefined));
  });
  router.post('/fhir/:type/$validate', allow, ...payloadBody, (req, res) => {
    const type = String(req.params.type);
    if (!isFhirResourceType(type)) throw new HttpProblem(404, operationOutcome('not-found', `${type} is not a FHIR resource type`));
    res.status(200).type(FHIR_JSON).json(validate(req, type));
  });
  router.all('/fhir/$validate', methodNotAllowed(['POST']));
  router.all('/fhir/:type/$validate', methodNotAllowed(['POST']));
  return router;
}
