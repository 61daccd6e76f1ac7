import { readdirSync, readFileSync } from 'node:fs';
import { getPriority } from 'node:os';
import { hashRaw, verify } from '@node-rs/argon2';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultHashConcurrency } from './config.js';
import { createHashPool } from './hash-pool.js';
import { hashPassword, verifyPassword } from './password-hash.js';

const params = { memoryCost: 1024, timeCost: 1, parallelism: 1 };
const pool = createHashPool(2);
afterAll(async () => { await pool.close(); });

describe('hash pool', () => {
  it('hashes on its threads what the library computes in process', async () => {
    const h = await hashPassword('correct horse battery', params, pool);
    expect(await verify(h, 'correct horse battery')).toBe(true);
    const salt = Buffer.from('0123456789abcdef');
    const opts = { ...params, salt, outputLen: 32 };
    expect(Buffer.from(await pool.hashRaw('pw', opts))).toEqual(await hashRaw('pw', opts));
    expect(await verifyPassword(h, 'correct horse battery', params, pool)).toEqual({ ok: true, needsRehash: false });
    expect((await verifyPassword(h, 'wrong horse battery', params, pool)).ok).toBe(false);
  });

  it('queues many jobs, answers each its own, and is empty afterwards', async () => {
    const pws = Array.from({ length: 12 }, (_, i) => `password number ${i}`);
    const hashes = await Promise.all(pws.map((pw) => hashPassword(pw, params, pool)));
    expect(new Set(hashes).size).toBe(12);
    const checks = await Promise.all(hashes.map((h, i) => verifyPassword(h, pws[(i + i % 2) % 12], params, pool)));
    expect(checks.map((c) => c.ok)).toEqual(pws.map((_, i) => i % 2 === 0));
    expect(pool.pending()).toBe(0);
  });

  it('a failing job rejects, and the pool goes on; after close() it starts again on demand', async () => {
    await expect(pool.hashRaw('pw', { ...params, salt: Buffer.from('short'), outputLen: 32 })).rejects.toThrow();
    expect((await verifyPassword(await hashPassword('x'.repeat(12), params, pool), 'x'.repeat(12), params, pool)).ok).toBe(true);
    await pool.close();
    expect((await verifyPassword(await hashPassword('y'.repeat(12), params, pool), 'y'.repeat(12), params, pool)).ok).toBe(true);
  });

  it.runIf(process.platform === 'linux')('its threads run `nice` levels below the event loop, the event loop keeps its own', async () => {
    const niceOf = () => readdirSync('/proc/self/task').map((t) => Number(readFileSync(`/proc/self/task/${t}/stat`, 'utf8').split(') ')[1].split(' ')[16]));
    const base = getPriority(0);
    const before = niceOf().filter((n) => n === Math.min(19, base + 7)).length;
    const low = createHashPool(1, { nice: 7 });
    await hashPassword('correct horse battery', params, low);
    expect(niceOf().filter((n) => n === Math.min(19, base + 7)).length).toBe(before + 1);
    expect(getPriority(0)).toBe(base);
    await low.close();
  });

  it('default concurrency leaves one core for the event loop', () => {
    expect(defaultHashConcurrency(1)).toBe(1);
    expect(defaultHashConcurrency(2)).toBe(1);
    expect(defaultHashConcurrency(8)).toBe(7);
  });
});
