import { describe, expect, it } from 'vitest';
import { defaultHashConcurrency } from './config.js';
import { createLimiter } from './limiter.js';

describe('hashing limiter', () => {
  it('runs at most max tasks at once; the rest wait in order without blocking', async () => {
    const lim = createLimiter(2);
    const gates: Array<() => void> = [];
    const started: number[] = [];
    const runs = [0, 1, 2, 3].map((i) => lim.run(() => new Promise<number>((resolve) => { started.push(i); gates.push(() => resolve(i)); })));
    await new Promise((r) => setImmediate(r));
    expect(started).toEqual([0, 1]);
    expect(lim.active()).toBe(2);
    expect(lim.pending()).toBe(2);
    gates[0]();
    await runs[0];
    await new Promise((r) => setImmediate(r));
    expect(started).toEqual([0, 1, 2]);
    gates[1](); gates[2]();
    await new Promise((r) => setImmediate(r));
    gates[3]();
    expect(await Promise.all(runs)).toEqual([0, 1, 2, 3]);
    expect(lim.active()).toBe(0);
  });

  it('a failing task frees its slot', async () => {
    const lim = createLimiter(1);
    await expect(lim.run(() => Promise.reject(new Error('x')))).rejects.toThrow('x');
    expect(await lim.run(async () => 7)).toBe(7);
  });

  it('default concurrency leaves one core for the event loop', () => {
    expect(defaultHashConcurrency(1)).toBe(1);
    expect(defaultHashConcurrency(2)).toBe(1);
    expect(defaultHashConcurrency(8)).toBe(7);
  });
});
