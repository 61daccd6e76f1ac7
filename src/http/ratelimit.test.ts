import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { openTestDb } from '../../test/helpers/db.js';
import { batchedCounter, dbCounter, memoryCounter, redisCounter } from './ratelimit.js';

describe('shared rate counters', () => {
  it('counts in the database across counter instances (several processes share one table)', async () => {
    const db = await openTestDb();
    try {
      const a = dbCounter(db);
      const b = dbCounter(db);
      await a.hit('k', 60_000);
      await b.hit('k', 60_000, 2);
      expect((await a.hit('k', 60_000)).count).toBe(4);
      expect((await a.hit('other', 60_000)).count).toBe(1);
    } finally {
      await db.close();
    }
  });

  it('starts a new window once the old one has passed', async () => {
    const db = await openTestDb();
    try {
      const c = dbCounter(db);
      await c.hit('w', 1000, 5);
      await db.query(`UPDATE rate_limits SET reset_at = now() - interval '1 second' WHERE key = 'w'`);
      expect((await c.hit('w', 1000)).count).toBe(1);
    } finally {
      await db.close();
    }
  });

  it('counts exactly in memory for the embedded database: windows, expiry, bounded keys', async () => {
    let t = 1_000_000;
    const c = memoryCounter({ maxKeys: 3, now: () => t });
    expect((await c.hit('a', 1000)).count).toBe(1);
    expect(await c.hit('a', 1000, 2)).toEqual({ count: 3, resetAt: 1_001_000 });
    t += 999;
    expect((await c.hit('a', 1000)).count).toBe(4);
    t += 1; // the window has passed: a new one starts
    expect(await c.hit('a', 1000)).toEqual({ count: 1, resetAt: 1_002_000 });
    // A flood of new keys never holds more than maxKeys windows; the newest keep counting.
    for (let i = 0; i < 50; i++) await c.hit(`ip:${i}`, 60_000);
    expect(c.size()).toBeLessThanOrEqual(3);
    expect((await c.hit('ip:49', 60_000)).count).toBe(2);
    t += 61_000;
    for (let i = 0; i < 2; i++) await c.hit(`new:${i}`, 1000);
    expect(c.size()).toBeLessThanOrEqual(3);
    expect((await c.hit('ip:49', 60_000)).count).toBe(1);
    // Expired windows are swept every 1,000 new ones: a big counter empties of them.
    const big = memoryCounter({ now: () => t });
    for (let i = 0; i < 999; i++) await big.hit(`old:${i}`, 1000);
    expect(big.size()).toBe(999);
    t += 1001;
    await big.hit('fresh', 1000);
    expect(big.size()).toBe(1);
  });

  it('batches the general limit in memory and flushes to the shared counter', async () => {
    const db = await openTestDb();
    try {
      const shared = dbCounter(db);
      const p1 = batchedCounter(shared, 60_000);
      const p2 = batchedCounter(shared, 60_000);
      for (let i = 0; i < 3; i++) await p1.hit('ip:1', 60_000);
      for (let i = 0; i < 4; i++) await p2.hit('ip:1', 60_000);
      await p1.flush();
      await p2.flush();
      expect((await p2.hit('ip:1', 60_000)).count).toBe(8);
      // one flush interval later p1 knows the total of both as well
      await p1.flush();
      expect((await p1.hit('ip:1', 60_000)).count).toBe(8); // p2's 8th hit is not flushed yet
      await p1.close?.();
      await p2.close?.();
    } finally {
      await db.close();
    }
  });

  const redisUrl = process.env.WARDEN_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
  let redis: Redis | null = null;
  afterAll(async () => { await redis?.quit(); });
  it('counts in Redis when configured', async () => {
    redis = new Redis(redisUrl, { maxRetriesPerRequest: 1, lazyConnect: true });
    await redis.connect();
    const key = `test-${Date.now()}-${Math.random()}`;
    const c = redisCounter(redis);
    await c.hit(key, 60_000);
    const r = await c.hit(key, 60_000, 2);
    expect(r.count).toBe(3);
    expect(r.resetAt).toBeGreaterThan(Date.now());
  });
});
