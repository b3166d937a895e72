import type { Server } from 'node:http';
import { Writable } from 'node:stream';
import {
  InMemorySnapshotCache, PatientNotKnown, ResilientSource, SourceFailure, resilientSources,
  type PatientKey, type SourceName, type SourcePort,
} from '@ehds-no/core';
import { NIN_HEADER, startSimulator, type Fault, type RunningSimulator } from '@ehds-no/national-sources-sim';
import express from 'express';
import { createLogger } from '../logging.js';
import { createMetrics } from '../metrics.js';
import { SAMPLE_M1, UNKNOWN_NIN, fullPatient, sparsePatient } from '../../../national-sources-sim/src/test-support/sample-patients.js';
import { loadPatientFolders } from '../../../../packages/core/src/summary/sources/patient-folders.js';
import { prescriptionOf } from './reseptformidleren-source.js';
import { searchsetResources } from './source-http.js';
import { resolveBodyLimits, resilienceOptions, type SourceUrls } from './source-config.js';
import { httpSourcePorts, startSources } from './start-sources.js';

const full = fullPatient();
const sparse = sparsePatient();
const unknown: PatientKey = { system: full.key.system, value: UNKNOWN_NIN };
const signal = () => AbortSignal.timeout(5000);

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startSimulator({ patients: [full, sparse] });
});
afterAll(async () => {
  await sim.close();
});
afterEach(() => {
  sim.simulator.faults.clearAll();
  sim.simulator.faults.releaseHeld();
});

const ports = () => httpSourcePorts({
  kjernejournal: `${sim.url}/kjernejournal`, pll: `${sim.url}/pll`, reseptformidleren: `${sim.url}/reseptformidleren`, npr: `${sim.url}/npr`, kpr: `${sim.url}/kpr`,
});

/** What a port rejected with (fails the test when it resolved). */
async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (e) {
    return e;
  }
  throw new Error('expected a rejection');
}

