/**
 * Collapsing duplicates across sources and episodes: the same diagnosis reported by NPR and KPR over many
 * episodes is one problem; the same procedure code on the same day is one procedure. Diagnoses are the
 * same when their codes are equal, or when the ICPC-2 → ICD-10 ConceptMap says they are equivalent.
 * Onset is the first time seen, recorded the last time seen, and every contributing record is kept.
 */
import type { Coding } from '@medplum/fhirtypes';
import { EXACT, type ConceptMapIndex } from '../terminology/concept-maps.js';
import { oidUri, SYSTEM } from '../terminology/fhir-systems.js';
import { KODEVERK, kodeverkOid } from '../terminology/oids.js';
import type { SourceRecordRef } from './summary-model.js';
import type { RegisterDiagnosis, RegisterProcedure, RegisterRecord } from './sources/register-record.js';
import type { SourceSnapshot } from './sources/source-data.js';

/** The FHIR system of a register code, from its Volven OID (ICD-10 and ICPC-2 by their FHIR URIs). */
export function registerCodeSystem(oid: string): string {
  if (oid === kodeverkOid(KODEVERK.icd10)) return SYSTEM.icd10no;
  if (oid === kodeverkOid(KODEVERK.icpc2)) return SYSTEM.icpc2;
  return oidUri(oid);
}

/** Register codes are compared without dots and case (NPR writes `E119`, some sources `E11.9`). */
function normalizedCode(code: string): string {
  return code.replace(/\./g, '').toUpperCase();
}

/** Diagnoses or procedures gathered from the register snapshots, with the record each came from. */
export interface RegisterItem<T> {
  readonly item: T;
  readonly record: RegisterRecord;
  readonly ref: SourceRecordRef;
}

/** Every diagnosis (or procedure) of the given register snapshots. */
export function registerItems<T>(snapshots: readonly (SourceSnapshot<'npr' | 'kpr'> | undefined)[], pick: (r: RegisterRecord) => readonly T[]): RegisterItem<T>[] {
  const out: RegisterItem<T>[] = [];
  for (const s of snapshots) {
    if (!s) continue;
    for (const record of s.data.records) {
      const ref: SourceRecordRef = { source: s.source, id: `${record.register}/${record.episodeId}`, fetchedAt: s.fetchedAt };
      for (const item of pick(record)) out.push({ item, record, ref });
    }
  }
  return out;
}

/** One collapsed problem or procedure. */
export interface CollapsedGroup {
  /** The concept key (and, for procedures, the day), e.g. `urn:oid:…7110|E11`. */
  readonly key: string;
  /** Every distinct coding seen, the group's own system first. */
  readonly codings: readonly Coding[];
  readonly firstSeen: string;
  readonly lastSeen: string;
  readonly records: readonly SourceRecordRef[];
}

interface MutableGroup {
  key: string;
  codings: Coding[];
  firstSeen: string;
  lastSeen: string;
  records: SourceRecordRef[];
  /** `system|normalized code` of each coding already in the group. */
  seenCodings: Set<string>;
  /** `source|id` of each record already in the group. */
  seenRecords: Set<string>;
}

function addTo(groups: Map<string, MutableGroup>, key: string, coding: Coding, first: string, last: string, ref: SourceRecordRef, primary: boolean): MutableGroup {
  let g = groups.get(key);
  if (!g) {
    g = { key, codings: [], firstSeen: first, lastSeen: last, records: [], seenCodings: new Set(), seenRecords: new Set() };
    groups.set(key, g);
  }
  const codingKey = `${coding.system ?? ''}|${normalizedCode(coding.code ?? '')}`;
  if (!g.seenCodings.has(codingKey)) {
    g.seenCodings.add(codingKey);
    // The concept's own coding (the one the key names) leads, so code.text comes from it.
    if (primary) g.codings.unshift(coding);
    else g.codings.push(coding);
  }
  if (first < g.firstSeen) g.firstSeen = first;
  if (last > g.lastSeen) g.lastSeen = last;
  const recordKey = `${ref.source}|${ref.id}`;
  if (!g.seenRecords.has(recordKey)) {
    g.seenRecords.add(recordKey);
    g.records.push(ref);
  }
  return g;
}

