import { describe, expect, it } from 'vitest';
import { BUILTIN_RULES } from './builtin.js';
import { createEngine } from './engine.js';
import { decodeChunk, encodeChunk, type StateRow } from './snapshot-codec.js';
import { ev } from './testing.js';
import type { Rule } from './types.js';

describe('snapshot chunks', () => {
  it('round-trip every kind of state (values, steps, episodes, string ids, other sources, deletes)', () => {
    const e = createEngine(BUILTIN_RULES as Rule[], { persist: true });
    const evs = [];
    for (let x = 0; x < 40; x++) {
      evs.push(ev(x % 3 ? 'auth.login.failure' : 'auth.login.success', x * 7, { user: `u${x % 4}`, ip: `10.0.0.${x % 6}`, id: x % 9 ? String(1000 + x) : `evt-${x}` }));
      evs.push(ev('ext.auth.login.failure', x * 5, { user: `u${x % 2}\u001e`, source: 'api', id: String(5000 + x) }));
    }
    e.process(evs);
    const rows: StateRow[] = [...e.takeDirty().upserts.map(({ rule, key, state }) => ({ rule, key, state })), { rule: 'brute_force_ip', key: 'warden\u001d0\u001e10.9.9.9', state: null }];
    expect(rows.some((r) => r.state?.ep)).toBe(true);
    expect(rows.some((r) => r.state?.v)).toBe(true);
    expect(rows.some((r) => r.state?.s)).toBe(true);
    expect(rows.some((r) => r.state?.i.some((i) => typeof i === 'string'))).toBe(true);
    const back: StateRow[] = [];
    decodeChunk(encodeChunk(rows), back);
    expect(JSON.parse(JSON.stringify(back))).toEqual(JSON.parse(JSON.stringify(rows)));
    expect(encodeChunk(rows).length).toBeLessThan(JSON.stringify(rows.map((x) => [x.rule, x.key, x.state])).length * 0.7);
  });

  it('still reads chunks written in the first format', () => {
    const state = { t: [1, 2], i: [3, 4], max: 2 };
    const out: StateRow[] = [];
    decodeChunk(JSON.stringify([['brute_force_user', 'warden\u001d0\u001ealice', state], ['brute_force_user', 'warden\u001d0\u001ebob', null]]), out);
    expect(out).toEqual([{ rule: 'brute_force_user', key: 'warden\u001d0\u001ealice', state }, { rule: 'brute_force_user', key: 'warden\u001d0\u001ebob', state: null }]);
  });
});