describe('HTTP source adapters against the simulator', () => {
  it('Kjernejournal: the Patient and the critical information', async () => {
    expect(await ports().kjernejournal.fetch(full.key, signal())).toEqual(full.data.kjernejournal);
  });

  it('PLL: the SFM Bundle, or no bundle when the patient has none', async () => {
    expect(await ports().pll.fetch(full.key, signal())).toEqual(full.data.pll);
    expect(await ports().pll.fetch(sparse.key, signal())).toEqual({});
  });

  it('Reseptformidleren: the prescriptions, M1 decoded', async () => {
    expect(await ports().reseptformidleren.fetch(full.key, signal())).toEqual(full.data.reseptformidleren);
    expect((await ports().reseptformidleren.fetch(full.key, signal())).prescriptions[0]?.reseptId).toBe(SAMPLE_M1.reseptId);
  });

  it.each(['npr', 'kpr'] as const)('%s: the register records', async (source) => {
    expect(await ports()[source].fetch(full.key, signal())).toEqual(full.data[source]);
  });

  it('an unknown person: Kjernejournal says PatientNotKnown, the others have empty data', async () => {
    const p = ports();
    await expect(p.kjernejournal.fetch(unknown, signal())).rejects.toBeInstanceOf(PatientNotKnown);
    expect(await p.pll.fetch(unknown, signal())).toEqual({});
    expect(await p.reseptformidleren.fetch(unknown, signal())).toEqual({ prescriptions: [] });
    expect(await p.npr.fetch(unknown, signal())).toEqual({ records: [] });
    expect(await p.kpr.fetch(unknown, signal())).toEqual({ records: [] });
  });

  it('sends the person number in the header only, never in the URL', async () => {
    const urls: string[] = [];
    const spy = express();
    spy.use((req, _res, next) => {
      urls.push(req.originalUrl);
      expect(req.get(NIN_HEADER)).toBe(full.key.value);
      next();
    });
    spy.use(sim.simulator.app);
    const server: Server = await new Promise((resolve) => {
      const s = spy.listen(0, '127.0.0.1', () => resolve(s));
    });
    try {
      const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
      const spied = httpSourcePorts({ kjernejournal: `${base}/kjernejournal`, pll: `${base}/pll`, reseptformidleren: `${base}/reseptformidleren`, npr: `${base}/npr`, kpr: `${base}/kpr` });
      await Promise.all(Object.values(spied).map((port: SourcePort) => port.fetch(full.key, signal())));
      expect(urls.length).toBeGreaterThanOrEqual(9);
      expect(urls.join(' ')).not.toContain(full.key.value);
    } finally {
      server.closeAllConnections();
      await new Promise((done) => server.close(done));
    }
  });

  const faults: Array<[Fault, RegExp]> = [
    [{ kind: 'error' }, /^HTTP 503$/],
    [{ kind: 'error', status: 500 }, /^HTTP 500$/],
    [{ kind: 'malformed' }, /^malformed response body/],
  ];
  const SOURCES: SourceName[] = ['kjernejournal', 'pll', 'reseptformidleren', 'npr', 'kpr'];

  describe.each(SOURCES)('%s', (source) => {
    it.each(faults)('fault %j: rejects with a safe reason', async (fault, reason) => {
      sim.simulator.faults.set(source, fault);
      const error = await rejection(ports()[source].fetch(full.key, signal()));
      expect(error).toBeInstanceOf(SourceFailure);
      expect((error as SourceFailure).reason).toMatch(reason);
      expect(JSON.stringify((error as Error).message)).not.toContain(full.key.value);
    });

    it('fault timeout: the adapter stops when its signal aborts', async () => {
      sim.simulator.faults.set(source, { kind: 'timeout' });
      // The simulator holds the request forever: that the promise settles at all shows the abort was honoured.
      const error = await rejection(ports()[source].fetch(full.key, AbortSignal.timeout(150)));
      expect((error as SourceFailure).reason).toBe('request aborted');
    });

    it('fault latency: still the data, later', async () => {
      sim.simulator.faults.set(source, { kind: 'latency', latencyMs: 50 });
      await expect(ports()[source].fetch(full.key, signal())).resolves.toEqual(full.data[source]);
    });
  });

  it('the resilient wrapper honours its timeout with a hanging source: unavailable, "timed out after 100 ms"', async () => {
    sim.simulator.faults.set('npr', { kind: 'timeout' });
    const outcome = await new ResilientSource(ports().npr, { timeoutMs: 100 }).fetch(full.key, new InMemorySnapshotCache());
    expect(outcome).toEqual({ status: 'unavailable', failure: 'timed out after 100 ms' });
  });

  it('an unreachable source is a failure with a safe reason', async () => {
    const closed = httpSourcePorts({ kjernejournal: 'http://127.0.0.1:1/kj', pll: 'http://127.0.0.1:1/pll', reseptformidleren: 'http://127.0.0.1:1/rf', npr: 'http://127.0.0.1:1/npr', kpr: 'http://127.0.0.1:1/kpr' });
    for (const port of Object.values(closed) as SourcePort[]) {
      expect(((await rejection(port.fetch(full.key, signal()))) as SourceFailure).reason).toBe('source unreachable');
    }
  });

  it('Reseptformidleren: a Binary that is not an M1 fails the fetch', async () => {
    sim.simulator.store.replace(sparse.slug, 'reseptformidleren', { prescriptions: [{ reseptId: 'r-1', m1Xml: '<Resept/>' }] });
    try {
      expect(((await rejection(ports().reseptformidleren.fetch(sparse.key, signal()))) as SourceFailure).reason).toBe('malformed response body (a Binary that is not an M1)');
    } finally {
      sim.simulator.store.replace(sparse.slug, 'reseptformidleren', sparse.data.reseptformidleren);
    }
  });

  it('NPR: records of the other register fail the fetch', async () => {
    sim.simulator.store.replace(sparse.slug, 'npr', full.data.kpr);
    try {
      expect(((await rejection(ports().npr.fetch(sparse.key, signal()))) as SourceFailure).reason).toBe('malformed response body (records of another register than NPR)');
    } finally {
      sim.simulator.store.replace(sparse.slug, 'npr', sparse.data.npr);
    }
  });
});

