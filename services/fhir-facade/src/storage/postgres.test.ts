/**
 * The PostgreSQL adapter when the server is not there: which driver errors mean "unreachable", that they
 * become `DatabaseUnavailable` and a 503 with `Retry-After` on any route, that the pool's and a checked-out
 * client's 'error' events are handled (one JSON log line, no crash), and that other errors pass unchanged.
 * Runs everywhere: a fake pool, and the real `pg` against closed or hanging-up ports on 127.0.0.1.
 */
import { EventEmitter } from 'node:events';
import { createServer, type Server } from 'node:net';
import { DEFAULT_FOREIGN_PHARMACY } from '@ehds-no/core';
import request from 'supertest';
import { baseFhirErrors } from '../../../../packages/core/src/test-support/fhir-validation.js';
import { fixture } from '../../../../packages/core/src/test-support/eresept-fixtures.js';
import { createApp } from '../app.js';
import { SCOPE } from '../auth/caller.js';
import { devIssuer } from '../auth/token-verifier.js';
import { DEV_TOKEN_AUDIENCE } from '../config.js';
import { DATABASE_RETRY_AFTER_SECONDS } from '../fhir/errors.js';
import { createLogger } from '../logging.js';
import { AuditStore } from './audit-store.js';
import { DatabaseUnavailable, UNAVAILABLE_SQLSTATE, unavailableReason } from './database.js';
import { EprescriptionStore } from './eprescription-store.js';
import { openPostgres, postgresDatabase, type PgClient, type PgPool } from './postgres.js';

const RESEPT_ID = '240a3213-df60-4662-9180-5b2088c69077';

/** An error as `pg` or Node's sockets make them: a message and, for most, a code. */
const pgError = (message: string, code?: string) => Object.assign(new Error(message), code ? { code } : {});

/** A fake client: an EventEmitter (as pg's Client is) whose queries follow `answer`. */
class FakeClient extends EventEmitter implements PgClient {
  readonly statements: string[] = [];
  released: { error: Error | undefined } | undefined;
  constructor(private readonly answer: (sql: string) => Promise<{ rows: unknown[] }>) {
    super();
  }
  query(sql: string) {
    this.statements.push(sql);
    return this.answer(sql);
  }
  release(error?: Error) {
    this.released = { error };
  }
}

/** A fake pool: an EventEmitter (as pg-pool's is); every query and connection follows `answer`. */
class FakePool extends EventEmitter implements PgPool {
  readonly clients: FakeClient[] = [];
  constructor(private readonly answer: (sql: string) => Promise<{ rows: unknown[] }>) {
    super();
  }
  query(sql: string) {
    return this.answer(sql);
  }
  async connect() {
    const client = new FakeClient(this.answer);
    this.clients.push(client);
    return client;
  }
  async end() {}
}

/** Log lines written by the loggers of this file. */
const logLines: string[] = [];
const logger = createLogger({ write: (line: string) => void logLines.push(line) });
beforeEach(() => {
  logLines.length = 0;
});

describe('unavailableReason', () => {
  it.each([
    ['connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED', 'ECONNREFUSED'],
    ['read ECONNRESET', 'ECONNRESET', 'ECONNRESET'],
    ['terminating connection due to administrator command', UNAVAILABLE_SQLSTATE.adminShutdown, '57P01'],
    ['the database system is starting up', UNAVAILABLE_SQLSTATE.cannotConnectNow, '57P03'],
    ['the database system is shutting down', UNAVAILABLE_SQLSTATE.cannotConnectNow, '57P03'],
    ['connection failure', '08006', '08006'],
    ['Connection terminated unexpectedly', undefined, 'connection terminated'],
    ['Connection terminated due to connection timeout', undefined, 'connect timeout'],
    ['timeout exceeded when trying to connect', undefined, 'connect timeout'],
    ['Client has encountered a connection error and is not queryable', undefined, 'connection lost'],
  ])('%s (%s) means the database is unreachable', (message, code, reason) => {
    expect(unavailableReason(pgError(message, code))).toBe(reason);
  });

  it('finds the reason among the errors of a connection tried at several addresses', () => {
    expect(unavailableReason(new AggregateError([pgError('connect ECONNREFUSED ::1:5432', 'ECONNREFUSED')], 'connect failed'))).toBe('ECONNREFUSED');
  });

  it.each([
    ['duplicate key value violates unique constraint', '23505'],
    ['relation "nothing" does not exist', '42P01'],
    ['syntax error at or near "selec"', '42601'],
    ['something else', undefined],
  ])('leaves other errors alone: %s (%s)', (message, code) => {
    expect(unavailableReason(pgError(message, code))).toBeUndefined();
  });
});

