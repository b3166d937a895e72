import { IDENTIFIER_SYSTEM } from '../../terminology/oids.js';
import { InMemorySnapshotCache } from './in-memory-sources.js';
import {
  FAILURE_REASON, ResilientSource, SourceFailure, fetchAllSources, httpStatusReason, resilientSources,
  type Clock, type SnapshotCache, type SourceFetchObservation, type SourcePorts,
} from './resilient-source.js';
import { PatientNotKnown, type PatientKey, type RegisterData, type SourceName, type SourcePort, type SourceSnapshot } from './source-data.js';

const patient: PatientKey = { system: IDENTIFIER_SYSTEM.fnr, value: '01010112345' };
const someoneElse: PatientKey = { system: IDENTIFIER_SYSTEM.fnr, value: '02020254321' };
const records = (episodeId: string, about: PatientKey = patient): RegisterData => ({
  records: [{ register: 'NPR', patient: about, episodeId, institution: { resh: '1' }, start: '2024-01-01', diagnoses: [], procedures: [] }],
});

class FakeClock implements Clock {
  private t = Date.parse('2025-03-01T10:00:00Z');
  now(): Date {
    return new Date(this.t);
  }
  advance(ms: number): void {
    this.t += ms;
  }
}

/** A scripted NPR port: each call takes the next behaviour; `calls` counts the calls that reached it. */
function scriptedPort(...script: Array<RegisterData | Error | 'hang'>): SourcePort<'npr'> & { calls: number } {
  const port = {
    name: 'npr' as const,
    calls: 0,
    fetch(_p: PatientKey, signal: AbortSignal): Promise<RegisterData> {
      const step = script[Math.min(port.calls, script.length - 1)];
      port.calls += 1;
      if (step === 'hang') return new Promise(() => undefined); // ignores its signal on purpose
      return step instanceof Error ? Promise.reject(step) : Promise.resolve(step!).then((d) => (signal.aborted ? Promise.reject(signal.reason) : d));
    },
  };
  return port;
}

const down = () => new SourceFailure(httpStatusReason(503));