describe('the test patients (test-data/patients) over HTTP', () => {
  it('every source of every test patient reads back as loaded', async () => {
    const patients = loadPatientFolders();
    const running = await startSimulator({ patients });
    try {
      const base = running.url;
      const p = httpSourcePorts({ kjernejournal: `${base}/kjernejournal`, pll: `${base}/pll`, reseptformidleren: `${base}/reseptformidleren`, npr: `${base}/npr`, kpr: `${base}/kpr` });
      for (const patient of patients) {
        const kj = await p.kjernejournal.fetch(patient.key, signal());
        expect(kj.patient).toEqual(patient.data.kjernejournal.patient);
        // Searched per resource type, so grouped by type rather than in file order.
        expect(kj.resources).toHaveLength(patient.data.kjernejournal.resources.length);
        expect(kj.resources).toEqual(expect.arrayContaining([...patient.data.kjernejournal.resources]));
        expect(await p.pll.fetch(patient.key, signal())).toEqual(patient.data.pll);
        expect(await p.reseptformidleren.fetch(patient.key, signal())).toEqual(patient.data.reseptformidleren);
        expect(await p.npr.fetch(patient.key, signal())).toEqual(patient.data.npr);
        expect(await p.kpr.fetch(patient.key, signal())).toEqual(patient.data.kpr);
      }
    } finally {
      await running.close();
    }
  });
});

describe('body checks', () => {
  it.each([
    ['a Binary without id', { resourceType: 'Binary', contentType: 'application/xml', data: 'PHgvPg==' }],
    ['a Binary that is not XML', { resourceType: 'Binary', id: 'r', contentType: 'application/pdf', data: 'PHgvPg==' }],
    ['a Binary without valid base64 data', { resourceType: 'Binary', id: 'r', contentType: 'application/xml', data: 'PHgvPg=*' }],
    ['a Binary that is not UTF-8', { resourceType: 'Binary', id: 'r', contentType: 'application/xml', data: Buffer.from([0xff, 0xfe, 0x3c]).toString('base64') }],
  ] as const)('refuses %s', (reason, binary) => {
    expect(() => prescriptionOf(binary)).toThrow(`malformed response body (${reason})`);
  });

  it('refuses a searchset with a resource of another type, and anything that is not a searchset', () => {
    expect(() => searchsetResources({ resourceType: 'Bundle', type: 'searchset', entry: [{ resource: { resourceType: 'Observation' } }] }, ['Flag'])).toThrow('an entry that is not Flag');
    expect(() => searchsetResources({ resourceType: 'OperationOutcome' }, ['Flag'])).toThrow('not a searchset Bundle');
    const outcomeEntry = (issue?: unknown) => ({ resource: { resourceType: 'OperationOutcome', ...(issue ? { issue } : {}) }, search: { mode: 'outcome' } });
    expect(searchsetResources({ resourceType: 'Bundle', type: 'searchset', entry: [outcomeEntry([{ severity: 'warning', code: 'informational' }])] }, ['Flag'])).toEqual([]);
  });

  it.each([
    ['an error', [{ severity: 'error', code: 'too-costly' }]],
    ['a fatal issue', [{ severity: 'fatal', code: 'exception' }]],
    ['a warning and an error', [{ severity: 'warning', code: 'informational' }, { severity: 'error', code: 'timeout' }]],
    ['no issues at all', undefined],
  ])('refuses a searchset whose outcome entry reports %s: a failed search is not "nothing found"', (_what, issue) => {
    const body = { resourceType: 'Bundle', type: 'searchset', entry: [{ resource: { resourceType: 'OperationOutcome', ...(issue ? { issue } : {}) }, search: { mode: 'outcome' } }] };
    expect(() => searchsetResources(body, ['Patient'])).toThrow('malformed response body (a searchset with an error outcome)');
  });
});

