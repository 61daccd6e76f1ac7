import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { BUILTIN_RULES } from './builtin.js';
import { createEngine, type EngineOptions } from './engine.js';
import { parseTime } from './fields.js';
import type { AlertChange, DetectEvent, Rule } from './types.js';

/**
 * The fast paths of the engine (rules picked by event type; small states updated in place in their slab) must
 * decide exactly what the general path decides: every rule offered every event, every state a KeyState object.
 */

const CUSTOM: Rule[] = [
  // Not pinned to a type: the type index must offer it every event.
  { id: 'any_failure_pair', title: 'failures per user and IP', kind: 'event_count', severity: 'low', enabled: true,
    match: { status: 'failure' }, group_by: ['user', 'src_ip'], window: 30, condition: { gte: 3 } },
  { id: 'many_permissions', title: 'distinct permissions denied', kind: 'value_count', severity: 'low', enabled: true,
    match: { 'unmapped.permission': { exists: true } }, field: 'unmapped.permission', group_by: ['user'], window: 120, condition: { gte: 3 } },
  { id: 'export_after_denials', title: 'denials then export', kind: 'sequence', severity: 'high', enabled: true,
    steps: [{ match: { type: 'access.denied' }, condition: { gte: 2 }, within: 40 }, { match: { type: ['data.export', 'ext.data.export'] } }],
    group_by: ['user'], window: 200 },
];

const TYPES = ['auth.login.failure', 'auth.login.success', 'data.export', 'api.error', 'access.denied', 'token.refresh_reuse',
  'audit.chain_broken', 'ext.auth.login.failure', 'ext.auth.login.success', 'other.thing'];

/** A dense stream over few keys, out of order (some events beyond the lateness), some string ids, two sources. */
function stream(seed: number, n: number): DetectEvent[] {
  let x = seed;
  const rnd = () => { x = (Math.imul(x, 1103515245) + 12345) & 0x7fffffff; return x / 0x80000000; };
  const base = Date.parse('2026-03-01T00:00:00Z');
  const out: DetectEvent[] = [];
  for (let i = 0; i < n; i++) {
    const type = TYPES[Math.floor(rnd() * rnd() * TYPES.length)];
    const t = base + i * (50 + seed * 40) + Math.floor((rnd() - 0.5) * 800_000 * rnd() * rnd());
    const status = type.endsWith('failure') ? 'failure' : type.endsWith('success') ? 'success' : rnd() < 0.2 ? 'failure' : 'unknown';
    out.push({
      id: rnd() < 0.03 ? `evt-${i}` : String(i + 1), type, class_uid: 3002, activity_id: 1, severity_id: 1, time: new Date(t).toISOString(), status,
      user: { uid: `u${Math.floor(rnd() * (15 + seed * 10))}` }, src_endpoint: { ip: `10.0.0.${Math.floor(rnd() * (8 + seed * 6))}` },
      source: rnd() < 0.15 ? 'api' : 'warden',
      ...(type === 'access.denied' || rnd() < 0.05 ? { unmapped: { permission: `${rnd() < 0.7 ? 'admin' : 'read'}:${Math.floor(rnd() * 5)}` } } : {}),
    });
  }
  return out;
}

function run(events: DetectEvent[], opts: EngineOptions): { changes: AlertChange[]; states: string[]; stats: object } {
  const e = createEngine([...(BUILTIN_RULES as Rule[]), ...CUSTOM], { sweepEvery: 3000, ...opts });
  const changes: AlertChange[] = [];
  for (let i = 0; i < events.length; i += 500) changes.push(...e.process(events.slice(i, i + 500)));
  return { changes, states: e.allStates().map((s) => JSON.stringify(s)).sort(), stats: e.stats() };
}

describe('engine fast paths against the general path', () => {
  for (const seed of [1, 2, 3]) {
    it(`same alerts, evidence and states on a generated stream (seed ${seed})`, () => {
      const events = stream(seed, 12_000);
      const fast = run(events, {});
      const reference = run(events, { reference: true });
      expect(fast.changes.filter((c) => c.op === 'open').length).toBeGreaterThan(50);
      expect(new Set(fast.changes.map((c) => c.alert.rule)).size).toBeGreaterThan(8);
      expect(fast.changes).toEqual(reference.changes);
      expect(fast.states).toEqual(reference.states);
      expect(fast.stats).toEqual(reference.stats);
    });
  }
});

describe('engine decisions stay the same', () => {
  // Fingerprints of the changes the engine made on these streams before its states moved into slab records
  // (per-key arrays of objects): any change in alerts, counts, times or evidence changes them.
  const before: Record<number, [number, number, string]> = {
    1: [1121, 5078, '424afbcfbfe47742a0f405dc0785740d'],
    2: [1096, 5451, '6d6728f508638001a7c4984dc72a302a'],
    3: [1169, 5499, '110932503325cbe146a88e8f5209b550'],
  };
  for (const seed of [1, 2, 3]) {
    it(`as the earlier engine on a generated stream (seed ${seed})`, () => {
      const { changes } = run(stream(seed, 12_000), {});
      const h = createHash('sha256');
      for (const c of changes) h.update(JSON.stringify(c));
      const opens = changes.filter((c) => c.op === 'open').length;
      expect([opens, changes.length - opens, h.digest('hex').slice(0, 32)]).toEqual(before[seed]);
    });
  }
});

describe('parseTime', () => {
  it('agrees with Date.parse on ISO times, edge dates and other forms', () => {
    const samples = ['2026-03-01T12:00:00.000Z', '2024-02-29T23:59:59.999Z', '2023-02-29T00:00:00.000Z', '2100-02-29T00:00:00.000Z',
      '2000-02-29T00:00:00.000Z', '1970-01-01T00:00:00.000Z', '1969-12-31T23:59:59.999Z', '2026-04-31T00:00:00.000Z', '2026-13-01T00:00:00.000Z',
      '2026-03-01T24:00:00.000Z', '2026-03-01T12:60:00.000Z', '2026-03-01T12:00:60.000Z', '2026-03-01T12:00:00Z', '2026-03-01 12:00:00.000Z',
      '2026-03-01T12:00:00.000+01:00', '9999-12-31T23:59:59.999Z', 'nope', '', '2026-03-0xT12:00:00.000Z'];
    let x = 5;
    for (let i = 0; i < 20_000; i++) { x = (Math.imul(x, 1103515245) + 12345) & 0x7fffffff; samples.push(new Date(x * 131 + (x % 1000)).toISOString()); }
    for (const s of samples) expect(Object.is(parseTime(s), Date.parse(s)), s).toBe(true);
  });
});
