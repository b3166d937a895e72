/**
 * FHIR AuditEvents for what the service does with patient data: who (from the token), which patient,
 * what operation, when, and the outcome. Persisted, and searchable by patient (the EHDS right to see who
 * accessed one's data).
 */
import { randomUUID } from 'node:crypto';
import type { AuditEvent, Identifier } from '@medplum/fhirtypes';
import { IDENTIFIER_SYSTEM } from '@ehds-no/core';
import type { Caller } from '../auth/caller.js';

const AUDIT_EVENT_TYPE = 'http://terminology.hl7.org/CodeSystem/audit-event-type';
const RESTFUL_INTERACTION = 'http://hl7.org/fhir/restful-interaction';
const OBJECT_ROLE = 'http://terminology.hl7.org/CodeSystem/object-role';
const PATIENT_ROLE = '1';

/** How an operation ended: FHIR AuditEvent.outcome codes. */
export const AUDIT_OUTCOME = { success: '0', refused: '4', failed: '8' } as const;

/** What to record about one operation. */
export interface AuditFacts {
  /** The operation, e.g. `convert-m1-to-eu`. */
  readonly operation: string;
  /** `C` create, `R` read, `U` update, `E` execute. */
  readonly action: 'C' | 'R' | 'U' | 'E';
  readonly caller: Caller;
  /** The patient the data is about, when known. */
  readonly patient?: Identifier;
  /** Other things involved, e.g. the ReseptId. */
  readonly entities?: readonly Identifier[];
  readonly outcome: (typeof AUDIT_OUTCOME)[keyof typeof AUDIT_OUTCOME];
  readonly recorded: Date;
}

/** Builds the AuditEvent resource. */
export function auditEvent(f: AuditFacts): AuditEvent {
  const who: Identifier = f.caller.hpr ? { system: IDENTIFIER_SYSTEM.hpr, value: f.caller.hpr } : { value: f.caller.subject };
  return {
    resourceType: 'AuditEvent',
    id: randomUUID(),
    type: { system: AUDIT_EVENT_TYPE, code: 'rest', display: 'Restful Operation' },
    subtype: [{ system: RESTFUL_INTERACTION, code: 'operation', display: f.operation }],
    action: f.action,
    recorded: f.recorded.toISOString(),
    outcome: f.outcome,
    agent: [
      {
        who: { identifier: who, ...(f.caller.name ? { display: f.caller.name } : {}) },
        requestor: true,
        ...(f.caller.organisation ? { location: { identifier: { system: IDENTIFIER_SYSTEM.enh, value: f.caller.organisation } } } : {}),
        ...(f.caller.role ? { role: [{ text: f.caller.role }] } : {}),
      },
    ],
    source: { observer: { display: 'ehds-no FHIR facade' } },
    entity: [
      ...(f.patient ? [{ what: { identifier: f.patient }, role: { system: OBJECT_ROLE, code: PATIENT_ROLE, display: 'Patient' } }] : []),
      ...(f.entities ?? []).map((identifier) => ({ what: { identifier } })),
    ],
  };
}