describe('postgresDatabase', () => {
  it('turns an unreachable server into DatabaseUnavailable and passes other errors on unchanged', async () => {
    const unique = pgError('duplicate key value violates unique constraint "x" Key (resept_id)=(…)', '23505');
    const db = postgresDatabase(new FakePool(async (sql) => {
      throw sql === 'insert' ? unique : pgError('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED');
    }));
    await expect(db.query('select 1')).rejects.toEqual(new DatabaseUnavailable('ECONNREFUSED'));
    await expect(db.query('insert')).rejects.toBe(unique);
    await expect(db.transaction(async () => 1)).rejects.toBeInstanceOf(DatabaseUnavailable);
  });

  it("handles the pool's 'error' event (an idle connection lost) with one log line that carries no driver text", () => {
    const pool = new FakePool(async () => ({ rows: [] }));
    postgresDatabase(pool, logger);
    // Without a listener, EventEmitter throws the error here: in a socket callback, that ends the process.
    expect(() => pool.emit('error', pgError('terminating connection due to administrator command', UNAVAILABLE_SQLSTATE.adminShutdown), {})).not.toThrow();
    expect(logLines).toHaveLength(1);
    expect(JSON.parse(logLines[0]!)).toMatchObject({ level: 40, error: 'DatabaseUnavailable', reason: '57P01' });
    expect(logLines[0]).not.toContain('administrator');
  });

  it('survives a connection lost inside a transaction, between two statements, and discards that connection', async () => {
    let lost = false;
    const pool = new FakePool(async () => {
      if (lost) throw pgError('Client has encountered a connection error and is not queryable');
      return { rows: [] };
    });
    const db = postgresDatabase(pool, logger);
    const outcome = db.transaction(async (tx) => {
      await tx.query('select 1');
      lost = true;
      // What pg's client does when its socket ends while checked out: an 'error' event, then failing queries.
      pool.clients[0]!.emit('error', pgError('Connection terminated unexpectedly'));
      await tx.query('select 2');
    });
    await expect(outcome).rejects.toEqual(new DatabaseUnavailable('connection lost'));
    const client = pool.clients[0]!;
    expect(client.statements).toEqual(['begin', 'select 1', 'select 2']);
    expect(client.released?.error?.message).toBe('Connection terminated unexpectedly');
    expect(client.listenerCount('error')).toBe(0);
  });

  it('reports the first error of a failed transaction when its rollback fails too, and discards the connection', async () => {
    const refused = new Error('the dispensing key is taken');
    const pool = new FakePool(async (sql) => {
      if (sql === 'rollback') throw pgError('Connection terminated unexpectedly');
      return { rows: [] };
    });
    await expect(postgresDatabase(pool).transaction(async () => {
      throw refused;
    })).rejects.toBe(refused);
    expect(pool.clients[0]!.released?.error?.message).toBe('Connection terminated unexpectedly');
  });

  it('returns a healthy connection to the pool after a rolled-back transaction', async () => {
    const pool = new FakePool(async () => ({ rows: [] }));
    await expect(postgresDatabase(pool).transaction(async () => {
      throw new Error('no');
    })).rejects.toThrow('no');
    expect(pool.clients[0]!.statements).toEqual(['begin', 'rollback']);
    expect(pool.clients[0]!.released).toEqual({ error: undefined });
  });
});

