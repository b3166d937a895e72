/**
 * Traceability: one Provenance per summary entry, naming every source record it came from (several when
 * duplicates were collapsed) and when each was fetched. Chosen over `meta.source` because an entry can
 * have many source records, and Provenance can list them all with their times.
 */
import type { Provenance } from '@medplum/fhirtypes';
import { SYSTEM } from '../terminology/fhir-systems.js';
import { SOURCE_RECORD_SYSTEM, SUMMARY_EXTENSION } from './summary-codes.js';
import type { SourceRecordRef } from './summary-model.js';
import { SOURCE_DISPLAY } from './sources/source-data.js';

/** The agent of every summary Provenance: this service, which assembled the entry. */
const ASSEMBLER = {
  type: { coding: [{ system: SYSTEM.provenanceParticipantType, code: 'assembler', display: 'Assembler' }] },
  who: { display: 'ehds-no nasjonal pasientoppsummering' },
};

/**
 * The Provenance of one entry.
 * @param targets the entry's `fullUrl` first, then those of its related resources
 * @param recorded when the summary was assembled
 */
export function entryProvenance(targets: readonly string[], records: readonly SourceRecordRef[], recorded: string): Provenance {
  return {
    resourceType: 'Provenance',
    target: targets.map((reference) => ({ reference })),
    recorded,
    agent: [ASSEMBLER],
    entity: records.map((r) => ({
      extension: [{ url: SUMMARY_EXTENSION.fetchedAt, valueInstant: r.fetchedAt }],
      role: 'source',
      what: { identifier: { system: SOURCE_RECORD_SYSTEM[r.source], value: r.id }, display: `${SOURCE_DISPLAY[r.source]}: ${r.id}` },
    })),
  };
}

/** The source records a Provenance names (for the demo's source badges and for tests). */
export function provenanceRecords(p: Provenance): { source: string; id: string; fetchedAt?: string }[] {
  return (p.entity ?? []).map((e) => {
    const source = Object.entries(SOURCE_RECORD_SYSTEM).find(([, system]) => system === e.what.identifier?.system)?.[0] ?? 'unknown';
    const fetchedAt = e.extension?.find((x) => x.url === SUMMARY_EXTENSION.fetchedAt)?.valueInstant;
    return { source, id: e.what.identifier?.value ?? '', ...(fetchedAt ? { fetchedAt } : {}) };
  });
}
