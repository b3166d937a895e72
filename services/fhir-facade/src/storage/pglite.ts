/**
 * The embedded default database: PGlite (PostgreSQL in WebAssembly), in a data folder on disk, or in
 * memory for tests. A PGlite that can no longer answer (closed: the service is stopping) fails with
 * `DatabaseUnavailable` (database.ts), as a PostgreSQL server that went away does: a 503, not a 500.
 */
import { PGlite } from '@electric-sql/pglite';
import { unavailableAsTyped, unavailableReason, type Database, type Queryable } from './database.js';

/** PGlite's error once `close()` has been called (it has no code). */
const CLOSED_MESSAGE = 'PGlite is closed';

/** Why a PGlite error means the database cannot answer, or undefined for an ordinary SQL error. */
function pgliteUnavailableReason(error: unknown): string | undefined {
  if ((error as { message?: unknown } | null)?.message === CLOSED_MESSAGE) return 'closed';
  return unavailableReason(error);
}

/**
 * Opens PGlite.
 * @param dataDir a folder (created when missing), or undefined for an in-memory database
 * @param loadDataDir a dump to start from (tests start from a migrated template this way, ~0.7 s instead of ~4 s)
 */
export async function openPglite(dataDir?: string, loadDataDir?: Blob): Promise<Database & { dump(): Promise<Blob> }> {
  const db = new PGlite({ ...(dataDir ? { dataDir } : {}), ...(loadDataDir ? { loadDataDir } : {}) });
  await db.waitReady;
  const wrap = (q: Pick<PGlite, 'query'>): Queryable => ({
    query: async <T>(sql: string, params: unknown[] = []) => ({ rows: (await unavailableAsTyped(() => q.query<T>(sql, params), pgliteUnavailableReason)).rows }),
  });
  return {
    ...wrap(db),
    transaction: (fn) => unavailableAsTyped(() => db.transaction((tx) => fn(wrap(tx))), pgliteUnavailableReason),
    close: () => db.close(),
    dump: async () => db.dumpDataDir('none'),
  };
}