describe('ResilientSource', () => {
  it('returns fresh data and stores it as the snapshot', async () => {
    const cache = new InMemorySnapshotCache();
    const clock = new FakeClock();
    const outcome = await new ResilientSource(scriptedPort(records('e1')), { clock }).fetch(patient, cache);
    expect(outcome).toEqual({ status: 'fresh', snapshot: { source: 'npr', fetchedAt: '2025-03-01T10:00:00.000Z', data: records('e1') } });
    expect(await cache.get('npr', patient)).toEqual(outcome.status === 'fresh' ? outcome.snapshot : undefined);
  });

  it('is unavailable with the safe reason when the source fails and nothing was ever fetched', async () => {
    const outcome = await new ResilientSource(scriptedPort(down())).fetch(patient, new InMemorySnapshotCache());
    expect(outcome).toEqual({ status: 'unavailable', failure: 'HTTP 503' });
  });

  it('falls back to the last snapshot (stale) and never overwrites it with a failure', async () => {
    const cache = new InMemorySnapshotCache();
    const clock = new FakeClock();
    const source = new ResilientSource(scriptedPort(records('e1'), new SourceFailure(FAILURE_REASON.malformedBody)), { clock });
    await source.fetch(patient, cache);
    clock.advance(60_000);
    const stale = await source.fetch(patient, cache);
    expect(stale).toEqual({ status: 'stale', failure: 'malformed response body', snapshot: { source: 'npr', fetchedAt: '2025-03-01T10:00:00.000Z', data: records('e1') } });
    expect((await cache.get('npr', patient))?.data).toEqual(records('e1'));
  });

  it('never lets an error message through: other errors get a generic reason', async () => {
    const outcome = await new ResilientSource(scriptedPort(new Error(`no record for ${patient.value}`))).fetch(patient, new InMemorySnapshotCache());
    expect(outcome).toEqual({ status: 'unavailable', failure: FAILURE_REASON.failed });
    expect(JSON.stringify(outcome)).not.toContain(patient.value);
  });

  it('times out a hanging source, aborting its signal, even when the port ignores the signal', async () => {
    let seen: AbortSignal | undefined;
    const hanging: SourcePort<'npr'> = {
      name: 'npr',
      fetch: (_p, signal) => {
        seen = signal;
        return new Promise(() => undefined);
      },
    };
    const started = Date.now();
    const outcome = await new ResilientSource(hanging, { timeoutMs: 50 }).fetch(patient, new InMemorySnapshotCache());
    expect(outcome).toEqual({ status: 'unavailable', failure: 'timed out after 50 ms' });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(seen?.aborted).toBe(true);
  });

  it('passes PatientNotKnown through without counting it against the breaker', async () => {
    const port = scriptedPort(new PatientNotKnown('npr'));
    const source = new ResilientSource(port, { breakerFailures: 1 });
    const cache = new InMemorySnapshotCache();
    await expect(source.fetch(patient, cache)).rejects.toBeInstanceOf(PatientNotKnown);
    await expect(source.fetch(patient, cache)).rejects.toBeInstanceOf(PatientNotKnown);
    expect(source.breakerState()).toBe('closed');
    expect(port.calls).toBe(2);
    expect(await cache.get('npr', patient)).toBeUndefined();
  });

  it('opens after N consecutive failures and then fails fast without calling the source', async () => {
    const clock = new FakeClock();
    const port = scriptedPort(down(), down(), down(), records('e1'));
    const source = new ResilientSource(port, { breakerFailures: 3, breakerResetMs: 30_000, clock });
    const cache = new InMemorySnapshotCache();
    for (let i = 0; i < 3; i++) await source.fetch(patient, cache);
    expect(source.breakerState()).toBe('open');
    clock.advance(29_999);
    expect(await source.fetch(patient, cache)).toEqual({ status: 'unavailable', failure: 'circuit open' });
    expect(port.calls).toBe(3);
  });

  it('a success in between resets the count of consecutive failures', async () => {
    const port = scriptedPort(down(), down(), records('e1'), down(), down());
    const source = new ResilientSource(port, { breakerFailures: 3 });
    const cache = new InMemorySnapshotCache();
    for (let i = 0; i < 5; i++) await source.fetch(patient, cache);
    expect(source.breakerState()).toBe('closed');
  });

  it('half-open: one trial call; success closes the circuit', async () => {
    const clock = new FakeClock();
    const port = scriptedPort(down(), records('e2'));
    const source = new ResilientSource(port, { breakerFailures: 1, breakerResetMs: 1000, clock });
    const cache = new InMemorySnapshotCache();
    await source.fetch(patient, cache);
    expect(source.breakerState()).toBe('open');
    clock.advance(1000);
    expect(source.breakerState()).toBe('half-open');
    expect((await source.fetch(patient, cache)).status).toBe('fresh');
    expect(source.breakerState()).toBe('closed');
    expect(port.calls).toBe(2);
  });

  it('half-open: a failed trial opens the circuit again for another reset period', async () => {
    const clock = new FakeClock();
    const port = scriptedPort(down());
    const source = new ResilientSource(port, { breakerFailures: 2, breakerResetMs: 1000, clock });
    const cache = new InMemorySnapshotCache();
    await source.fetch(patient, cache);
    await source.fetch(patient, cache);
    clock.advance(1000);
    await source.fetch(patient, cache); // the trial
    expect(port.calls).toBe(3);
    expect(source.breakerState()).toBe('open');
    clock.advance(999);
    expect((await source.fetch(patient, cache)).status).toBe('unavailable');
    expect(port.calls).toBe(3);
  });

  it('half-open: while the trial runs, other calls fail fast', async () => {
    const clock = new FakeClock();
    const port = scriptedPort(down(), 'hang');
    const source = new ResilientSource(port, { breakerFailures: 1, breakerResetMs: 1000, timeoutMs: 100, clock });
    const cache = new InMemorySnapshotCache();
    await source.fetch(patient, cache);
    clock.advance(1000);
    const trial = source.fetch(patient, cache);
    expect(await source.fetch(patient, cache)).toEqual({ status: 'unavailable', failure: 'circuit open' });
    expect(await trial).toEqual({ status: 'unavailable', failure: 'timed out after 100 ms' });
    expect(port.calls).toBe(2);
  });

  it('a caller abort rejects, frees the trial and does not count as a failure', async () => {
    const port = scriptedPort('hang');
    const source = new ResilientSource(port, { breakerFailures: 1, timeoutMs: 5000 });
    const controller = new AbortController();
    const fetching = source.fetch(patient, new InMemorySnapshotCache(), controller.signal);
    controller.abort(new Error('client went away'));
    await expect(fetching).rejects.toThrow('client went away');
    expect(source.breakerState()).toBe('closed');
  });

  it('tells the observer the source, the time taken and how each fetch ended', async () => {
    const clock = new FakeClock();
    const seen: SourceFetchObservation[] = [];
    const source = new ResilientSource(scriptedPort(records('e1'), down()), { breakerFailures: 1, clock, observe: (o) => seen.push(o) });
    const cache = new InMemorySnapshotCache();
    await source.fetch(patient, cache);
    await source.fetch(patient, cache);
    await source.fetch(patient, cache);
    expect(seen.map((o) => [o.source, o.result])).toEqual([['npr', 'ok'], ['npr', 'failure'], ['npr', 'circuit-open']]);
    expect(seen.every((o) => o.seconds >= 0)).toBe(true);
  });
});