/** The ports with the default body limits (no `maxBodyBytes` in the settings). */
const startSourcesDefault = (urls: SourceUrls) => httpSourcePorts(urls);

describe('startSources', () => {
  const logs = () => {
    const lines: string[] = [];
    const logger = createLogger(new Writable({ write: (chunk, _enc, done) => { lines.push(String(chunk)); done(); } }));
    return { logger, lines };
  };
  const settings = { timeoutMs: 2000, breakerFailures: 5, breakerResetMs: 30000 };

  it('without URLs starts the simulator in-process on 127.0.0.1 and says so', async () => {
    const { logger, lines } = logs();
    const started = await startSources(settings, { logger, testPatients: () => [full] });
    try {
      expect(started.simulator?.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(await started.ports.kpr.fetch(full.key, signal())).toEqual(full.data.kpr);
      expect(lines.join('')).toMatch(/in-process simulator/);
      expect(lines.join('')).not.toContain(full.key.value);
    } finally {
      await started.simulator?.close();
    }
  });

  it('with URLs uses them, logging origins only', async () => {
    const { logger, lines } = logs();
    const urls = { kjernejournal: `${sim.url}/kjernejournal`, pll: `${sim.url}/pll`, reseptformidleren: `${sim.url}/reseptformidleren`, npr: `${sim.url}/npr`, kpr: `${sim.url}/kpr?token=secret` };
    const started = await startSources({ ...settings, urls }, { logger, testPatients: () => { throw new Error('not used'); } });
    expect(started.simulator).toBeUndefined();
    expect(await started.ports.npr.fetch(full.key, signal())).toEqual(full.data.npr);
    expect(lines.join('')).not.toContain('secret');
  });

  it('gives each port its own body limit from the settings', async () => {
    const { logger } = logs();
    const urls = { kjernejournal: `${sim.url}/kjernejournal`, pll: `${sim.url}/pll`, reseptformidleren: `${sim.url}/reseptformidleren`, npr: `${sim.url}/npr`, kpr: `${sim.url}/kpr` };
    // The simulator sends the Bundle as JSON.stringify writes it: one byte less than that is over the limit.
    const bundleBytes = Buffer.byteLength(JSON.stringify(full.data.pll.bundle));
    const limited = (pll: number) => startSources({ ...settings, urls, maxBodyBytes: { ...resolveBodyLimits(undefined), pll } }, { logger, testPatients: () => [] });
    const tight = await limited(bundleBytes - 1);
    expect(((await rejection(tight.ports.pll.fetch(full.key, signal()))) as SourceFailure).reason).toBe('response too large');
    expect(await tight.ports.npr.fetch(full.key, signal())).toEqual(full.data.npr);
    expect(await (await limited(bundleBytes)).ports.pll.fetch(full.key, signal())).toEqual(full.data.pll);
    expect(await startSourcesDefault(urls).pll.fetch(full.key, signal())).toEqual(full.data.pll);
  });
});

describe('source metrics', () => {
  it('records fetch results and latency per source through the resilience observer', async () => {
    const metrics = createMetrics();
    sim.simulator.faults.set('npr', { kind: 'error' });
    const sources = resilientSources(ports(), resilienceOptions({ ...{ timeoutMs: 2000, breakerFailures: 1, breakerResetMs: 60000 } }, metrics.observeSourceFetch));
    const cache = new InMemorySnapshotCache();
    await sources.kpr.fetch(full.key, cache);
    await sources.npr.fetch(full.key, cache);
    await sources.npr.fetch(full.key, cache);
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/ehds_source_fetch_total\{source="kpr",result="ok"\} 1/);
    expect(text).toMatch(/ehds_source_fetch_total\{source="npr",result="failure"\} 1/);
    expect(text).toMatch(/ehds_source_fetch_total\{source="npr",result="circuit-open"\} 1/);
    expect(text).toMatch(/ehds_source_fetch_duration_seconds_count\{source="npr"\} 1/);
  });
});
