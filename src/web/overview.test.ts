import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../test/helpers/server.js';

/** GET /v1/overview over real HTTP, against 100,000 stored events (aggregated in SQL). */
describe('the overview aggregation', () => {
  let s: TestServer;
  const N = 100_000;
  beforeAll(async () => {
    s = await startServer();
    // 100,000 events over the last 30 days: every 13th a failed login, every 997th a lockout.
    await s.app.db.query(`
      INSERT INTO security_events (time, type, class_uid, severity_id, status, user_uid, src_ip, source, event)
      SELECT now() - (i * interval '25.9 seconds'),
             CASE WHEN i % 997 = 0 THEN 'auth.lockout' WHEN i % 13 = 0 THEN 'auth.login.failure' ELSE 'api.request' END,
             3002, 1 + (i % 5), CASE WHEN i % 13 = 0 THEN 'failure' ELSE 'success' END,
             'u' || (i % 7), '203.0.113.' || (i % 11), 'test',
             jsonb_build_object('user', jsonb_build_object('email', 'user' || (i % 7) || '@example.com'))
        FROM generate_series(1, ${N}) AS i`);
    await s.app.db.query(`
      INSERT INTO detect_alerts (id, rule_id, title, key, severity, severity_id, status, count, first_seen, last_seen, evidence, created_at, updated_at)
      SELECT gen_random_uuid(), 'brute_force_user', 'Brute force', '{}'::jsonb, (ARRAY['low','medium','high','critical'])[1 + i % 4], 2 + i % 4,
             (ARRAY['open','acknowledged','resolved'])[1 + i % 3], 5, now() - (i * interval '1 hour'), now() - (i * interval '1 hour'), '[]'::jsonb, now(), now()
        FROM generate_series(1, 60) AS i`);
  }, 120_000);
  afterAll(async () => { await s?.close(); });

  it('counts every event in its bucket and severity, with failed-login and lockout tops', async () => {
    const r = await s.req('GET', '/v1/overview?range=30d');
    expect(r.status, r.text).toBe(200);
    const o = r.body;
    expect(o.bucket_seconds).toBe(86_400);
    expect(o.events.series).toHaveLength(30);
    const sum = o.events.series.reduce((a: number, p: Record<string, number>) => a + p.info + p.low + p.medium + p.high + p.critical, 0);
    expect(sum).toBe(o.events.total);
    expect(o.events.total).toBeGreaterThan(N * 0.95); // the oldest may fall just before the first bucket
    expect(o.failed_logins.total).toBeGreaterThan(7000);
    expect(o.failed_logins.top_ips).toHaveLength(5);
    expect(o.failed_logins.top_users[0].user).toMatch(/@example\.com$/);
    expect(o.lockouts.total).toBeGreaterThan(90);
    expect(o.lockouts.recent).toHaveLength(5);
    expect(o.alerts.open.low + o.alerts.open.medium + o.alerts.open.high + o.alerts.open.critical).toBe(20);
    expect(o.alerts.acknowledged).toBe(20);
  });

  it('answers in well under a second with 100,000 events', async () => {
    for (const range of ['24h', '7d', '30d']) await s.req('GET', `/v1/overview?range=${range}`); // warm
    const times: number[] = [];
    for (const range of ['24h', '7d', '30d']) {
      const t = performance.now();
      const r = await s.req('GET', `/v1/overview?range=${range}`);
      times.push(performance.now() - t);
      expect(r.status).toBe(200);
      expect(r.text.length).toBeLessThan(20_000); // aggregates, never raw events
    }
    expect(Math.max(...times)).toBeLessThan(1000);
  });

  it('refuses a caller without read:alerts and bad ranges', async () => {
    expect((await s.req('GET', '/v1/overview', { token: null })).status).toBe(401);
    const bad = await s.req('GET', '/v1/overview?range=1y');
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('VALIDATION_FAILED');
  });
});
