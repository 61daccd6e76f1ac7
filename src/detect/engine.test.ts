import { describe, expect, it } from 'vitest';
import { BUILTIN_RULES } from './builtin.js';
import { createEngine, runRule } from './engine.js';
import { ev } from './testing.js';
import type { AlertChange, DetectEvent, Rule } from './types.js';

const rule = (id: string): Rule => BUILTIN_RULES.find((r) => r.id === id)!;
const fails = (user: string, ip: string, times: number[]) => times.map((t) => ev('auth.login.failure', t, { user, ip }));
const opened = (cs: AlertChange[], id?: string) => cs.filter((c) => c.op === 'open' && (!id || c.alert.rule === id));

describe('event_count thresholds', () => {
  it('4 failures raise nothing, the 5th opens one high alert per user', () => {
    const e = createEngine([rule('brute_force_user')]);
    expect(e.process(fails('alice', '10.0.0.1', [0, 1, 2, 3]))).toEqual([]);
    const [c] = e.process(fails('alice', '10.0.0.1', [4]));
    expect(c.op).toBe('open');
    expect(c.alert).toMatchObject({ rule: 'brute_force_user', key: { user: 'alice' }, severity: 'high', severity_id: 4, count: 5 });
    expect(c.alert.evidence).toHaveLength(5);
  });

  it('5 failures spanning exactly 60 s alert; spanning 61 s do not', () => {
    expect(runRule(rule('brute_force_user'), fails('a', '1.1.1.1', [0, 15, 30, 45, 60]))).toHaveLength(1);
    expect(runRule(rule('brute_force_user'), fails('a', '1.1.1.1', [0, 15, 30, 45, 61]))).toHaveLength(0);
  });

  it('keys by source IP independently of user', () => {
    const evs = ['u1', 'u2', 'u3', 'u4', 'u5'].map((u, x) => ev('auth.login.failure', x, { user: u, ip: '9.9.9.9' }));
    expect(runRule(rule('brute_force_user'), evs)).toHaveLength(0);
    expect(runRule(rule('brute_force_ip'), evs)[0].key).toEqual({ src_ip: '9.9.9.9' });
  });

  it('data export burst: 10 exports nothing, 11 alert; api errors 100 nothing, 101 alert', () => {
    const ex = (n: number) => Array.from({ length: n }, (_, x) => ev('data.export', x * 60, { user: 'bob' }));
    expect(runRule(rule('data_export_burst'), ex(10))).toHaveLength(0);
    expect(runRule(rule('data_export_burst'), ex(11))[0].count).toBe(11);
    const er = (n: number) => Array.from({ length: n }, (_, x) => ev('api.error', x * 0.5));
    expect(runRule(rule('api_error_burst'), er(100))).toHaveLength(0);
    expect(runRule(rule('api_error_burst'), er(101))[0]).toMatchObject({ key: {}, count: 101 });
  });

  it('privilege escalation counts only admin permissions; one reuse or broken chain is enough', () => {
    const deny = (p: string, t: number) => ev('access.denied', t, { user: 'eve', unmapped: { permission: p } });
    expect(runRule(rule('privilege_escalation'), [deny('admin:users', 0), deny('admin:keys', 1), deny('read:compliance', 2)])).toHaveLength(0);
    expect(runRule(rule('privilege_escalation'), [deny('admin:users', 0), deny('admin:keys', 1), deny('admin:roles', 599)])).toHaveLength(1);
    expect(runRule(rule('refresh_token_reuse'), [ev('token.refresh_reuse', 0, { user: 'x' })])[0].severity).toBe('high');
    expect(runRule(rule('audit_chain_broken'), [ev('audit.chain_broken', 0)])[0].severity).toBe('critical');
  });
});

describe('value_count', () => {
  it('unusual access: 3 distinct IPs nothing, the 4th within 1 h alerts (medium)', () => {
    const ok = (ip: string, t: number) => ev('auth.login.success', t, { user: 'carol', ip });
    const three = [ok('1.0.0.1', 0), ok('1.0.0.2', 100), ok('1.0.0.3', 200), ok('1.0.0.1', 300)];
    expect(runRule(rule('unusual_access'), three)).toHaveLength(0);
    const [a] = runRule(rule('unusual_access'), [...three, ok('1.0.0.4', 3600)]);
    expect(a).toMatchObject({ severity: 'medium', key: { user: 'carol' } });
    const edge = [ok('1.0.0.1', 0), ok('1.0.0.2', 100), ok('1.0.0.3', 200)];
    expect(runRule(rule('unusual_access'), [...edge, ok('1.0.0.4', 3600)])).toHaveLength(1);
    expect(runRule(rule('unusual_access'), [...edge, ok('1.0.0.4', 3601)])).toHaveLength(0);
  });

  it('password spraying: 5 distinct users from one IP within 10 min', () => {
    const f = (u: string, t: number) => ev('auth.login.failure', t, { user: u, ip: '6.6.6.6' });
    expect(runRule(rule('password_spraying'), ['a', 'b', 'c', 'd', 'd'].map((u, x) => f(u, x * 100)))).toHaveLength(0);
    expect(runRule(rule('password_spraying'), ['a', 'b', 'c', 'd', 'e'].map((u, x) => f(u, x * 150)))).toHaveLength(1);
  });
});