/** The groups without their bookkeeping. */
function finished(groups: Map<string, MutableGroup>): CollapsedGroup[] {
  return [...groups.values()].map(({ key, codings, firstSeen, lastSeen, records }) => ({ key, codings, firstSeen, lastSeen, records }));
}

/** The ICD-10 three-character category of a code (`E119` → `E11`). */
function icdCategory(code: string): string {
  return normalizedCode(code).slice(0, 3);
}

/** The group of the category last seen; on equal times, the first made (as a stable sort would give). */
function lastSeenOf(groups: readonly MutableGroup[] | undefined): MutableGroup | undefined {
  let best: MutableGroup | undefined;
  for (const g of groups ?? []) if (!best || g.lastSeen > best.lastSeen) best = g;
  return best;
}

/**
 * Collapses diagnoses into problems. ICD-10 codes group by exact code. The ICPC-2 → ICD-10 map is by
 * ICD-10 category, so an ICPC-2 code with an `equivalent` category joins the ICD-10 problem in that
 * category last seen (when there is one), else a problem keyed by the category; other ICPC-2 codes
 * group by their own code.
 * @example NPR episodes with ICD-10 E11 and a KPR contact with ICPC-2 T90 → one group with both codings
 */
export function collapseDiagnoses(items: readonly RegisterItem<RegisterDiagnosis>[], maps: ConceptMapIndex): CollapsedGroup[] {
  const groups = new Map<string, MutableGroup>();
  // ICD-10 problems by category, in the order they were made.
  const byCategory = new Map<string, MutableGroup[]>();
  const icdPrefix = `${SYSTEM.icd10no}|`;
  const coded = items.map(({ item, record, ref }) => ({ system: registerCodeSystem(item.system), item, record, ref }));
  const codingOf = (system: string, d: RegisterDiagnosis): Coding => ({ system, code: d.code, ...(d.text ? { display: d.text } : {}) });
  const add = (key: string, system: string, item: RegisterDiagnosis, record: RegisterRecord, ref: SourceRecordRef, primary: boolean) => {
    const isNew = !groups.has(key);
    const g = addTo(groups, key, codingOf(system, item), record.start, record.end ?? record.start, ref, primary);
    if (isNew && key.startsWith(icdPrefix)) {
      const category = icdCategory(key.slice(icdPrefix.length));
      const inCategory = byCategory.get(category);
      if (inCategory) inCategory.push(g);
      else byCategory.set(category, [g]);
    }
  };
  // ICD-10 first, so that ICPC-2 codes find the specialist-care problems they are equivalent to.
  for (const { system, item, record, ref } of coded) {
    if (system !== SYSTEM.icpc2) add(`${system}|${normalizedCode(item.code)}`, system, item, record, ref, true);
  }
  for (const { system, item, record, ref } of coded) {
    if (system !== SYSTEM.icpc2) continue;
    const category = maps.translate(SYSTEM.icpc2, item.code, SYSTEM.icd10no).find((t) => EXACT.has(t.equivalence))?.code;
    let key = `${system}|${normalizedCode(item.code)}`;
    if (category) key = lastSeenOf(byCategory.get(icdCategory(category)))?.key ?? `${icdPrefix}${icdCategory(category)}`;
    add(key, system, item, record, ref, !groups.has(key));
  }
  return finished(groups);
}

/** Collapses procedures: the same code on the same day is one procedure. */
export function collapseProcedures(items: readonly RegisterItem<RegisterProcedure>[]): CollapsedGroup[] {
  const groups = new Map<string, MutableGroup>();
  for (const { item, record, ref } of items) {
    const system = registerCodeSystem(item.system);
    const day = (item.date ?? record.start).slice(0, 10);
    const coding: Coding = { system, code: item.code, ...(item.text ? { display: item.text } : {}) };
    addTo(groups, `${system}|${normalizedCode(item.code)}|${day}`, coding, item.date ?? record.start, item.date ?? record.start, ref, true);
  }
  return finished(groups);
}
