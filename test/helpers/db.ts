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
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();
  const db = await openPostgres(url, { searchPath: schema, max: 4 });
  await migrate(db);
  return {
    ...db,
    url,
    schema,
    async close() {
      await db.close();
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(`DROP SCHEMA ${schema} CASCADE`);
      await c.end();
    },
  };
}

/** The database URL a spawned server should use for this test run (null = its own PGlite). */
export function testDatabaseUrl(schema?: string): string | null {
  const url = process.env.WARDEN_TEST_DATABASE_URL;
  if (!url) return null;
  if (!schema) return url;
  const u = new URL(url);
  u.searchParams.set('options', `-c search_path=${schema}`);
  return u.toString();
}
