import { loadPatientFolders, renderSummary, type PatientKey, type SourceName } from '@ehds-no/core';
import { startSimulator, type RunningSimulator } from '@ehds-no/national-sources-sim';
import type { Bundle, CompositionSection } from '@medplum/fhirtypes';
import { createMetrics } from '../metrics.js';
import type { Database } from '../storage/database.js';
import { TEST_BACKEND, testDatabase } from '../test-support/test-database.js';
import { resolveSourceUrls } from './source-config.js';
import { httpSourcePorts } from './start-sources.js';
import { summaryService } from './summary-wiring.js';

const patients = loadPatientFolders();
const keyOf = (slug: string): PatientKey => patients.find((p) => p.slug === slug)!.key;
const RICH = keyOf('multimorbid-elderly-rich-history');
const NO_PLL = keyOf('no-pll-reseptformidleren-only');
// Long enough for a first fetch on a loaded CI machine; the timeout cases wait this long once each.
const TIMEOUT_MS = 1500;

/** The sections each source feeds (Reseptformidleren only for a patient without PLL; Kjernejournal's transplants are problems). */
const FED: Record<SourceName, { patient: PatientKey; sections: string[] }> = {
  kjernejournal: { patient: RICH, sections: ['46264-8', '104605-1', '48765-2', '11450-4'] },
  pll: { patient: RICH, sections: ['10160-0'] },
  reseptformidleren: { patient: NO_PLL, sections: ['10160-0'] },
  npr: { patient: RICH, sections: ['11450-4', '47519-4'] },
  kpr: { patient: RICH, sections: ['11450-4', '47519-4'] },
};

let sim: RunningSimulator;
let db: Database;

beforeAll(async () => {
  sim = await startSimulator({ patients, host: '127.0.0.1', port: 0 });
});
afterAll(async () => sim.close());
beforeEach(async () => {
  db = await testDatabase();
});
afterEach(async () => {
  await fetch(`${sim.url}/_sim/faults`, { method: 'DELETE' });
  await db.close();
});

function wired() {
  return summaryService({
    db,
    ports: httpSourcePorts(resolveSourceUrls(sim.url, {}).urls!),
    settings: { timeoutMs: TIMEOUT_MS, breakerFailures: 100, breakerResetMs: 30_000 },
    metrics: createMetrics(),
    allowSyntheticIdentities: true,
    maxAgeMs: 0,
  });
}

async function fault(source: SourceName, kind: string): Promise<void> {
  const res = await fetch(`${sim.url}/_sim/faults/${source}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ kind, latencyMs: TIMEOUT_MS * 10, status: 503 }) });
  expect(res.ok).toBe(true);
}

const sections = (b: Bundle): CompositionSection[] => (b.entry?.[0]?.resource as { section: CompositionSection[] }).section;
const byCode = (b: Bundle, code: string) => sections(b).find((s) => s.code?.coding?.[0]?.code === code)!;
const notes = (s: CompositionSection) => (s.extension ?? []).filter((e) => e.valueAnnotation).map((e) => e.valueAnnotation?.text ?? '');

describe(`the summary through the simulator's faults, on ${TEST_BACKEND}`, () => {
  const cases = (['kjernejournal', 'pll', 'reseptformidleren', 'npr', 'kpr'] as const).flatMap((source) => (['error', 'timeout', 'malformed'] as const).map((kind) => [source, kind] as const));

  it.each(cases)('%s %s: served from the last data, the affected sections saying from when', async (source, kind) => {
    const { service } = wired();
    const { patient } = FED[source];
    const before = await service.rebuild(patient);
    await fault(source, kind);
    const during = renderSummary((await service.rebuild(patient)).version.bundle, 'en');
    for (const code of FED[source].sections) {
      expect(byCode(during, code).entry?.length ?? 0).toBe(byCode(before.version.bundle, code).entry?.length ?? 0);
      expect(notes(byCode(during, code)).join(' ')).toMatch(/could not be reached: showing data fetched/);
    }
    const untouched = sections(during).filter((s) => !FED[source].sections.includes(s.code?.coding?.[0]?.code ?? ''));
    for (const s of untouched) expect(notes(s)).toEqual([]);
  });

  it.each(['kjernejournal', 'npr', 'pll'] as const)('%s down with nothing cached: its sections say unavailable, the summary is still made', async (source) => {
    const { service } = wired();
    await fault(source, 'error');
    const doc = renderSummary((await service.rebuild(FED[source].patient)).version.bundle, 'nb');
    const own = FED[source].sections.map((c) => byCode(doc, c));
    expect(own.some((s) => s.emptyReason?.coding?.[0]?.code === 'unavailable' || notes(s).some((n) => n.includes('kunne ikke nås')))).toBe(true);
    expect(sections(doc)).toHaveLength(6);
  });

  it('a slow source within the timeout is simply fresh', async () => {
    const { service } = wired();
    await fetch(`${sim.url}/_sim/faults/npr`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ kind: 'latency', latencyMs: 50 }) });
    const doc = renderSummary((await service.rebuild(RICH)).version.bundle, 'en');
    for (const s of sections(doc)) expect(notes(s)).toEqual([]);
  });

  it('a failed fetch never replaces what was stored: the next good fetch carries on from it', async () => {
    const { service, store } = wired();
    const first = await service.rebuild(RICH);
    await fault('kjernejournal', 'malformed');
    await service.rebuild(RICH);
    await fetch(`${sim.url}/_sim/faults`, { method: 'DELETE' });
    const after = await service.rebuild(RICH);
    // v1 fresh, v2 with the outage noted, v3 the same content as v1 again: nothing was lost in between.
    expect(after.version.contentHash).toBe(first.version.contentHash);
    expect((await store.history(first.patient.id)).map((v) => v.versionId)).toEqual([3, 2, 1]);
  });
});
