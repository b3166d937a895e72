import { Writable } from 'node:stream';
import { loadPatientFolders, renderSummary, type PatientKey, type SourceName } from '@ehds-no/core';
import { anotherPatient, startSimulator, type RunningSimulator } from '@ehds-no/national-sources-sim';
import type { Bundle, CompositionSection, Patient } from '@medplum/fhirtypes';
import type { Logger } from 'pino';
import { createLogger } from '../logging.js';
import { createMetrics, type Metrics } from '../metrics.js';
import type { Database } from '../storage/database.js';
import { TEST_BACKEND, testDatabase } from '../test-support/test-database.js';
import { resolveSourceUrls } from './source-config.js';
import { httpSourcePorts } from './start-sources.js';
import { PATIENT_MISMATCH_EVENT, summaryService } from './summary-wiring.js';

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

function wired(metrics: Metrics = createMetrics(), logger?: Logger) {
  return summaryService({
    db,
    ports: httpSourcePorts(resolveSourceUrls(sim.url, {}).urls!),
    settings: { timeoutMs: TIMEOUT_MS, breakerFailures: 100, breakerResetMs: 30_000 },
    metrics,
    allowSyntheticIdentities: true,
    maxAgeMs: 0,
    ...(logger ? { logger } : {}),
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

describe(`the summary when a source answers about another person, on ${TEST_BACKEND}`, () => {
  const SOURCES = ['kjernejournal', 'pll', 'reseptformidleren', 'npr', 'kpr'] as const;
  const RICH_SLUG = 'multimorbid-elderly-rich-history';
  const HAEMOPHILIA = patients.find((p) => p.slug === 'bleeding-disorder-haemophilia')!;

  /** A logger whose lines the test can read. */
  function logs(): { logger: Logger; lines: string[] } {
    const lines: string[] = [];
    return { logger: createLogger(new Writable({ write: (chunk, _enc, done) => { lines.push(String(chunk)); done(); } })), lines };
  }

  /** The person numbers of the test patients other than `asked`. */
  function othersOf(asked: PatientKey): { numbers: string[] } {
    return { numbers: patients.filter((p) => p.key.value !== asked.value).map((p) => p.key.value) };
  }

  const familyName = (slug: string) => patients.find((p) => p.slug === slug)!.data.kjernejournal.patient.name?.[0]?.family ?? '';
  const summaryPatient = (b: Bundle) => b.entry!.find((e) => e.resource?.resourceType === 'Patient')!.resource as Patient;

  async function putSource(slug: string, source: SourceName, data: unknown): Promise<void> {
    const res = await fetch(`${sim.url}/_sim/patients/${slug}/${source}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(data) });
    expect(res.status).toBe(200);
  }

  it('the issue: the haemophilia patient\'s Kjernejournal put under the multimorbid patient is refused, the last data stands in', async () => {
    const metrics = createMetrics();
    const { logger, lines } = logs();
    const { service, store } = wired(metrics, logger);
    const before = await service.rebuild(RICH);
    await putSource(RICH_SLUG, 'kjernejournal', HAEMOPHILIA.data.kjernejournal);
    try {
      const during = await service.rebuild(RICH);
      const doc = renderSummary(during.version.bundle, 'en');
      const text = JSON.stringify(doc);
      expect(text).not.toContain(HAEMOPHILIA.key.value);
      expect(text).not.toContain(familyName(HAEMOPHILIA.slug));
      const patient = summaryPatient(doc);
      expect(patient.identifier).toEqual([{ system: RICH.system, value: RICH.value }]);
      expect(patient.name?.[0]?.family).toBe(familyName(RICH_SLUG));
      for (const code of FED.kjernejournal.sections) {
        expect(byCode(doc, code).entry?.length ?? 0).toBe(byCode(before.version.bundle, code).entry?.length ?? 0);
        expect(notes(byCode(doc, code)).join(' ')).toMatch(/could not be reached: showing data fetched/);
      }
      for (const version of await store.history(during.patient.id)) expect(JSON.stringify(version.bundle)).not.toContain(HAEMOPHILIA.key.value);
      expect(await metrics.registry.metrics()).toMatch(/ehds_source_patient_mismatch_total\{source="kjernejournal"\} 1/);
      const events = lines.filter((l) => l.includes(PATIENT_MISMATCH_EVENT));
      expect(events).toHaveLength(1);
      expect(JSON.parse(events[0]!)).toMatchObject({ event: PATIENT_MISMATCH_EVENT, source: 'kjernejournal', level: 40 });
      for (const number of [RICH.value, HAEMOPHILIA.key.value]) expect(lines.join('')).not.toContain(number);
    } finally {
      await putSource(RICH_SLUG, 'kjernejournal', patients.find((p) => p.slug === RICH_SLUG)!.data.kjernejournal);
    }
  });

  it.each(SOURCES)('%s wrong-patient: stale with the outage marking, nothing of the other person anywhere, counted and logged', async (source) => {
    const metrics = createMetrics();
    const { logger, lines } = logs();
    const { service, store } = wired(metrics, logger);
    const asked = FED[source].patient;
    const askedData = patients.find((p) => p.key.value === asked.value)!;
    const other = anotherPatient(sim.simulator.store, source, askedData)!;
    expect(other.key.value).not.toBe(asked.value);
    const before = await service.rebuild(asked);
    await fault(source, 'wrong-patient');
    const during = await service.rebuild(asked);
    const doc = renderSummary(during.version.bundle, 'en');
    for (const code of FED[source].sections) {
      expect(byCode(doc, code).entry?.length ?? 0).toBe(byCode(before.version.bundle, code).entry?.length ?? 0);
      expect(notes(byCode(doc, code)).join(' ')).toMatch(/could not be reached: showing data fetched/);
    }
    for (const version of await store.history(during.patient.id)) {
      const text = JSON.stringify(version.bundle);
      for (const number of othersOf(asked).numbers) expect(text).not.toContain(number);
    }
    expect(summaryPatient(doc).identifier).toEqual([{ system: asked.system, value: asked.value }]);
    expect(await metrics.registry.metrics()).toMatch(new RegExp(`ehds_source_patient_mismatch_total\\{source="${source}"\\} 1`));
    expect(await metrics.registry.metrics()).toMatch(new RegExp(`ehds_source_fetch_total\\{source="${source}",result="patient-mismatch"\\} 1`));
    expect(lines.filter((l) => l.includes(PATIENT_MISMATCH_EVENT)).map((l) => (JSON.parse(l) as { source: string }).source)).toEqual([source]);
    for (const number of [asked.value, other.key.value]) expect(lines.join('')).not.toContain(number);
  });

  it.each(['kjernejournal', 'npr'] as const)('%s wrong-patient with nothing stored before: unavailable, never the other person\'s data', async (source) => {
    const { service } = wired();
    const asked = FED[source].patient;
    await fault(source, 'wrong-patient');
    const doc = renderSummary((await service.rebuild(asked)).version.bundle, 'en');
    const own = FED[source].sections.map((c) => byCode(doc, c));
    expect(own.some((s) => s.emptyReason?.coding?.[0]?.code === 'unavailable' || notes(s).some((n) => n.includes('no earlier data exists')))).toBe(true);
    const text = JSON.stringify(doc);
    for (const number of othersOf(asked).numbers) expect(text).not.toContain(number);
  });
});
