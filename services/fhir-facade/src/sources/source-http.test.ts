/**
 * The HTTP layer of the source adapters against fake sources on 127.0.0.1: redirects are refused (the
 * patient header never reaches another listener), bodies are limited while streaming, decoded strictly,
 * and each adapter tells its documented "nothing here" from a wrong or broken endpoint.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { SourceFailure, type PatientKey, type SourceName, type SourcePort } from '@ehds-no/core';
import { NIN_HEADER, NO_PLL_DETAIL } from '@ehds-no/national-sources-sim';
import { fullPatient } from '../../../national-sources-sim/src/test-support/sample-patients.js';
import { kjernejournalSource } from './kjernejournal-source.js';
import { pllSource } from './pll-source.js';
import { registerSource } from './register-source.js';
import { reseptformidlerenSource } from './reseptformidleren-source.js';
import { resolveBodyLimits } from './source-config.js';
import { HTTP_FAILURE_REASON, SourceHttp } from './source-http.js';
import { httpSourcePorts } from './start-sources.js';

const patient: PatientKey = fullPatient().key;
const signal = () => AbortSignal.timeout(10_000);
const LIMIT = 64 * 1024;

/** A fake source: counts its requests and the patient headers it received. */
interface Fake {
  readonly url: string;
  readonly requests: IncomingMessage[];
  close(): Promise<void>;
}

const started: Fake[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((f) => f.close()));
});

