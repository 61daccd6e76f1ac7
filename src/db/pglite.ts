import { PGlite, types } from '@electric-sql/pglite';
import type { Db, Queryable, QueryResult } from './types.js';

const parsers = { [types.INT8]: (v: string) => Number(v) };

/**
 * PGlite runs SQL on this thread, synchronously, and hands its lock from one waiting query to
 * the next without returning to the event loop: a queue of statements (a login's transaction,
 * the queries waiting behind it) would be drained as one long task, and every request that
 * needs no SQL at all would wait for the whole queue. So SQL runs in slices: once statements
 * have run back to back for `sliceMs` without the event loop getting a turn, the next one waits
 * for a turn (setImmediate) and the I/O that arrived meanwhile is served first. A statement
 * that comes after the loop had its turn anyway starts a new slice at once, so a lone query
 * pays nothing. One lock of our own (a query, or a whole transaction) keeps PGlite's lock
 * uncontended, so a turn given is a statement run. Order and transactions are unchanged.
 * The slice is a trade, measured with the auth bench's login flood on a 2-core machine (about
 * 7.5 statements per login): at 2 ms logins kept pace with raw hashing (0.94-1.02) but the p99
 * of other requests rose 3.5-4.2x; at 1 ms it rose 2.0-2.9x and logins ran at 0.75-0.97 (three
 * runs in four at 0.92 or more). Unpaced, the loop was held for tens of ms. (With ~9 statements
 * per login, an earlier version ran half as many logins at 1 ms.)
 */
export function createPacer(sliceMs = 1) {
  let sliceStart = 0;
  let turnPending = false;
  let busy = false;
  const waiting: Array<() => void> = [];

  /** Ends the slice as soon as the event loop gets a turn (any turn, not only ours). */
  function endSliceOnNextTurn(): void {
    if (turnPending) return;
    turnPending = true;
    setImmediate(() => { turnPending = false; sliceStart = 0; });
  }

  async function pace(): Promise<void> {
    if (sliceStart !== 0 && performance.now() - sliceStart >= sliceMs) {
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    if (sliceStart === 0) sliceStart = performance.now();
    endSliceOnNextTurn();
  }

  async function exclusive<T>(fn: () => Promise<T>): Promise<T> {
    if (busy) await new Promise<void>((resolve) => waiting.push(resolve));
    else busy = true;
    try {
      await pace();
      return await fn();
    } finally {
      const next = waiting.shift();
      if (next) next(); else busy = false;
    }
  }

  return { pace, exclusive };
}

type Pacer = ReturnType<typeof createPacer>;

function wrap(q: { query: PGlite['query']; exec: PGlite['exec'] }, run: <T>(fn: () => Promise<T>) => Promise<T>): Queryable {
  return {
    query<T>(sql: string, params?: unknown[]): Promise<QueryResult<T>> {
      return run(async () => {
        const r = await q.query<T>(sql, params as unknown[]);
        return { rows: r.rows, rowCount: r.affectedRows ?? r.rows.length };
      });
    },
    exec(sql: string) { return run(async () => { await q.exec(sql); }); },
  };
}

/**
 * Opens PGlite on a folder (or in memory when dir is undefined). `loadDataDir` starts from a
 * dump made by `dumpDataDir` (tests use one to skip initdb).
 */
export async function openPglite(dir?: string, opts: { loadDataDir?: Blob | File } = {}): Promise<Db & { dump(): Promise<Blob> }> {
  const pg = await PGlite.create({ ...(dir ? { dataDir: dir } : {}), parsers, ...(opts.loadDataDir ? { loadDataDir: opts.loadDataDir } : {}) });
  const pacer: Pacer = createPacer();
  const outer = wrap(pg, pacer.exclusive);
  // Inside a transaction the lock is already ours: each statement only waits for its slice.
  const inner = async <T>(fn: () => Promise<T>): Promise<T> => { await pacer.pace(); return fn(); };
  return {
    kind: 'pglite',
    query: outer.query,
    exec: outer.exec,
    tx: (fn) => pacer.exclusive(() => pg.transaction((t) => fn(wrap(t, inner)))),
    close: () => pacer.exclusive(() => pg.close()),
    dump: () => pacer.exclusive(() => pg.dumpDataDir('none')),
  };
}
