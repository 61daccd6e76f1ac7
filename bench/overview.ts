/**
 * Overview benchmark: the dashboard's GET /v1/overview over real HTTP with 100,000 stored
 * events, per range (median of 5 after a warm-up), on PGlite and, when reachable, PostgreSQL.
 * Baseline in the same run: fetching the raw events of the range, what a client-side
 * aggregation would need.
 */
import { pathToFileURL } from 'node:url';
import { startServer, type TestServer } from '../test/helpers/server.js';

const N = Number(process.env.WARDEN_BENCH_EVENTS ?? 100_000);

async function fill(s: TestServer): Promise<void> {
  await s.app.db.query(`
    INSERT INTO security_events (time, type, class_uid, severity_id, status, user_uid, src_ip, source, event)
    SELECT now() - (i * (interval '30 days' / ${N})),
           CASE WHEN i % 997 = 0 THEN 'auth.lockout' WHEN i % 13 = 0 THEN 'auth.login.failure' ELSE 'api.request' END,
           3002, 1 + (i % 5), CASE WHEN i % 13 = 0 THEN 'failure' ELSE 'success' END,
           'u' || (i % 7), '203.0.113.' || (i % 11), 'bench',
           jsonb_build_object('user', jsonb_build_object('email', 'user' || (i % 7) || '@example.com'))
      FROM generate_series(1, ${N}) AS i`);
  // let detection consume the burst so it does not compete with the measurement
  for (let i = 0; i < 1200; i++) {
    const r = await s.app.db.query<{ behind: number }>(
      'SELECT (SELECT max(id) FROM security_events) - COALESCE((SELECT max(last_id) FROM event_cursors), 0) AS behind');
    if (Number(r.rows[0].behind) <= 0) return;
    await new Promise((res) => setTimeout(res, 500));
  }
}

async function median(fn: () => Promise<unknown>, n = 5): Promise<number> {
  await fn();
  const t: number[] = [];
  for (let i = 0; i < n; i++) {
    const s = performance.now();
    await fn();
    t.push(performance.now() - s);
  }
  t.sort((a, b) => a - b);
  return Math.round(t[Math.floor(n / 2)] * 10) / 10;
}

async function measure(env: Record<string, string>) {
  const s = await startServer({ env: { WARDEN_LOG_LEVEL: 'warn', WARDEN_RATE_LIMIT: '100000', ...env } });
  try {
    await fill(s);
    const out: Record<string, number> = {};
    for (const range of ['24h', '7d', '30d']) {
      out[`overview_ms_${range}`] = await median(async () => {
        const r = await s.req('GET', `/v1/overview?range=${range}`);
        if (r.status !== 200) throw new Error(`overview ${range}: ${r.status} ${r.text}`);
      });
    }
    out.baseline_raw_events_30d_ms = await median(() => s.app.db.query(
      "SELECT id, time, type, severity_id, user_uid, src_ip FROM security_events WHERE time > now() - interval '30 days'"), 3);
    out.ratio_raw_vs_overview_30d = Math.round((out.baseline_raw_events_30d_ms / out.overview_ms_30d) * 10) / 10;
    return out;
  } finally {
    await s.close();
  }
}

export async function run(): Promise<Record<string, unknown>> {
  const saved = process.env.WARDEN_TEST_DATABASE_URL;
  delete process.env.WARDEN_TEST_DATABASE_URL;
  const pglite = await measure({});
  let postgres: Record<string, number> | string = 'not measured';
  const pg = saved ?? process.env.WARDEN_BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  try {
    process.env.WARDEN_TEST_DATABASE_URL = pg;
    postgres = await measure({});
  } catch (e) {
    postgres = `unavailable: ${(e as Error).message}`;
  } finally {
    if (saved) process.env.WARDEN_TEST_DATABASE_URL = saved; else delete process.env.WARDEN_TEST_DATABASE_URL;
  }
  return { events: N, pglite, postgres, target: 'overview < 1000 ms with 100,000 events' };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.stdout.write(JSON.stringify({ bench: 'overview', ...(await run()) }) + '\n');
  process.exit(0);
}
