import type { Bundle, Composition } from '@medplum/fhirtypes';
import { syntheticPersonNumber } from '../identity/person-number.js';
import { SYSTEM } from '../terminology/fhir-systems.js';
import { IDENTIFIER_SYSTEM } from '../terminology/oids.js';
import { renderSummary } from './narrative.js';
import { SUMMARY_EXTENSION } from './summary-codes.js';
import { freshForMs, PatientSummaryService, UnknownSummaryEntry } from './summary-service.js';
import { PatientNotKnown, type KjernejournalResource, type PatientKey, type SourceOutcomes } from './sources/source-data.js';
import { InMemorySummaryStore, versionAt } from './versioning.js';

const FNR = syntheticPersonNumber({ birthDate: '1980-02-01', sex: 'male' });
const KEY: PatientKey = { system: IDENTIFIER_SYSTEM.fnr, value: FNR };
const FETCHED = '2026-11-20T10:00:00.000Z';

const allergy = (id: string, code: string, recordedDate: string): KjernejournalResource => ({
  resourceType: 'AllergyIntolerance', id, patient: { reference: 'Patient/x' }, recordedDate,
  code: { coding: [{ system: SYSTEM.atc, code }] }, verificationStatus: { coding: [{ system: SYSTEM.allergyVerification, code: 'confirmed' }] },
});

/** Sources whose Kjernejournal content the test changes between builds. */
function world() {
  const state = { resources: [allergy('a1', 'J01CE02', '2020-01-01'), allergy('a2', 'N02BE01', '2021-01-01')] as KjernejournalResource[], calls: 0 };
  const fetchSources = async (key: PatientKey): Promise<SourceOutcomes> => {
    state.calls += 1;
    if (key.value !== FNR) throw new PatientNotKnown('kjernejournal');
    const fresh = <T>(source: string, data: T) => ({ status: 'fresh' as const, snapshot: { source, fetchedAt: FETCHED, data } });
    return {
      kjernejournal: fresh('kjernejournal', { patient: { resourceType: 'Patient', name: [{ family: 'Test' }] }, resources: [...state.resources] }),
      pll: fresh('pll', {}),
      reseptformidleren: fresh('reseptformidleren', { prescriptions: [] }),
      npr: fresh('npr', { records: [] }),
      kpr: fresh('kpr', { records: [] }),
    } as SourceOutcomes;
  };
  let clock = Date.parse('2026-11-20T10:00:00Z');
  const tick = () => new Date((clock += 60_000));
  return { state, fetchSources, tick };
}

const allergyEntries = (b: Bundle) => (b.entry?.[0]?.resource as Composition).section?.[2]?.entry?.map((e) => e.reference) ?? [];