async function fake(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<Fake> {
  const requests: IncomingMessage[] = [];
  const server: Server = createServer((req, res) => {
    requests.push(req);
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const f: Fake = {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    requests,
    close: async () => {
      server.closeAllConnections();
      await new Promise((done) => server.close(done));
    },
  };
  started.push(f);
  return f;
}

function json(res: ServerResponse, status: number, body: unknown, type = 'application/fhir+json'): void {
  res.writeHead(status, { 'content-type': type }).end(JSON.stringify(body));
}

/** What a promise rejected with (fails the test when it resolved). */
async function failure(promise: Promise<unknown>): Promise<SourceFailure> {
  try {
    await promise;
  } catch (e) {
    expect(e).toBeInstanceOf(SourceFailure);
    return e as SourceFailure;
  }
  throw new Error('expected a rejection');
}

const emptySearchset = { resourceType: 'Bundle', type: 'searchset', total: 0, entry: [] };

/** Every port against one base, with one limit. */
const portsAt = (base: string, limit = LIMIT) => httpSourcePorts(
  { kjernejournal: `${base}/kjernejournal`, pll: `${base}/pll`, reseptformidleren: `${base}/reseptformidleren`, npr: `${base}/npr`, kpr: `${base}/kpr` },
  resolveBodyLimits(limit),
);
const SOURCES: SourceName[] = ['kjernejournal', 'pll', 'reseptformidleren', 'npr', 'kpr'];

describe('redirects', () => {
  describe.each([301, 302, 303, 307, 308])('%i to another origin', (status) => {
    it.each(SOURCES)('%s: refused, and the other listener receives no request', async (source) => {
      const elsewhere = await fake((_req, res) => json(res, 200, emptySearchset));
      const redirecting = await fake((req, res) => res.writeHead(status, { location: `${elsewhere.url}${req.url ?? '/'}` }).end());
      const error = await failure((portsAt(redirecting.url)[source] as SourcePort).fetch(patient, signal()));
      expect(error.reason).toBe(HTTP_FAILURE_REASON.redirect);
      expect(redirecting.requests.length).toBeGreaterThan(0);
      expect(elsewhere.requests).toHaveLength(0);
    });
  });

  it('a redirect within the same origin is refused too (one rule: never follow)', async () => {
    const source = await fake((req, res) => {
      if (req.url === '/npr/records') res.writeHead(302, { location: '/npr/records-moved' }).end();
      else json(res, 200, { records: [] }, 'application/json');
    });
    expect((await failure(registerSource('npr', `${source.url}/npr`, LIMIT).fetch(patient, signal()))).reason).toBe('redirect refused');
    expect(source.requests.map((r) => r.url)).toEqual(['/npr/records']);
  });

  it('a next link to another origin is never requested', async () => {
    const elsewhere = await fake((_req, res) => json(res, 200, emptySearchset));
    const source = await fake((_req, res) => json(res, 200, { ...emptySearchset, link: [{ relation: 'next', url: `${elsewhere.url}/rf/Binary?page=2` }] }));
    expect((await failure(reseptformidlerenSource(`${source.url}/rf`, LIMIT).fetch(patient, signal()))).reason).toBe('malformed response body (a next link outside the source)');
    expect(elsewhere.requests).toHaveLength(0);
  });

  it.each([
    ['another port', (base: string) => base.replace(/:(\d+)$/, (_m, p: string) => `:${Number(p) + 1}`) + '/rf/Binary'],
    ['a path that climbs out of the base', (base: string) => `${base}/rf/../other/Binary`],
    ['another base that shares the prefix', (base: string) => `${base}/rf-other/Binary`],
    ['user info', (base: string) => base.replace('http://', 'http://user:pw@') + '/rf/Binary'],
  ])('SourceHttp.within refuses %s', async (_what, link) => {
    const http = new SourceHttp('http://127.0.0.1:4000/rf/', 'application/fhir+json', LIMIT);
    expect(http.within('http://127.0.0.1:4000/rf/Binary?page=2')).toBe(true);
    expect(http.within(link('http://127.0.0.1:4000'))).toBe(false);
  });
});

describe('body size limit', () => {
  it.each(SOURCES)('%s: a body that streams on without end (no Content-Length) fails as soon as it passes the limit', async (source) => {
    // The body never ends: a client that read it all would hang until the test's timeout.
    const chunk = Buffer.alloc(16 * 1024, 0x20);
    let written = 0;
    const endless = await fake((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"resourceType":"Bundle","type":"searchset","entry":[], "x": "');
      const pump = () => {
        while (!res.destroyed && res.write(chunk)) written += chunk.length;
        if (!res.destroyed) res.once('drain', pump);
      };
      pump();
    });
    expect((await failure((portsAt(endless.url)[source] as SourcePort).fetch(patient, signal()))).reason).toBe(HTTP_FAILURE_REASON.tooLarge);
    expect(endless.requests.length).toBeGreaterThan(0);
    // Far less than "everything" (which is unbounded): what the socket buffers took before the client cancelled.
    expect(written).toBeLessThan(64 * 1024 * 1024);
  });

  it.each(SOURCES)('%s: a Content-Length over the limit fails from the header, before any body byte', async (source) => {
    // Headers only: the announced body never comes, so reading it would hang.
    const announcing = await fake((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(60 * 1024 * 1024) });
      res.flushHeaders();
    });
    expect((await failure((portsAt(announcing.url)[source] as SourcePort).fetch(patient, signal()))).reason).toBe(HTTP_FAILURE_REASON.tooLarge);
  });

  it('a body within the limit is read', async () => {
    const records = { records: [] };
    const source = await fake((_req, res) => json(res, 200, records, 'application/json'));
    expect(await registerSource('kpr', `${source.url}/kpr`, 1024).fetch(patient, signal())).toEqual(records);
  });

  it('the limit is one budget per fetch: Kjernejournal\'s five searches together', async () => {
    // Each answer alone is under the limit, the five together are over it.
    const padding = 'x'.repeat(Math.floor(LIMIT / 4));
    const source = await fake((req, res) => {
      const type = (req.url ?? '').split('/').pop() ?? '';
      json(res, 200, { ...emptySearchset, id: padding, entry: type === 'Patient' ? [{ resource: { resourceType: 'Patient', id: 'p' } }] : [] });
    });
    expect((await failure(kjernejournalSource(`${source.url}/kj`, LIMIT).fetch(patient, signal()))).reason).toBe(HTTP_FAILURE_REASON.tooLarge);
    await expect(kjernejournalSource(`${source.url}/kj`, 2 * LIMIT).fetch(patient, signal())).resolves.toMatchObject({ patient: { id: 'p' } });
  });

  it('a fresh budget for every fetch', async () => {
    // Each answer takes more than half the limit: a budget carried over would fail the second fetch.
    const bundle = { resourceType: 'Bundle', type: 'document', id: 'x'.repeat(600) };
    const source = await fake((_req, res) => json(res, 200, bundle));
    const pll = pllSource(`${source.url}/pll`, 1024);
    for (let i = 0; i < 3; i++) await expect(pll.fetch(patient, signal())).resolves.toEqual({ bundle });
  });
});

describe('decoding', () => {
  it.each(SOURCES)('%s: invalid UTF-8 is a malformed body', async (source) => {
    const bad = await fake((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(Buffer.concat([Buffer.from('{"records":[],"resourceType":"Bundle","type":"searchset","x":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}')]));
    });
    expect((await failure((portsAt(bad.url)[source] as SourcePort).fetch(patient, signal()))).reason).toBe('malformed response body');
  });

  it.each(SOURCES)('%s: an empty 200 is a malformed body, not "nothing"', async (source) => {
    const empty = await fake((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end());
    expect((await failure((portsAt(empty.url)[source] as SourcePort).fetch(patient, signal()))).reason).toBe('malformed response body');
  });

  it.each(SOURCES)('%s: an HTML 200 is a malformed body', async (source) => {
    const html = await fake((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<html><body>Welcome</body></html>'));
    expect((await failure((portsAt(html.url)[source] as SourcePort).fetch(patient, signal()))).reason).toBe('malformed response body');
  });

  it('sends the patient header, and only as a header', async () => {
    const source = await fake((_req, res) => json(res, 200, { records: [] }, 'application/json'));
    await registerSource('npr', `${source.url}/npr`, LIMIT).fetch(patient, signal());
    expect(source.requests[0]?.headers[NIN_HEADER]).toBe(patient.value);
    expect(source.requests[0]?.url).not.toContain(patient.value);
  });
});

describe('"nothing here" versus a wrong or broken endpoint', () => {
  const notFound = { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'not-found', details: { coding: [NO_PLL_DETAIL] }, diagnostics: 'the patient has no PLL' }] };

  it('PLL: the documented 404 (an OperationOutcome with code not-found and the no-pll detail) is no PLL', async () => {
    const source = await fake((_req, res) => json(res, 404, notFound));
    expect(await pllSource(`${source.url}/pll`, LIMIT).fetch(patient, signal())).toEqual({});
    expect(source.requests[0]?.method).toBe('POST');
    expect(source.requests[0]?.url).toBe('/pll/Patient/$getMedication');
  });

  it.each([
    ['an HTML page', (res: ServerResponse) => res.writeHead(404, { 'content-type': 'text/html' }).end('<html><body><h1>404 Not Found</h1></body></html>')],
    ['an empty body', (res: ServerResponse) => res.writeHead(404).end()],
    ['an OperationOutcome without an issue code', (res: ServerResponse) => json(res, 404, { resourceType: 'OperationOutcome', issue: [{ severity: 'error', diagnostics: 'gone' }] })],
    ['an OperationOutcome without issues', (res: ServerResponse) => json(res, 404, { resourceType: 'OperationOutcome' })],
    ['an OperationOutcome with another code', (res: ServerResponse) => json(res, 404, { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'not-supported' }] })],
    ["a server's generic not-found (no no-pll detail)", (res: ServerResponse) => json(res, 404, { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'not-found', diagnostics: 'nothing at POST /pll/Patient/$getMedication' }] })],
    ['not-found with another detail coding', (res: ServerResponse) => json(res, 404, { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'not-found', details: { coding: [{ ...NO_PLL_DETAIL, code: 'other' }] } }] })],
    ['not-found next to another issue', (res: ServerResponse) => json(res, 404, { resourceType: 'OperationOutcome', issue: [...notFound.issue, { severity: 'error', code: 'exception' }] })],
    ['JSON that is not an OperationOutcome', (res: ServerResponse) => json(res, 404, { error: 'not found' }, 'application/json')],
    ['invalid UTF-8', (res: ServerResponse) => res.writeHead(404, { 'content-type': 'application/fhir+json' }).end(Buffer.from([0x7b, 0xff, 0x7d]))],
  ])('PLL: a 404 with %s is a failure, not "no PLL"', async (_what, answer) => {
    const source = await fake((_req, res) => answer(res));
    expect((await failure(pllSource(`${source.url}/pll`, LIMIT).fetch(patient, signal()))).reason).toBe('HTTP 404');
  });

  it('PLL: a wrong path behind a plain web server is a failure', async () => {
    // Like Express's own 404 page: anything but the operation's path answers HTML.
    const server = await fake((req, res) => {
      if (req.url === '/pll/Patient/$getMedication') json(res, 404, notFound);
      else res.writeHead(404, { 'content-type': 'text/html' }).end(`<pre>Cannot ${req.method ?? ''} ${req.url ?? ''}</pre>`);
    });
    expect(await pllSource(`${server.url}/pll`, LIMIT).fetch(patient, signal())).toEqual({});
    expect((await failure(pllSource(`${server.url}/pl`, LIMIT).fetch(patient, signal()))).reason).toBe('HTTP 404');
  });

  it('PLL: a 404 body over the limit is a failure', async () => {
    const source = await fake((_req, res) => json(res, 404, { ...notFound, pad: 'x'.repeat(2048) }));
    expect((await failure(pllSource(`${source.url}/pll`, 1024).fetch(patient, signal()))).reason).toBe(HTTP_FAILURE_REASON.tooLarge);
  });

  it.each(['kjernejournal', 'reseptformidleren', 'npr', 'kpr'] as const)('%s: any 404, even the not-found OperationOutcome, is a failure', async (source) => {
    const server = await fake((_req, res) => json(res, 404, notFound));
    expect((await failure((portsAt(server.url)[source] as SourcePort).fetch(patient, signal()))).reason).toBe('HTTP 404');
  });

  it('Reseptformidleren: an empty searchset is no prescriptions; NPR/KPR: {records: []} is no records', async () => {
    const server = await fake((req, res) => {
      if ((req.url ?? '').endsWith('/records')) json(res, 200, { records: [] }, 'application/json');
      else json(res, 200, emptySearchset);
    });
    const p = portsAt(server.url);
    expect(await p.reseptformidleren.fetch(patient, signal())).toEqual({ prescriptions: [] });
    expect(await p.npr.fetch(patient, signal())).toEqual({ records: [] });
    expect(await p.kpr.fetch(patient, signal())).toEqual({ records: [] });
  });

  it.each([
    ['{}', {}],
    ['{"records": null}', { records: null }],
    ['a searchset', emptySearchset],
  ])('NPR: %s is not "no records" but a failure', async (_what, body) => {
    const server = await fake((_req, res) => json(res, 200, body, 'application/json'));
    expect((await failure(registerSource('npr', `${server.url}/npr`, LIMIT).fetch(patient, signal()))).reason).toBe('malformed response body (not register records)');
  });

  it('Kjernejournal: a Patient search that reports an error outcome is a failure, not "person not known"', async () => {
    const tooCostly = { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'too-costly' }] };
    const server = await fake((_req, res) => json(res, 200, { ...emptySearchset, entry: [{ resource: tooCostly, search: { mode: 'outcome' } }] }));
    expect((await failure(kjernejournalSource(`${server.url}/kj`, LIMIT).fetch(patient, signal()))).reason).toBe('malformed response body (a searchset with an error outcome)');
  });

  it('Reseptformidleren and Kjernejournal: an OperationOutcome with 200 is not an empty searchset', async () => {
    const server = await fake((_req, res) => json(res, 200, { resourceType: 'OperationOutcome', issue: [{ severity: 'information', code: 'not-found' }] }));
    const p = portsAt(server.url);
    expect((await failure(p.reseptformidleren.fetch(patient, signal()))).reason).toBe('malformed response body (not a searchset Bundle)');
    expect((await failure(p.kjernejournal.fetch(patient, signal()))).reason).toBe('malformed response body (not a searchset Bundle)');
  });
});