describe('sequence', () => {
  const bf = rule('brute_force_success');
  it('brute force then success for that user within 10 min is critical, per user and per IP', () => {
    const evs = [...fails('dave', '7.7.7.7', [0, 1, 2, 3, 4]), ev('auth.login.success', 600, { user: 'dave', ip: '7.7.7.7' })];
    const alerts = runRule(bf, evs);
    expect(alerts.map((a) => a.key)).toEqual([{ user: 'dave' }, { src_ip: '7.7.7.7' }]);
    expect(alerts[0]).toMatchObject({ severity: 'critical', count: 6 });
  });
  it('no alert when the success is later than 10 min, comes before, or failures were too few', () => {
    expect(runRule(bf, [...fails('d', '7.7.7.7', [0, 1, 2, 3, 4]), ev('auth.login.success', 605, { user: 'd' })])).toHaveLength(0);
    expect(runRule(bf, [ev('auth.login.success', 0, { user: 'd' }), ...fails('d', '7.7.7.7', [1, 2, 3, 4, 5])])).toHaveLength(0);
    expect(runRule(bf, [...fails('d', '7.7.7.7', [0, 1, 2, 3]), ev('auth.login.success', 9, { user: 'd' })])).toHaveLength(0);
  });
  it('is exact when the success arrives before the failures (out of order)', () => {
    const evs = [ev('auth.login.success', 100, { user: 'd' }), ...fails('d', '7.7.7.7', [0, 1, 2, 3, 4])];
    expect(runRule(bf, evs).map((a) => a.key)).toEqual([{ user: 'd' }]);
  });
});

describe('episodes', () => {
  it('further events attach; a full quiet window ends the episode; a later burst opens a new alert', () => {
    const e = createEngine([rule('brute_force_user')]);
    const first = opened(e.process(fails('alice', '1.1.1.1', [0, 1, 2, 3, 4])))[0].alert;
    const att = e.process(fails('alice', '1.1.1.1', [64]));
    expect(att).toHaveLength(1);
    expect(att[0]).toMatchObject({ op: 'attach', added: 1, alert: { id: first.id, count: 6 } });
    expect(att[0].alert.last_seen).toBe('2026-03-01T12:01:04.000Z');
    // exactly one window later still attaches (inclusive)
    expect(e.process(fails('alice', '1.1.1.1', [124]))[0].op).toBe('attach');
    // more than a full window later: the episode is over, one event is not a burst
    expect(e.process(fails('alice', '1.1.1.1', [185]))).toEqual([]);
    const again = opened(e.process(fails('alice', '1.1.1.1', [186, 187, 188, 189])));
    expect(again).toHaveLength(1);
    expect(again[0].alert.id).not.toBe(first.id);
    expect(again[0].alert.count).toBe(5);
  });

  it('shuffled events give the same single alert as ordered ones', () => {
    const evs = fails('zed', '2.2.2.2', [0, 5, 10, 20, 30, 40, 50]);
    const shuffled = [evs[4], evs[0], evs[6], evs[2], evs[1], evs[5], evs[3]];
    const a = runRule(rule('brute_force_user'), shuffled);
    expect(a).toHaveLength(1);
    expect(a[0]).toMatchObject({ count: 7, first_seen: evs[0].time, last_seen: evs[6].time });
    expect([...a[0].evidence].sort()).toEqual(evs.map((x) => x.id).sort());
  });
});

