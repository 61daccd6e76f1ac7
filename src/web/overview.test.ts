import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../test/helpers/server.js';

/**
 * GET /v1/overview over real HTTP, against stored events aggregated in SQL. The 100,000-event
 * timing lives in the benchmark (`npm run bench -- overview`): timings are never test assertions.
 */
describe('the overview aggregation', () => {
  let s: TestServer;
  const N = 6_000;
  let total = 0;
  beforeAll(async () => {
    s = await startServer();
    // Alerts the real way: 5 failed logins from each of 30 addresses within a minute open 30 brute-force alerts.
    const now = Date.now();
    const burst = Array.from({ length: 150 }, (_, i) => ({
      type: 'auth.login.failure', time: new Date(now - 60_000 + (i % 5) * 1000).toISOString(),
      user: `victim${i % 30}@example.com`, src_ip: `198.51.100.${i % 30}`, outcome: 'failure',
    }));
    expect((await s.req('POST', '/v1/events', { body: burst })).status).toBe(202);
    const deadline = Date.now() + 60_000;
    let alerts: Array<{ id: string; rule: string }> = [];
    while (Date.now() < deadline) {
      alerts = (await s.req('GET', '/v1/alerts?limit=1000')).body.alerts ?? [];
      if (alerts.filter((a) => a.rule === 'brute_force_ip').length >= 30) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    for (const a of alerts.slice(0, 5)) expect((await s.req('POST', `/v1/alerts/${a.id}/ack`, { body: {} })).status).toBe(200);
    for (const a of alerts.slice(5, 10)) expect((await s.req('POST', `/v1/alerts/${a.id}/resolve`, { body: {} })).status).toBe(200);
    total = alerts.length;
    // 100,000 events over the last 30 days: every 13th a failed login, every 997th a lockout.
    await s.app.db.query(`
      INSERT INTO security_events (time, type, class_uid, severity_id, status, user_uid, src_ip, source, event)
      SELECT now() - (i * interval '431 seconds'),
             CASE WHEN i % 997 = 0 THEN 'auth.lockout' WHEN i % 13 = 0 THEN 'auth.login.failure' ELSE 'api.request' END,
             3002, 1 + (i % 5), CASE WHEN i % 13 = 0 THEN 'failure' ELSE 'success' END,
             'u' || (i % 7), '203.0.113.' || (i % 11), 'test',
             jsonb_build_object('user', jsonb_build_object('email', 'user' || (i % 7) || '@example.com'))
        FROM generate_series(1, ${N}) AS i`);
    // Stored events are consumed by detection as they arrive; here they came in one burst: let it catch up
    // (on embedded PGlite its transactions and these queries share one connection).
    const started = Date.now();
    for (;;) {
      const r = await s.app.db.query<{ behind: string }>(
        `SELECT (SELECT max(id) FROM security_events) - COALESCE((SELECT max(last_id) FROM event_cursors), 0) AS behind`);
      if (Number(r.rows[0].behind) <= 0) break;
      if (Date.now() - started > 150_000) throw new Error(`detection is ${r.rows[0].behind} events behind`);
      await new Promise((res) => setTimeout(res, 500));
    }
  }, 240_000);
  afterAll(async () => { await s?.close(); });

  /** One retry when a kept-alive socket was closed by the server between requests. */
  async function get(path: string) {
    try { return await s.req('GET', path); } catch { return s.req('GET', path); }
  }

  it('counts every event in its bucket and severity, with failed-login and lockout tops', async () => {
    const r = await s.req('GET', '/v1/overview?range=30d');
    expect(r.status, r.text).toBe(200);
    const o = r.body;
    expect(o.bucket_seconds).toBe(86_400);
    expect(o.events.series).toHaveLength(30);
    const sum = o.events.series.reduce((a: number, p: Record<string, number>) => a + p.info + p.low + p.medium + p.high + p.critical, 0);
    expect(sum).toBe(o.events.total);
    expect(o.events.total).toBeGreaterThan(N * 0.95); // the oldest may fall just before the first bucket
    expect(o.failed_logins.total).toBeGreaterThan((N / 13) * 0.95);
    expect(o.failed_logins.top_ips).toHaveLength(5);
    expect(o.failed_logins.top_users[0].user).toMatch(/@example\.com$/);
    expect(o.lockouts.total).toBeGreaterThanOrEqual(5);
    expect(o.lockouts.recent).toHaveLength(5);
    expect(total).toBeGreaterThanOrEqual(30);
    expect(o.alerts.open.info + o.alerts.open.low + o.alerts.open.medium + o.alerts.open.high + o.alerts.open.critical).toBe(total - 10);
    expect(o.alerts.acknowledged).toBe(5);
    const raised = o.alerts.series.reduce((a: number, p: Record<string, number>) => a + p.info + p.low + p.medium + p.high + p.critical, 0);
    expect(raised).toBe(total);
  });

  it('answers with aggregates, never raw events', async () => {
    for (const range of ['24h', '7d', '30d']) {
      const r = await get(`/v1/overview?range=${range}`);
      expect(r.status).toBe(200);
      expect(r.text.length).toBeLessThan(20_000);
    }
  });

  it('refuses a caller without read:alerts and bad ranges', async () => {
    expect((await s.req('GET', '/v1/overview', { token: null })).status).toBe(401);
    const bad = await s.req('GET', '/v1/overview?range=1y');
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('VALIDATION_FAILED');
  });
});
