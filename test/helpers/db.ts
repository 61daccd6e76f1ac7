import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { migrate, openPglite, openPostgres, type Db } from '../../src/db/index.js';
import { listMigrations } from '../../src/db/migrate.js';

/**
 * Creating PGlite runs initdb (seconds); loading a dump of an already migrated database
 * takes a fraction of that, so the first test process writes one per migration set and
 * later tests load it.
 */
async function pgliteFromTemplate(): Promise<Db> {
  const key = createHash('sha256').update(listMigrations().map((m) => m.name + m.sql).join('\0')).digest('hex').slice(0, 16);
  const file = join(tmpdir(), `warden-test-pglite-${key}.tar`);
  if (existsSync(file)) {
    const db = await openPglite(undefined, { loadDataDir: new Blob([readFileSync(file)]) });
    await migrate(db);
    return db;
  }
  const db = await openPglite();
  await migrate(db);
  const dump = Buffer.from(await (await db.dump()).arrayBuffer());
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, dump);
  renameSync(tmp, file);
  return db;
}

/**
 * A fresh, migrated database for one test file: PGlite in memory, or — when
 * WARDEN_TEST_DATABASE_URL is set — a new schema on that PostgreSQL server,
 * dropped again by close().
 */
export async function openTestDb(): Promise<Db & { url?: string; schema?: string }> {
  const url = process.env.WARDEN_TEST_DATABASE_URL;
  if (!url) {
    return pgliteFromTemplate();
  }
  const t = await createTestSchema(url, 't');
  const db = await openPostgres(url, { searchPath: t.schema, max: 4 });
  await migrate(db);
  return {
    ...db,
    url,
    schema: t.schema,
    async close() {
      await db.close();
      await t.drop();
    },
  };
}

/**
 * A new, empty schema on the PostgreSQL server at base: `url` connects with it as the
 * search_path (for a whole Warden started on it), `drop()` removes it and everything in it.
 */
export async function createTestSchema(base: string, prefix: string): Promise<{ schema: string; url: string; drop(): Promise<void> }> {
  const schema = `${prefix}_${randomBytes(6).toString('hex')}`;
  const admin = async (sql: string) => {
    const c = new pg.Client({ connectionString: base });
    await c.connect();
    try { await c.query(sql); } finally { await c.end(); }
  };
  await admin(`CREATE SCHEMA ${schema}`);
  const u = new URL(base);
  u.searchParams.set('options', `-c search_path=${schema}`);
  return { schema, url: u.toString(), drop: () => admin(`DROP SCHEMA IF EXISTS ${schema} CASCADE`) };
}
