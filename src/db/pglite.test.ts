import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPglite } from './pglite.js';

let db: Awaited<ReturnType<typeof openPglite>>;
beforeAll(async () => { db = await openPglite(); });
afterAll(async () => { await db.close(); });

describe('PGlite pacing', () => {
  it('a queue of statements leaves turns to the event loop, and answers in order', async () => {
    let done = 0;
    const order: number[] = [];
    const all = Array.from({ length: 200 }, (_, i) =>
      db.query<{ n: number }>('SELECT count(*)::int AS n FROM generate_series(1, $1::int)', [5000 + i]).then((r) => { order.push(r.rows[0].n - 5000); done++; }));
    // PGlite alone would run all 200 back to back before this callback (its lock hands over in
    // microtasks); paced, the loop gets a turn while most are still queued.
    const seenAtTurn = await new Promise<number>((resolve) => setImmediate(() => setImmediate(() => resolve(done))));
    await Promise.all(all);
    expect(seenAtTurn).toBeLessThan(200);
    expect(order).toEqual(Array.from({ length: 200 }, (_, i) => i));
  });

  it('a query sent while a transaction is open runs after it, never inside it', async () => {
    await db.exec('CREATE TABLE pace_t (x int)');
    const tx = db.tx(async (t) => {
      await t.query('INSERT INTO pace_t VALUES (1)');
      await new Promise((r) => setTimeout(r, 20));
      throw new Error('roll back');
    }).catch((e: Error) => e.message);
    await new Promise((r) => setTimeout(r, 5));
    const seen = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM pace_t');
    expect(await tx).toBe('roll back');
    expect(seen.rows[0].n).toBe(0);
  });
});