describe('PatientSummaryService', () => {
  it('creates no new version when nothing changed, and a new one when a source changed', async () => {
    const w = world();
    const store = new InMemorySummaryStore();
    const service = new PatientSummaryService({ store, fetchSources: w.fetchSources, now: w.tick });
    const first = await service.summary(KEY);
    expect(first.version.versionId).toBe(1);
    expect(first.version.bundle.meta?.versionId).toBe('1');
    const again = await service.rebuild(KEY);
    expect(again.version.versionId).toBe(1);
    w.state.resources.push(allergy('a3', 'M01AE01', '2022-01-01'));
    const changed = await service.rebuild(KEY);
    expect(changed.version.versionId).toBe(2);
    const history = await store.history(first.patient.id);
    expect(history.map((v) => v.versionId)).toEqual([2, 1]);
    expect(allergyEntries((await store.version(first.patient.id, 1))!.bundle)).toHaveLength(2);
    expect(versionAt(history, first.version.createdAt)?.versionId).toBe(1);
  });

  it('serves the stored version without asking the sources while it is fresh enough', async () => {
    const w = world();
    const service = new PatientSummaryService({ store: new InMemorySummaryStore(), fetchSources: w.fetchSources, now: w.tick, maxAgeMs: 5 * 60_000 });
    await service.summary(KEY);
    const served = await service.summary(KEY);
    expect(served.rebuilt).toBe(false);
    expect(w.state.calls).toBe(1);
  });

  it('does not store anything for a person Kjernejournal does not know', async () => {
    const w = world();
    const store = new InMemorySummaryStore();
    const service = new PatientSummaryService({ store, fetchSources: w.fetchSources, now: w.tick });
    const other = { system: IDENTIFIER_SYSTEM.fnr, value: syntheticPersonNumber({ birthDate: '1990-01-01', sex: 'female' }) };
    await expect(service.summary(other)).rejects.toBeInstanceOf(PatientNotKnown);
    expect(await store.patientByKey(other, false)).toBeUndefined();
  });

  it('puts a marked entry first, flags it, and keeps the mark through rebuilds', async () => {
    const w = world();
    const store = new InMemorySummaryStore();
    const service = new PatientSummaryService({ store, fetchSources: w.fetchSources, now: w.tick });
    const { patient, version } = await service.summary(KEY);
    const before = allergyEntries(version.bundle);
    const last = version.bundle.entry?.find((e) => e.fullUrl === before[1])?.resource;
    const entry = `${last?.resourceType}/${last?.id}`;
    const marked = await service.mark(patient, entry, { hpr: '9144900', name: 'Lege Legesen' });
    expect(marked.versionId).toBe(2);
    expect(allergyEntries(marked.bundle)[0]).toBe(before[1]);
    expect(JSON.stringify(renderSummary(marked.bundle, 'nb'))).toContain('Markert som mest relevant av Lege Legesen');

    w.state.resources.push(allergy('a4', 'B01AC06', '2019-01-01'));
    const rebuilt = await service.rebuild(KEY);
    expect(rebuilt.version.versionId).toBe(3);
    expect(allergyEntries(rebuilt.version.bundle)[0]).toBe(before[1]);
    const resource = rebuilt.version.bundle.entry?.find((e) => e.fullUrl === before[1])?.resource as { extension?: { url: string }[] };
    expect(resource.extension?.some((e) => e.url === SUMMARY_EXTENSION.clinicalRelevance)).toBe(true);

    const unmarked = await service.unmark(patient, entry);
    expect(allergyEntries(unmarked!.bundle)[0]).not.toBe(before[1]);
    expect(await service.unmark(patient, entry)).toBeUndefined();
  });

  it('refuses a mark on an entry the summary does not have', async () => {
    const w = world();
    const service = new PatientSummaryService({ store: new InMemorySummaryStore(), fetchSources: w.fetchSources, now: w.tick });
    const { patient } = await service.summary(KEY);
    await expect(service.mark(patient, 'Condition/nope', {})).rejects.toBeInstanceOf(UnknownSummaryEntry);
  });
});

