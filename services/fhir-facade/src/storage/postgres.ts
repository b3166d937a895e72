/**
 * PostgreSQL through `pg` (production: `DATABASE_URL`), behind the same {@link Database} port as PGlite.
 */
import pg from 'pg';
import type { Database, Queryable } from './database.js';

/**
 * Opens a connection pool.
 * @param url e.g. `postgres://user:password@host:5432/ehds`
 */
export function openPostgres(url: string): Database {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  const wrap = (q: pg.Pool | pg.PoolClient): Queryable => ({
    query: async <T>(sql: string, params: unknown[] = []) => ({ rows: (await q.query(sql, params)).rows as T[] }),
  });
  return {
    ...wrap(pool),
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('begin');
        const result = await fn(wrap(client));
        await client.query('commit');
        return result;
      } catch (e) {
        await client.query('rollback');
        throw e;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}