describe('the facade on an unreachable database', () => {
  it('answers 503 with Retry-After and a transient OperationOutcome on every route that needs it, and on /readyz', async () => {
    const issuer = await devIssuer(DEV_TOKEN_AUDIENCE);
    const token = await issuer.mint({ scope: Object.values(SCOPE).join(' '), 'helseid://claims/hpr/hpr_number': '565104311' });
    const db = postgresDatabase(new FakePool(async () => {
      throw pgError('terminating connection due to administrator command', UNAVAILABLE_SQLSTATE.adminShutdown);
    }), logger);
    const app = createApp({
      version: 'test',
      logger,
      db,
      eprescription: { store: new EprescriptionStore(db), audit: new AuditStore(db), verifier: issuer, allowSyntheticIdentities: true, foreignPharmacy: DEFAULT_FOREIGN_PHARMACY, now: () => new Date('2024-06-10T08:00:00Z') },
    });
    const answers = [
      await request(app).get('/readyz'),
      await request(app).get(`/reseptformidler/utleveringer/${RESEPT_ID}`).set('Authorization', `Bearer ${token}`),
      await request(app).post('/fhir/$convert-m1-to-eu').set('Authorization', `Bearer ${token}`).set('Content-Type', 'application/xml').send(fixture('m1-pakning-dosering.xml')),
    ];
    for (const res of answers) {
      expect(res.status).toBe(503);
      expect(res.headers['retry-after']).toBe(String(DATABASE_RETRY_AFTER_SECONDS));
      expect(res.headers['content-type']).toMatch(/^application\/fhir\+json/);
      expect(res.body).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'transient' }] });
      expect(baseFhirErrors(res.body)).toEqual([]);
    }
    const log = logLines.join('');
    expect(log).not.toContain('unhandled error');
    expect(log).not.toContain('administrator');
    expect(log).not.toMatch(/\b\d{11}\b/);
    for (const line of logLines) expect(() => JSON.parse(line) as unknown).not.toThrow();
  });
});

describe('openPostgres against 127.0.0.1 ports without PostgreSQL', () => {
  /** A TCP server on an ephemeral loopback port, doing `onConnection` with each connection. */
  async function tcpServer(onConnection: (socket: import('node:net').Socket) => void): Promise<{ server: Server; port: number }> {
    const server = createServer(onConnection);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (!address || typeof address === 'string') throw new Error('no port');
    return { server, port: address.port };
  }
  const close = (server: Server) => new Promise<void>((resolve) => server.close(() => resolve()));

  it('refused: DatabaseUnavailable (ECONNREFUSED)', async () => {
    const { server, port } = await tcpServer(() => undefined);
    await close(server);
    const db = openPostgres(`postgres://ehds@127.0.0.1:${port}/ehds`);
    try {
      await expect(db.query('select 1')).rejects.toEqual(new DatabaseUnavailable('ECONNREFUSED'));
      await expect(db.transaction(async (tx) => tx.query('select 1'))).rejects.toEqual(new DatabaseUnavailable('ECONNREFUSED'));
    } finally {
      await db.close();
    }
  });

  it('hung up on while connecting: DatabaseUnavailable (connection terminated)', async () => {
    const { server, port } = await tcpServer((socket) => socket.destroy());
    const db = openPostgres(`postgres://ehds@127.0.0.1:${port}/ehds`);
    try {
      await expect(db.query('select 1')).rejects.toBeInstanceOf(DatabaseUnavailable);
    } finally {
      await db.close();
      await close(server);
    }
  });

  it('silent: DatabaseUnavailable after the connect timeout, not a hanging request', async () => {
    // Accepts and never answers: what a server that is not yet up, or a dropped route, looks like.
    const sockets: import('node:net').Socket[] = [];
    const { server, port } = await tcpServer((socket) => void sockets.push(socket));
    const db = openPostgres(`postgres://ehds@127.0.0.1:${port}/ehds`, { connectionTimeoutMillis: 50 });
    try {
      await expect(db.query('select 1')).rejects.toEqual(new DatabaseUnavailable('connect timeout'));
    } finally {
      await db.close();
      for (const s of sockets) s.destroy();
      await close(server);
    }
  });
});