describe('ResilientSource: an answer about another person', () => {
  /** A cache that records what is put, to show that nothing of another person is stored. */
  class WatchedCache extends InMemorySnapshotCache {
    readonly puts: string[] = [];
    override async put<N extends SourceName>(snapshot: SourceSnapshot<N>, key: PatientKey): Promise<void> {
      this.puts.push(snapshot.fetchedAt);
      return super.put(snapshot, key);
    }
  }

  it('is a failure: the last snapshot stands in (stale), nothing is stored, the observer hears patient-mismatch', async () => {
    const cache = new WatchedCache();
    const clock = new FakeClock();
    const seen: SourceFetchObservation[] = [];
    const source = new ResilientSource(scriptedPort(records('mine'), records('theirs', someoneElse)), { clock, observe: (o) => seen.push(o) });
    await source.fetch(patient, cache);
    clock.advance(60_000);
    const outcome = await source.fetch(patient, cache);
    expect(outcome).toEqual({ status: 'stale', failure: 'answer about another person', snapshot: { source: 'npr', fetchedAt: '2025-03-01T10:00:00.000Z', data: records('mine') } });
    expect(cache.puts).toEqual(['2025-03-01T10:00:00.000Z']);
    expect((await cache.get('npr', patient))?.data).toEqual(records('mine'));
    expect(seen.map((o) => o.result)).toEqual(['ok', 'patient-mismatch']);
    expect(JSON.stringify(outcome)).not.toContain(someoneElse.value);
  });

  it('is unavailable when nothing was fetched before, and counts for the breaker', async () => {
    const cache = new WatchedCache();
    const source = new ResilientSource(scriptedPort(records('theirs', someoneElse)), { breakerFailures: 2 });
    expect(await source.fetch(patient, cache)).toEqual({ status: 'unavailable', failure: FAILURE_REASON.anotherPerson });
    await source.fetch(patient, cache);
    expect(source.breakerState()).toBe('open');
    expect(cache.puts).toEqual([]);
  });

  it('does not let a stored snapshot about someone else stand in for the patient', async () => {
    const cache = new InMemorySnapshotCache();
    await cache.put({ source: 'npr', fetchedAt: '2025-03-01T09:00:00.000Z', data: records('theirs', someoneElse) }, patient);
    expect(await new ResilientSource(scriptedPort(down())).fetch(patient, cache)).toEqual({ status: 'unavailable', failure: 'HTTP 503' });
  });
});

describe('InMemorySnapshotCache', () => {
  it('keeps the newer snapshot when an older fetch is stored late', async () => {
    const cache = new InMemorySnapshotCache();
    await cache.put({ source: 'npr', fetchedAt: '2025-03-01T10:00:05.000Z', data: records('new') }, patient);
    await cache.put({ source: 'npr', fetchedAt: '2025-03-01T10:00:00.000Z', data: records('old') }, patient);
    expect((await cache.get('npr', patient))?.data).toEqual(records('new'));
  });
});

describe('fetchAllSources', () => {
  const ports = (kj: SourcePorts['kjernejournal']['fetch'], npr: SourcePorts['npr']['fetch']): SourcePorts => ({
    kjernejournal: { name: 'kjernejournal', fetch: kj },
    pll: { name: 'pll', fetch: async () => ({}) },
    reseptformidleren: { name: 'reseptformidleren', fetch: async () => ({ prescriptions: [] }) },
    npr: { name: 'npr', fetch: npr },
    kpr: { name: 'kpr', fetch: async () => ({ records: [] }) },
  });
  const kjData = { patient: { resourceType: 'Patient' as const, identifier: [patient] }, resources: [] };

  it('fetches all five in parallel, each with its own outcome', async () => {
    const sources = resilientSources(ports(async () => kjData, () => Promise.reject(down())));
    const outcomes = await fetchAllSources(sources, new InMemorySnapshotCache(), patient);
    expect(Object.fromEntries(Object.entries(outcomes).map(([k, v]) => [k, v.status]))).toEqual({
      kjernejournal: 'fresh', pll: 'fresh', reseptformidleren: 'fresh', npr: 'unavailable', kpr: 'fresh',
    });
  });

  it('rejects with PatientNotKnown and aborts the other fetches', async () => {
    let nprSignal: AbortSignal | undefined;
    const sources = resilientSources(
      ports(() => Promise.reject(new PatientNotKnown('kjernejournal')), (_p, signal) => {
        nprSignal = signal;
        return new Promise(() => undefined);
      }),
      { timeoutMs: 5000 },
    );
    await expect(fetchAllSources(sources, new InMemorySnapshotCache(), patient)).rejects.toBeInstanceOf(PatientNotKnown);
    expect(nprSignal?.aborted).toBe(true);
  });

  it('a failing cache read is not hidden', async () => {
    const broken: SnapshotCache = { get: () => Promise.reject(new Error('database down')), put: async () => undefined };
    const sources = resilientSources(ports(async () => kjData, () => Promise.reject(down())));
    await expect(fetchAllSources(sources, broken, patient)).rejects.toThrow('database down');
  });
});
