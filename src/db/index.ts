import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { lockDataDir } from './lock.js';
import { migrate } from './migrate.js';
import { openPglite } from './pglite.js';
import { openPostgres } from './postgres.js';
import type { Db, Queryable, QueryResult } from './types.js';

export type { Db, Queryable, QueryResult };
export { migrate, openPglite, openPostgres };

/**
 * Opens the configured database and migrates it: PostgreSQL when a URL is given,
 * else PGlite in `<dataDir>/pgdata` under the data folder's lock file.
 */
export async function openDatabase(opts: { databaseUrl: string | null; dataDir: string }): Promise<Db> {
  if (opts.databaseUrl) {
    const db = await openPostgres(opts.databaseUrl);
    await migrate(db);
    return db;
  }
  mkdirSync(opts.dataDir, { recursive: true, mode: 0o700 });
  const release = lockDataDir(opts.dataDir);
  try {
    const db = await openPglite(join(opts.dataDir, 'pgdata'));
    await migrate(db);
    return { ...db, close: async () => { try { await db.close(); } finally { release(); } } };
  } catch (e) {
    release();
    throw e;
  }
}
