/**
 * PGlite, the embedded database, once it can no longer answer (closed while requests are still running,
 * as at shutdown): `DatabaseUnavailable`, which the error handler answers 503, as for PostgreSQL.
 */
import { DatabaseUnavailable } from './database.js';
import { openPglite } from './pglite.js';

describe('openPglite', () => {
  it('fails with DatabaseUnavailable once closed, and passes SQL errors on unchanged', async () => {
    const db = await openPglite();
    await expect(db.query('selec 1')).rejects.toMatchObject({ code: '42601' });
    await expect(db.transaction((tx) => tx.query('selec 1'))).rejects.toMatchObject({ code: '42601' });
    await db.close();
    await expect(db.query('select 1')).rejects.toEqual(new DatabaseUnavailable('closed'));
    await expect(db.transaction((tx) => tx.query('select 1'))).rejects.toEqual(new DatabaseUnavailable('closed'));
  });
});
