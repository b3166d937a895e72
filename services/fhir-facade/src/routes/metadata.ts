/**
 * `GET /fhir/metadata`: the CapabilityStatement (FHIR R4). It lists exactly what this server serves.
 */
import type { CapabilityStatement, CapabilityStatementRestResource, CapabilityStatementRestResourceOperation } from '@medplum/fhirtypes';
import { Router } from 'express';
import { methodNotAllowed } from '../fhir/method-not-allowed.js';
import { FHIR_JSON } from '../fhir/operation-outcome.js';

/** What the server offers, contributed by the route families. */
export interface ServerCapabilities {
  readonly resources: readonly CapabilityStatementRestResource[];
  readonly operations: readonly CapabilityStatementRestResourceOperation[];
}

/** Facts about this build, for `software` and `implementation`. */
export interface ServerIdentity {
  readonly version: string;
  readonly baseUrl?: string;
  /** When the server started; the statement's `date`. */
  readonly startedAt: Date;
}

/**
 * Builds the CapabilityStatement.
 * @example capabilityStatement({ resources: [], operations: [] }, { version: '0.1.0', startedAt: new Date() })
 */
export function capabilityStatement(capabilities: ServerCapabilities, identity: ServerIdentity): CapabilityStatement {
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: identity.startedAt.toISOString(),
    publisher: 'ehds-no',
    kind: 'instance',
    software: { name: 'ehds-no FHIR facade', version: identity.version },
    implementation: {
      description: 'FHIR facade for the Norwegian national patient summary and step-1 e-prescription conversion (EHDS / MyHealth@EU)',
      ...(identity.baseUrl ? { url: identity.baseUrl } : {}),
    },
    fhirVersion: '4.0.1',
    format: [FHIR_JSON, 'json'],
    rest: [
      {
        mode: 'server',
        resource: [...capabilities.resources],
        ...(capabilities.operations.length > 0 ? { operation: [...capabilities.operations] } : {}),
      },
    ],
  };
}

/** The router serving `/metadata` under the FHIR base. */
export function metadataRouter(capabilities: ServerCapabilities, identity: ServerIdentity): Router {
  const statement = capabilityStatement(capabilities, identity);
  const router = Router();
  router.get('/metadata', (_req, res) => {
    res.type(FHIR_JSON).json(statement);
  });
  router.all('/metadata', methodNotAllowed(['GET']));
  return router;
}