describe('resolve and sources', () => {
  const resolved = (c: AlertChange, source = 'warden') =>
    ev('detect.alert.resolved', 0, { source, unmapped: { alert_id: c.alert.id, rule: c.alert.rule, state_key: c.state_key } });

  it('a resolve from Warden ends the episode: the next events open a new alert; a forged one from outside does not', () => {
    const e = createEngine([rule('brute_force_user')]);
    const [first] = opened(e.process(fails('ann', '1.1.1.1', [0, 1, 2, 3, 4])));
    expect(e.process([resolved(first, 'api'), ...fails('ann', '1.1.1.1', [5])])[0]).toMatchObject({ op: 'attach', alert: { id: first.alert.id } });
    expect(e.process([resolved(first), ...fails('ann', '1.1.1.1', [6, 7, 8, 9])])).toEqual([]);
    const [again] = opened(e.process(fails('ann', '1.1.1.1', [10])));
    expect(again.alert.id).not.toBe(first.alert.id);
    expect(again.alert.count).toBe(5);
  });

  it('keeps each source apart: outside events neither fill nor mask Warden\'s windows', () => {
    const e = createEngine([rule('brute_force_user')]);
    const ext = (t: number) => ev('ext.auth.login.failure', t, { user: 'bo', source: 'api' });
    expect(e.process([0, 1, 2, 3].map(ext))).toEqual([]);
    expect(e.process(fails('bo', '1.1.1.1', [4]))).toEqual([]);
    const [o] = opened(e.process([ext(5)]));
    expect(o.alert.key).toEqual({ user: 'bo', source: 'api' });
    expect(opened(e.process(fails('bo', '1.1.1.1', [6, 7, 8, 9])))[0].alert.key).toEqual({ user: 'bo' });
  });

  it('derives alert ids from rule, key and the opening event, so a replay rebuilds the same episode', () => {
    const run = () => opened(createEngine([rule('brute_force_user')]).process(fails('cy', '1.1.1.1', [0, 1, 2, 3, 4]).map((x, n) => ({ ...x, id: String(100 + n) }))))[0].alert.id;
    expect(run()).toBe(run());
    expect(run()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

describe('state', () => {
  it('keeps state per active key only and evicts keys once their window has passed', () => {
    const e = createEngine(BUILTIN_RULES as Rule[], { sweepEvery: 1_000_000, lateness: 0 });
    const evs: DetectEvent[] = [];
    for (let u = 0; u < 500; u++) evs.push(ev('auth.login.failure', u * 0.01, { user: `u${u}`, ip: `10.0.${u >> 8}.${u & 255}` }));
    e.process(evs);
    expect(e.stats().keys).toBeGreaterThan(1000);
    e.process([ev('auth.login.failure', 4000, { user: 'late', ip: '10.9.9.9' })]);
    e.sweep();
    expect(e.stats().keys).toBeLessThanOrEqual(5);
  });

  it('persisted state reloads into a fresh engine (restart mid-window) without losing the window or episode', () => {
    const a = createEngine([rule('brute_force_user')], { persist: true });
    a.process(fails('amy', '3.3.3.3', [0, 1, 2]));
    const b = createEngine([rule('brute_force_user')], { persist: true });
    b.load(JSON.parse(JSON.stringify(a.takeDirty().upserts)));
    const o = opened(b.process(fails('amy', '3.3.3.3', [3, 4])));
    expect(o[0].alert.count).toBe(5);
    const c = createEngine([rule('brute_force_user')], { persist: true });
    expect(c.missingKeys(fails('amy', '3.3.3.3', [5]))).toEqual([{ rule: 'brute_force_user', key: 'warden\u001d0\u001eamy' }]);
    c.load(b.takeDirty().upserts);
    expect(c.process(fails('amy', '3.3.3.3', [5]))[0]).toMatchObject({ op: 'attach', alert: { id: o[0].alert.id, count: 6 } });
  });

  it('takeDirty gives the rule parts an event changed; a state evicted and created again comes as a delete and an upsert', () => {
    const opts = { persist: true, lateness: 0, sweepEvery: 1_000_000 };
    const e = createEngine([rule('brute_force_user'), rule('data_export_burst')], opts);
    e.process([ev('data.export', 0, { user: 'ivy' }), ...fails('ivy', '1.1.1.1', [1])]);
    expect(e.takeDirty().upserts.map((x) => x.rule).sort()).toEqual(['brute_force_user', 'data_export_burst']);
    e.process(fails('ivy', '1.1.1.1', [2]));
    expect(e.takeDirty().upserts.map((x) => [x.rule, x.state.t.length])).toEqual([['brute_force_user', 2]]);
    e.process([ev('data.export', 200, { user: 'ivy' })]);
    e.sweep(); // brute_force_user's state (last event at 2 s, window 60 s) is evicted; the key lives on in data_export_burst
    e.process(fails('ivy', '1.1.1.1', [201]));
    const d = e.takeDirty();
    expect(d.deletes).toEqual([{ rule: 'brute_force_user', key: 'warden\u001d0\u001eivy' }]);
    expect(d.upserts.map((x) => [x.rule, x.state.t])).toEqual([
      ['brute_force_user', [Date.parse('2026-03-01T12:03:21Z')]], ['data_export_burst', [Date.parse('2026-03-01T12:00:00Z'), Date.parse('2026-03-01T12:03:20Z')]],
    ].sort((a, b) => String(a[0]).localeCompare(String(b[0]))));
    // applied in the consumer's order (deletes, then upserts) the state survives
    const f = createEngine([rule('brute_force_user'), rule('data_export_burst')], opts);
    f.load([...d.deletes.map((x) => ({ ...x, state: null })), ...d.upserts]);
    expect(f.allStates().map((x) => x.rule).sort()).toEqual(['brute_force_user', 'data_export_burst']);
  });

  it('refuses events far in the future of the clock and unparseable times', () => {
    const e = createEngine([rule('audit_chain_broken')], { clock: () => new Date('2026-03-01T12:00:00Z') });
    expect(e.process([ev('audit.chain_broken', 3600), { ...ev('audit.chain_broken', 0), time: 'nope' }])).toEqual([]);
    expect(e.stats()).toMatchObject({ future: 1, invalid: 1 });
  });
});
