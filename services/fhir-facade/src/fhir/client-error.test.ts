import { connect } from 'node:net';
import express from 'express';
import { startServer, type RunningServer } from '../server.js';
import { clientErrorAnswer } from './client-error.js';

/** Sends `bytes` as they are and collects everything the server answers until it closes the connection. */
function exchange(port: number, bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = connect(port, '127.0.0.1', () => socket.write(bytes));
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', reject);
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

/** Status code, headers and parsed body of one raw HTTP response. */
function parse(raw: string): { status: number; headers: string; body: { resourceType?: string; issue?: { code: string; expression?: string[]; diagnostics?: string }[] } } {
  const end = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, end);
  return { status: Number(head.split(' ')[1]), headers: head, body: JSON.parse(raw.slice(end + 4)) as never };
}

describe('requests the HTTP parser refuses', () => {
  let running: RunningServer;
  beforeAll(async () => {
    const app = express();
    app.get('/ok', (_req, res) => {
      res.json({ ok: true });
    });
    running = await startServer(app, 0, '127.0.0.1', 1000);
  });
  afterAll(() => running.stop());

  it.each([
    ['a URL past the header limit', `GET /${'a'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`, 431, 'too-costly', 'http.headers'],
    ['a header past the limit', `GET /ok HTTP/1.1\r\nHost: x\r\nX-Big: ${'b'.repeat(20_000)}\r\n\r\n`, 431, 'too-costly', 'http.headers'],
    ['no method', 'garbage\r\n\r\n', 400, 'invalid', 'http.method'],
    ['a control character in the path', 'GET /\u0001 HTTP/1.1\r\nHost: x\r\n\r\n', 400, 'invalid', 'http.path'],
    ['an unknown HTTP version', 'GET /ok HTTP/9.9\r\nHost: x\r\n\r\n', 400, 'invalid', 'http.version'],
    ['a space in a header name', 'GET /ok HTTP/1.1\r\nHo st: x\r\n\r\n', 400, 'invalid', 'http.headers'],
    ['a Content-Length that is no number', 'POST /ok HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n', 400, 'invalid', 'http.Content-Length'],
    ['Content-Length with chunked', 'POST /ok HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\nabc', 400, 'invalid', 'http.Transfer-Encoding'],
    ['a malformed chunk', 'POST /ok HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n', 400, 'invalid', 'http.body'],
  ])('%s: %i with an OperationOutcome at its place, then the connection closes', async (_name, bytes, status, code, where) => {
    const { status: got, headers, body } = parse(await exchange(running.port, bytes));
    expect(got).toBe(status);
    expect(headers).toMatch(/\r\nContent-Type: application\/fhir\+json; charset=utf-8\r\n/);
    expect(headers).toMatch(/\r\nConnection: close/);
    expect(body.resourceType).toBe('OperationOutcome');
    expect(body.issue?.[0]).toMatchObject({ code, expression: [where] });
  });

  it('still serves well-formed requests on the same server', async () => {
    const r = await fetch(`http://127.0.0.1:${running.port}/ok`);
    expect(await r.json()).toEqual({ ok: true });
  });

  it('answers a code it does not know as malformed HTTP, without a place', () => {
    const answer = clientErrorAnswer('HPE_SOMETHING_NEW');
    expect(answer.status).toBe(400);
    expect(answer.outcome.issue?.[0]).toMatchObject({ code: 'invalid', diagnostics: 'The request is not valid HTTP/1.1' });
    expect(answer.outcome.issue?.[0]?.expression).toBeUndefined();
    expect(clientErrorAnswer('toString').status).toBe(400);
  });

  /** A server whose GET /stream sends its headers and a first part at once, and the rest after 100 ms. */
  async function streaming(): Promise<RunningServer> {
    const app = express();
    app.get('/stream', (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.write('first part;');
      setTimeout(() => res.end('second part'), 100).unref();
    });
    app.get('/slow', (_req, res) => {
      setTimeout(() => res.json({ slow: true }), 100).unref();
    });
    return startServer(app, 0, '127.0.0.1', 1000);
  }

  it('answers a malformed request sent behind another after the answer to that one, never inside it', async () => {
    const server = await streaming();
    try {
      for (const path of ['/stream', '/slow']) {
        const raw = await exchange(server.port, `GET ${path} HTTP/1.1\r\nHost: x\r\n\r\ngarbage\r\n\r\n`);
        expect(raw).toMatch(/^HTTP\/1\.1 200 /);
        const second = raw.indexOf('HTTP/1.1 400 ');
        expect(second).toBeGreaterThan(0);
        // The first answer whole: the last chunk of the streamed one, or the JSON body of the other.
        expect(raw.slice(0, second)).toMatch(path === '/stream' ? /second part\r\n0\r\n\r\n$/ : /\{"slow":true\}$/);
        expect(parse(raw.slice(second)).body.issue?.[0]).toMatchObject({ code: 'invalid', expression: ['http.method'] });
      }
    } finally {
      await server.stop();
    }
  });
});
