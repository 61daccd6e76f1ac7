import { describe, expect, it } from 'vitest';
import type { KeyState } from './buffer.js';
import { clearState, episodeOf, insertInline, maxOf, newSlab, present, pruneInline, readState, writeState } from './slab.js';

describe('slab', () => {
  it('keeps small states inline and gives them back unchanged', () => {
    const sl = newSlab(4, true, false, 0);
    const st: KeyState = { t: [1, 2, 3], i: [7, 8, 9], max: 3, v: ['a', 'b', 'a'], s: undefined, ep: undefined };
    writeState(sl, 100, st);
    expect(sl.big[100]).toBeUndefined();
    expect(readState(sl, 100)).toEqual(st);
    expect(present(sl, 99)).toBe(false);
    expect(readState(sl, 99)).toBeUndefined();
    const ep = { id: 'x', first: 1, last: 3, count: 3 };
    writeState(sl, 100, { ...st, ep });
    expect(episodeOf(sl, 100)).toBe(ep);
    expect(maxOf(sl, 100)).toBe(3);
    clearState(sl, 100);
    expect(present(sl, 100)).toBe(false);
  });

  it('spills long buffers and string event ids to the object itself', () => {
    const sl = newSlab(2, false, true, 0);
    const long: KeyState = { t: [1, 2, 3], i: [1, 2, 3], max: 3, v: undefined, s: [0, 0, 1], ep: undefined };
    writeState(sl, 0, long);
    expect(readState(sl, 0)).toBe(long);
    const named: KeyState = { t: [5], i: ['evt-a'], max: 5, v: undefined, s: [1], ep: undefined };
    writeState(sl, 1, named);
    expect(readState(sl, 1)).toBe(named);
    // back inline once it fits again
    writeState(sl, 0, { t: [3], i: [3], max: 3, v: undefined, s: [1], ep: undefined });
    expect(sl.big[0]).toBeUndefined();
    expect(readState(sl, 0)).toEqual({ t: [3], i: [3], max: 3, v: undefined, s: [1], ep: undefined });
  });

  it('counts the rows holding a state, whichever way they change', () => {
    const sl = newSlab(2, false, false, 0);
    writeState(sl, 3, { t: [1], i: [1], max: 1, v: undefined, s: undefined, ep: undefined });
    writeState(sl, 3, { t: [1, 2, 3], i: [1, 2, 3], max: 3, v: undefined, s: undefined, ep: undefined });
    writeState(sl, 5, { t: [1], i: ['x'], max: 1, v: undefined, s: undefined, ep: undefined });
    expect(sl.count).toBe(2);
    insertInline(sl, 7, 4, 9, undefined, 0);
    insertInline(sl, 7, 2, 8, undefined, 0);
    expect(readState(sl, 7)).toMatchObject({ t: [2, 4], i: [8, 9], max: 4 });
    expect(sl.count).toBe(3);
    pruneInline(sl, 7, Infinity);
    expect(sl.count).toBe(3);
    clearState(sl, 3); clearState(sl, 3); clearState(sl, 4);
    expect(sl.count).toBe(2);
  });
});

