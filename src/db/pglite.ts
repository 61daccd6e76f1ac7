import { PGlite, types } from '@electric-sql/pglite';
import type { Db, Queryable, QueryResult } from './types.js';

const parsers = { [types.INT8]: (v: string) => Number(v) };

function wrap(q: { query: PGlite['query']; exec: PGlite['exec'] }): Queryable {
  return {
    async query<T>(sql: string, params?: unknown[]): Promise<QueryResult<T>> {
      const r = await q.query<T>(sql, params as unknown[]);
      return { rows: r.rows, rowCount: r.affectedRows ?? r.rows.length };
    },
    async exec(sql: string) { await q.exec(sql); },
  };
}

/**
 * Opens PGlite on a folder (or in memory when dir is undefined). `loadDataDir` starts from a
 * dump made by `dumpDataDir` (tests use one to skip initdb).
 */
export async function openPglite(dir?: string, opts: { loadDataDir?: Blob | File } = {}): Promise<Db & { dump(): Promise<Blob> }> {
  const pg = await PGlite.create({ ...(dir ? { dataDir: dir } : {}), parsers, ...(opts.loadDataDir ? { loadDataDir: opts.loadDataDir } : {}) });
  const outer = wrap(pg);
  return {
    kind: 'pglite',
    query: outer.query,
    exec: outer.exec,
    tx: (fn) => pg.transaction((t) => fn(wrap(t))),
    close: () => pg.close(),
    dump: () => pg.dumpDataDir('none'),
  };
}