describe('PatientSummaryService past the max age', () => {
  const MAX_AGE = 5 * 60_000;

  /** The world's sources behind a gate the test opens, a clock the test sets, and the failures reported. */
  function gated(options: { staleWhileRevalidateMs?: number } = {}) {
    const w = world();
    let time = Date.parse('2026-11-20T10:00:00Z');
    let open: Promise<void> = Promise.resolve();
    let release = () => {};
    const failures: unknown[] = [];
    const store = new InMemorySummaryStore();
    const service = new PatientSummaryService({
      store,
      fetchSources: async (key) => {
        const outcomes = w.fetchSources(key);
        await open;
        return outcomes;
      },
      now: () => new Date(time),
      maxAgeMs: MAX_AGE,
      onBackgroundError: (e) => failures.push(e),
      ...options,
    });
    return {
      w, store, service, failures,
      at: (ms: number) => { time = Date.parse('2026-11-20T10:00:00Z') + ms; },
      /** Holds every fetch until `release()` is called. */
      hold: () => { open = new Promise<void>((r) => { release = r; }); },
      release: () => release(),
    };
  }

  it('serves the stored version within the patient\'s max age without asking, whose share is fixed by the patient', async () => {
    const g = gated();
    const { patient } = await g.service.summary(KEY);
    const freshFor = freshForMs(patient.id, MAX_AGE);
    expect(freshFor).toBe(freshForMs(patient.id, MAX_AGE));
    expect(freshFor).toBeGreaterThanOrEqual(0.8 * MAX_AGE);
    expect(freshFor).toBeLessThanOrEqual(MAX_AGE);
    g.at(freshFor - 1);
    expect((await g.service.summary(KEY)).rebuilt).toBe(false);
    expect(g.w.state.calls).toBe(1);
  });

  it('serves the stored version at once past the max age, starts one background rebuild for many reads, and the next read sees it', async () => {
    const g = gated();
    const { patient } = await g.service.summary(KEY);
    g.w.state.resources.push(allergy('a3', 'M01AE01', '2022-01-01'));
    g.at(freshForMs(patient.id, MAX_AGE));
    g.hold();
    const served = await Promise.all(Array.from({ length: 10 }, () => g.service.summary(KEY)));
    expect(served.map((s) => [s.rebuilt, s.version.versionId])).toEqual(Array.from({ length: 10 }, () => [false, 1]));
    expect(g.w.state.calls).toBe(2);
    g.release();
    await g.service.idle();
    const next = await g.service.summary(KEY);
    expect(next).toMatchObject({ rebuilt: false, version: { versionId: 2 } });
    expect(g.w.state.calls).toBe(2);
    expect(g.failures).toEqual([]);
  });

  it('starts no background rebuild while a change notification\'s rebuild runs', async () => {
    const g = gated();
    const { patient } = await g.service.summary(KEY);
    g.at(freshForMs(patient.id, MAX_AGE) + 1);
    g.hold();
    const notified = g.service.rebuild(KEY);
    expect((await g.service.summary(KEY)).rebuilt).toBe(false);
    expect(g.w.state.calls).toBe(2);
    g.release();
    await notified;
    await g.service.idle();
    expect(g.w.state.calls).toBe(2);
  });

  it('asks the sources before answering beyond the stale window, once for concurrent reads', async () => {
    const g = gated();
    const { patient } = await g.service.summary(KEY);
    g.at(freshForMs(patient.id, MAX_AGE) + MAX_AGE);
    g.hold();
    const reads = Promise.all([g.service.summary(KEY), g.service.summary(KEY), g.service.summary(KEY)]);
    g.release();
    expect((await reads).map((s) => s.rebuilt)).toEqual([true, true, true]);
    expect(g.w.state.calls).toBe(2);
  });

  it('takes the stale window from the options', async () => {
    const g = gated({ staleWhileRevalidateMs: 0 });
    const { patient } = await g.service.summary(KEY);
    g.at(freshForMs(patient.id, MAX_AGE));
    expect((await g.service.summary(KEY)).rebuilt).toBe(true);
    expect(g.w.state.calls).toBe(2);
  });

  it('reports a failed background rebuild to the hook, and it rejects nothing', async () => {
    const g = gated();
    const { patient } = await g.service.summary(KEY);
    g.store.appendIfChanged = () => Promise.reject(new Error('store down'));
    g.at(freshForMs(patient.id, MAX_AGE));
    expect((await g.service.summary(KEY)).version.versionId).toBe(1);
    await g.service.idle();
    // Jest fails the running test on an unhandled rejection; one turn of the event loop lets it surface.
    await new Promise((r) => setImmediate(r));
    expect(g.failures).toEqual([new Error('store down')]);
  });

  it('swallows a background failure when the hook is absent or throws', async () => {
    for (const onBackgroundError of [undefined, () => { throw new Error('hook'); }]) {
      const w = world();
      let time = 0;
      const store = new InMemorySummaryStore();
      const service = new PatientSummaryService({ store, fetchSources: w.fetchSources, now: () => new Date(time), maxAgeMs: MAX_AGE, ...(onBackgroundError ? { onBackgroundError } : {}) });
      await service.summary(KEY);
      store.appendIfChanged = () => Promise.reject(new Error('store down'));
      time = MAX_AGE;
      expect((await service.summary(KEY)).rebuilt).toBe(false);
      await expect(service.idle()).resolves.toBeUndefined();
      await new Promise((r) => setImmediate(r));
    }
  });

  it('spreads the max age of a cohort built together over its last fifth', () => {
    const expiries = Array.from({ length: 1000 }, (_, i) => freshForMs(`00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, MAX_AGE));
    expect(Math.min(...expiries)).toBeGreaterThanOrEqual(0.8 * MAX_AGE);
    expect(Math.max(...expiries)).toBeLessThanOrEqual(MAX_AGE);
    const perSecond = new Map<number, number>();
    for (const expiry of expiries) perSecond.set(Math.floor(expiry / 1000), (perSecond.get(Math.floor(expiry / 1000)) ?? 0) + 1);
    // 1,000 patients over 60 seconds: about 17 a second, none with a crowd.
    expect(perSecond.size).toBeGreaterThanOrEqual(55);
    expect(Math.max(...perSecond.values())).toBeLessThan(50);
  });
});
