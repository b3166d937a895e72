/**
 * PostgreSQL through `pg` (production: `DATABASE_URL`), behind the same {@link Database} port as PGlite.
 * The server may go away at any time (a restart, a failover, `kill -9`): the pool then reports errors on
 * its idle connections, which are logged here as one line instead of crashing the process (an `'error'`
 * event without a listener throws), queries fail with {@link DatabaseUnavailable} (503 with `Retry-After`),
 * and the pool opens new connections by itself once the server answers again.
 */
import pg from 'pg';
import type { Logger } from 'pino';
import { DatabaseUnavailable, unavailableAsTyped, unavailableReason, type Database, type Queryable } from './database.js';

/** How long getting a connection may take before the query fails with {@link DatabaseUnavailable}. */
export const CONNECT_TIMEOUT_MS = 5000;

/** The part of a `pg` client the adapter uses. */
export interface PgClient {
  query(sql: string, params?: unknown[]): Promise<{ rows: unknown[] }>;
  /** Back to the pool; with an error the connection is closed instead of reused. */
  release(error?: Error): void;
  on(event: 'error', listener: (error: Error) => void): unknown;
  removeListener(event: 'error', listener: (error: Error) => void): unknown;
}

/** The part of a `pg.Pool` the adapter uses (tests pass a fake one to {@link postgresDatabase}). */
export interface PgPool {
  query(sql: string, params?: unknown[]): Promise<{ rows: unknown[] }>;
  connect(): Promise<PgClient>;
  end(): Promise<void>;
  on(event: 'error', listener: (error: Error, client: unknown) => void): unknown;
}

/** Options of {@link openPostgres}. */
export interface PostgresOptions {
  /** Where a connection lost while idle is reported (default: not reported; it is handled either way). */
  readonly logger?: Pick<Logger, 'warn'>;
  /** Default {@link CONNECT_TIMEOUT_MS}. */
  readonly connectionTimeoutMillis?: number;
}

/**
 * Opens a connection pool.
 * @param url e.g. `postgres://user:password@host:5432/ehds`
 * @example const db = openPostgres(config.databaseUrl, { logger });
 */
export function openPostgres(url: string, options: PostgresOptions = {}): Database {
  // Without a connect timeout, a request waits as long as the kernel tries to reach a silent host.
  const pool = new pg.Pool({ connectionString: url, max: 10, connectionTimeoutMillis: options.connectionTimeoutMillis ?? CONNECT_TIMEOUT_MS });
  return postgresDatabase(pool, options.logger);
}

/** Names an error for the log by what it is, never by its message (which can quote data). */
function reasonOf(error: unknown): string {
  return unavailableReason(error) ?? (error instanceof Error ? error.name : typeof error);
}

/**
 * The {@link Database} port on a pool.
 * @param logger where a connection lost while idle is reported
 */
export function postgresDatabase(pool: PgPool, logger?: Pick<Logger, 'warn'>): Database {
  // An idle connection that dies (the server stopped) is an 'error' event of the pool: pg-pool has already
  // removed it, and the next query opens a new one. Logged by reason only: pg's errors carry the server's text.
  pool.on('error', (error) => {
    logger?.warn({ error: DatabaseUnavailable.name, reason: reasonOf(error) }, 'database connection lost while idle; a new one is opened when needed');
  });
  const wrap = (q: Pick<PgPool, 'query'>): Queryable => ({
    query: async <T>(sql: string, params: unknown[] = []) => ({ rows: (await unavailableAsTyped(() => q.query(sql, params))).rows as T[] }),
  });
  return {
    ...wrap(pool),
    async transaction(fn) {
      const client = await unavailableAsTyped(() => pool.connect());
      // A checked-out client has no listener of the pool's: a connection lost while `fn` computes between
      // two statements would be an unhandled 'error' event, which ends the process.
      let broken: Error | undefined;
      const onError = (error: Error) => {
        broken = error;
      };
      client.on('error', onError);
      try {
        const tx = wrap(client);
        await tx.query('begin');
        const result = await fn(tx);
        await tx.query('commit');
        return result;
      } catch (e) {
        // On a lost connection the rollback fails too (the server has rolled back already): the first
        // error is the one to report, and the connection is closed rather than reused.
        if (!broken) {
          try {
            await client.query('rollback');
          } catch (rollbackError) {
            broken = rollbackError instanceof Error ? rollbackError : new Error('rollback failed');
          }
        }
        throw e;
      } finally {
        client.removeListener('error', onError);
        client.release(broken);
      }
    },
    close: () => pool.end(),
  };
}
