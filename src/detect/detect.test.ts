import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../db/types.js';
import { openTestDb } from '../../test/helpers/db.js';
import { openProcess } from './fakes.test-helpers.js';
import { ev } from './testing.js';

let db: Db;
beforeAll(async () => { db = await openTestDb(); });
afterAll(async () => { await db?.close(); });

const admin = { type: 'user' as const, id: 'u-admin' };
const fail = (user: string, ip: string, t: number) => {
  const { id: _id, ...e } = ev('auth.login.failure', t, { user, ip, base: '2026-03-01T12:00:00Z' });
  return e;
};

describe('detect over the outbox', () => {
  it('turns Warden events into one alert with evidence; ack and resolve are audited', async () => {
    const p = openProcess(db);
    await db.tx((tx) => p.events.emitMany(tx, [0, 1, 2, 3, 4, 5].map((t) => fail('alice', '192.0.2.10', t))));
    await p.events.drain();
    const list = await p.detect.listAlerts({ rule: 'brute_force_user' });
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ key: { user: 'alice' }, severity: 'high', severity_id: 4, status: 'open', count: 6 });
    const full = await p.detect.getAlert(list[0].id);
    expect(full.events.map((e) => e.user?.uid)).toEqual(Array(6).fill('alice'));
    expect(full.evidence).toEqual(full.events.map((e) => e.id));
    expect(await p.detect.listAlerts({ rule: 'brute_force_ip' })).toHaveLength(1);

    const acked = await p.detect.ack(list[0].id, admin, 'looking');
    expect(acked).toMatchObject({ status: 'acknowledged', acknowledged: { by: 'user:u-admin', note: 'looking' } });
    await expect(p.detect.ack(list[0].id, admin)).rejects.toMatchObject({ code: 'DETECT_ALERT_STATE', status: 409 });
    await p.detect.resolve(list[0].id, admin, 'blocked the IP');
    expect((await p.detect.getAlert(list[0].id)).resolved).toMatchObject({ note: 'blocked the IP' });
    expect(p.audit.map((a) => a.action)).toEqual(['detect.alert.ack', 'detect.alert.resolve']);
    await expect(p.detect.getAlert('00000000-0000-0000-0000-000000000000')).rejects.toMatchObject({ code: 'DETECT_ALERT_NOT_FOUND' });
  });

  it('a restart in the middle of a window loses nothing and doubles nothing', async () => {
    const a = openProcess(db);
    await a.detect.ingest([0, 1, 2].map((t) => ({ type: 'auth.login.failure', time: `2026-03-01T12:10:0${t}Z`, user: 'bob', src_ip: '198.51.100.1' })));
    await a.events.drain();
    expect(await a.detect.listAlerts({ user: 'bob' })).toHaveLength(0);
    const b = openProcess(db); // a new process: empty memory
    await b.detect.ingest([3, 4].map((t) => ({ type: 'auth.login.failure', time: `2026-03-01T12:10:0${t}Z`, user: 'bob', src_ip: '198.51.100.1' })));
    await b.events.drain();
    const [alert] = await b.detect.listAlerts({ user: 'bob', rule: 'brute_force_user' });
    expect(alert.count).toBe(5);
    // the old process comes back: its cache is stale and must not open a second alert
    await a.detect.ingest([{ type: 'auth.login.failure', time: '2026-03-01T12:10:06Z', user: 'bob', src_ip: '198.51.100.1' }]);
    await a.events.drain();
    const after = await a.detect.listAlerts({ user: 'bob', rule: 'brute_force_user' });
    expect(after).toHaveLength(1);
    expect(after[0].count).toBe(6);
  });

  it('a takeover rebuilds from the snapshot plus the events after it: windows that span both stay whole', async () => {
    const a = openProcess(db); // batches of 50, a snapshot every 2 batches
    const burst = (user: string, from: number, n: number) =>
      Array.from({ length: n }, (_, x) => ({ type: 'auth.login.failure', time: `2026-03-01T12:30:${String(from + x).padStart(2, '0')}Z`, user, src_ip: `203.0.113.${x}` }));
    // 3 failures for kim, then 120 unrelated events (3 batches: the snapshot falls in the middle), then 1 more for kim
    await a.detect.ingest(burst('kim', 0, 3));
    await a.detect.ingest(Array.from({ length: 120 }, (_, x) => ({ type: 'vpn.heartbeat', time: '2026-03-01T12:30:05Z', user: `n${x}` })));
    await a.events.drain();
    expect(a.detect.stats().snapshots).toBeGreaterThan(0);
    // How the outbox cuts batches depends on what else runs on the server (transaction visibility),
    // so align on a snapshot: after a drain that ended with one, the next batch is not snapshotted.
    for (let n = 0; ; n++) {
      const before = a.detect.stats().snapshots;
      await a.detect.ingest([{ type: 'vpn.heartbeat', time: '2026-03-01T12:30:06Z', user: `align${n}` }]);
      await a.events.drain();
      if (a.detect.stats().snapshots > before) break;
      expect(n).toBeLessThan(3);
    }
    await a.detect.ingest(burst('kim', 10, 1)); // handled after A's last snapshot: B must replay it
    await a.events.drain();
    const b = openProcess(db); // takes over: snapshot + replay
    await b.detect.ingest(burst('kim', 20, 1));
    await b.events.drain();
    expect(b.detect.stats().replayed).toBeGreaterThan(0);
    const [alert, ...rest] = await b.detect.listAlerts({ rule: 'brute_force_user', user: 'kim' });
    expect(rest).toHaveLength(0);
    expect(alert.count).toBe(5);
    // and back to the first process: it rebuilds too, and attaches instead of opening a second alert
    await a.detect.ingest(burst('kim', 21, 1));
    await a.events.drain();
    const after = await a.detect.listAlerts({ rule: 'brute_force_user', user: 'kim' });
    expect(after.map((x) => [x.id, x.count])).toEqual([[alert.id, 6]]);
  });

  it('rejects invalid and oversized batches without storing anything', async () => {
    const p = openProcess(db);
    await expect(p.detect.ingest([{ type: 'ok' }, { time: 'x' }])).rejects.toMatchObject({ code: 'DETECT_EVENT_INVALID', fields: { errors: [{ index: 1 }] } });
    await expect(p.detect.ingest(Array(10_001).fill({ type: 'x' }))).rejects.toMatchObject({ code: 'DETECT_BATCH_TOO_LARGE', status: 413 });
  });

  it('custom rules by API take effect in every process; built-ins can be disabled and reset', async () => {
    const p = openProcess(db);
    await p.detect.createRule({ id: 'vpn_fail', kind: 'event_count', severity: 'low', window: 60, group_by: ['user'],
      match: { type: 'vpn.failure' }, condition: { gte: 2 } }, admin);
    await expect(p.detect.createRule({ id: 'vpn_fail', kind: 'event_count', severity: 'low', window: 60, match: { type: 'x' }, condition: { gte: 2 } }, admin))
      .rejects.toMatchObject({ code: 'DETECT_RULE_EXISTS' });
    const other = openProcess(db);
    await other.detect.ingest([{ type: 'vpn.failure', user: 'carol', time: '2026-03-01T12:20:00Z' }, { type: 'vpn.failure', user: 'carol', time: '2026-03-01T12:20:30Z' }]);
    await other.events.drain();
    expect(await p.detect.listAlerts({ rule: 'vpn_fail' })).toHaveLength(1);
    const bf = await p.detect.getRule('brute_force_user');
    await p.detect.updateRule('brute_force_user', { ...bf, enabled: false }, admin);
    expect((await p.detect.getRule('brute_force_user')).enabled).toBe(false);
    await p.detect.deleteRule('brute_force_user', admin);
    expect((await p.detect.getRule('brute_force_user')).enabled).toBe(true);
    expect(p.audit.map((a) => a.action)).toEqual(['detect.rule.create', 'detect.rule.update', 'detect.rule.reset']);
  });

  it('testRule runs a rule over a batch without storing', () => {
    const p = openProcess(db);
    const out = p.detect.testRule({ kind: 'event_count', severity: 'high', window: 60, group_by: ['src_ip'], match: { type: 'auth.login.failure' }, condition: { gte: 3 } },
      [0, 10, 20].map((s) => ({ type: 'auth.login.failure', time: `2026-03-01T12:00:${String(s).padStart(2, '0')}Z`, src_ip: '203.0.113.5', user: `u${s}` })));
    expect(out.alerts).toHaveLength(1);
    expect(out.alerts[0]).toMatchObject({ key: { src_ip: '203.0.113.5' }, count: 3, evidence: ['1', '2', '3'] });
  });
});
