/**
 * Persisted AuditEvents, searchable by patient identifier.
 */
import type { AuditEvent, Identifier } from '@medplum/fhirtypes';
import type { Database } from './database.js';

/** The audit log, on any {@link Database}. */
export class AuditStore {
  constructor(private readonly db: Database) {}

  /** Stores one event; `patient` is its patient identifier, for search. */
  async record(event: AuditEvent, patient: Identifier | undefined): Promise<void> {
    await this.db.query('insert into audit_event (id, recorded, patient_system, patient_value, resource) values ($1, $2, $3, $4, $5)', [
      event.id, event.recorded, patient?.system ?? null, patient?.value ?? null, JSON.stringify(event),
    ]);
  }

  /** The events about a patient, newest first. */
  async forPatient(system: string, value: string, limit = 500): Promise<AuditEvent[]> {
    const rows = await this.db.query<{ resource: AuditEvent }>(
      'select resource from audit_event where patient_system = $1 and patient_value = $2 order by recorded desc, id limit $3',
      [system, value, limit],
    );
    return rows.rows.map((r) => r.resource);
  }
}
