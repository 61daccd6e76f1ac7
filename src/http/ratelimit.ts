import type { Redis } from 'ioredis';
import type { Db } from '../db/types.js';

/** A shared counter: hit() adds n to key's count in a fixed window and returns the total. */
export interface RateCounter {
  hit(key: string, windowMs: number, n?: number): Promise<{ count: number; resetAt: number }>;
  close?(): Promise<void>;
}

/** Counters in the database: every process on one PostgreSQL shares them. */
export function dbCounter(db: Db): RateCounter {
  return {
    async hit(key, windowMs, n = 1) {
      const r = await db.query<{ count: number; reset_at: Date }>(
        `INSERT INTO rate_limits (key, count, reset_at) VALUES ($1, $2, now() + make_interval(secs => $3::float8 / 1000))
         ON CONFLICT (key) DO UPDATE SET
           count = CASE WHEN rate_limits.reset_at <= now() THEN $2 ELSE rate_limits.count + $2 END,
           reset_at = CASE WHEN rate_limits.reset_at <= now() THEN EXCLUDED.reset_at ELSE rate_limits.reset_at END
         RETURNING count, reset_at`, [key, n, windowMs]);
      return { count: r.rows[0].count, resetAt: r.rows[0].reset_at.getTime() };
    },
  };
}

/**
 * Exact counters in this process's memory, for the embedded database: its data folder is locked
 * to one process, so there is nothing to share, and a login need not pay an SQL statement (about
 * 1.4 ms of the main thread on PGlite) for its strict limit. Expired windows are swept every
 * 1,000 new windows; at most `maxKeys` are kept: when full, a new window drops the oldest (that
 * client starts afresh), so a flood of new keys costs O(1) each and the memory stays bounded.
 */
export function memoryCounter(opts: { maxKeys?: number; now?: () => number } = {}): RateCounter & { size(): number } {
  const maxKeys = opts.maxKeys ?? 200_000;
  const now = opts.now ?? Date.now;
  const windows = new Map<string, { count: number; resetAt: number }>();
  let sinceSweep = 0;
  return {
    async hit(key, windowMs, n = 1) {
      const t = now();
      let w = windows.get(key);
      if (!w || w.resetAt <= t) {
        if (w) windows.delete(key); // re-inserted below, as the newest
        if (++sinceSweep >= 1000) {
          sinceSweep = 0;
          for (const [k, x] of windows) if (x.resetAt <= t) windows.delete(k);
        }
        // A Map keeps insertion order: its first key is the oldest window.
        if (windows.size >= maxKeys) windows.delete(windows.keys().next().value!);
        w = { count: 0, resetAt: t + windowMs };
        windows.set(key, w);
      }
      w.count += n;
      return { count: w.count, resetAt: w.resetAt };
    },
    size: () => windows.size,
  };
}

/** Counters in Redis (WARDEN_REDIS_URL): INCRBY and PEXPIRE NX in one round trip. */
export function redisCounter(redis: Redis): RateCounter {
  return {
    async hit(key, windowMs, n = 1) {
      const k = `warden:rl:${key}`;
      const res = await redis.multi().incrby(k, n).pexpire(k, windowMs, 'NX').pttl(k).exec();
      const count = Number(res?.[0]?.[1] ?? n);
      const ttl = Number(res?.[2]?.[1] ?? windowMs);
      return { count, resetAt: Date.now() + (ttl > 0 ? ttl : windowMs) };
    },
    close: async () => { await redis.quit(); },
  };
}

/**
 * The general per-IP limit on every request: counted in memory and flushed to the shared
 * counter every flushMs, so the hot path never waits on the database while several
 * processes still add up to one limit (within one flush interval).
 */
export function batchedCounter(inner: RateCounter, flushMs = 500): RateCounter & { flush(): Promise<void> } {
  const pending = new Map<string, { n: number; windowMs: number }>();
  const known = new Map<string, { count: number; resetAt: number }>();
  let flushing: Promise<void> | null = null;
  async function flush(): Promise<void> {
    if (flushing) return flushing;
    const batch = [...pending.entries()];
    pending.clear();
    // keys active here but quiet since the last flush: read the shared total (adds 0)
    const now0 = Date.now();
    for (const [key, k] of known) {
      if (!batch.some(([b]) => b === key) && k.resetAt > now0) batch.push([key, { n: 0, windowMs: Math.max(1000, k.resetAt - now0) }]);
    }
    flushing = (async () => {
      for (const [key, { n, windowMs }] of batch) {
        try { known.set(key, await inner.hit(key, windowMs, n)); } catch { /* keep serving; next flush retries */ }
      }
      const now = Date.now();
      for (const [k, v] of known) if (v.resetAt < now) known.delete(k);
    })().finally(() => { flushing = null; });
    return flushing;
  }
  const timer = setInterval(() => { void flush(); }, flushMs);
  timer.unref();
  return {
    async hit(key, windowMs, n = 1) {
      const now = Date.now();
      const p = pending.get(key) ?? { n: 0, windowMs };
      p.n += n;
      pending.set(key, p);
      let k = known.get(key);
      if (!k || k.resetAt <= now) { k = { count: 0, resetAt: now + windowMs }; known.set(key, k); }
      k.count += n;
      return { count: k.count, resetAt: k.resetAt };
    },
    flush,
    close: async () => { clearInterval(timer); await flush(); },
  };
}
