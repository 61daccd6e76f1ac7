/**
 * detect benchmark: prints one JSON line.
 * - engine: events/s through the streaming engine in process, every built-in rule on, 100,000 distinct users and IPs; peak memory.
 * - baseline: the guide's approach on the same stream: every check re-scans all stored events for each of its rules
 *   (checks run once per batch of 1,000 events so alerts are as fresh as the engine's), and the ratio.
 * - e2e: events/s through POST /v1/events (Warden's own HTTP edge: createHttp, strict body validation) into PostgreSQL
 *   (ingest), and until the detect consumer has evaluated them all (ingest + detection, state snapshots included).
 * Only 127.0.0.1 is ever contacted.
 */
import { randomBytes } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import pg from 'pg';
import { loadConfig } from '../src/config.js';
import { migrate, openPostgres } from '../src/db/index.js';
import { createEvents } from '../src/events/index.js';
import { createHttp } from '../src/http/server.js';
import { createLogger } from '../src/log.js';
import { BUILTIN_RULES, createDetect, createEngine, type Rule, type DetectEvent } from '../src/detect/index.js';
import { detectRoutes } from '../src/detect/routes.js';

const USERS = 100_000;
const BASE = Date.parse('2026-03-01T00:00:00Z');

/**
 * Warden's own events, mixed: failures, successes, exports, API errors, denials, occasional reuse; ~2,000 events
 * per second of event time, slightly out of order. Generated in chunks, as a live stream arrives, and handed over
 * the way the detect consumer receives stored events: parsed from JSON (flat strings, one object per event).
 */
export function eventSource(seed = 1) {
  let x = seed;
  let i = 0;
  const rnd = () => { x = (Math.imul(x, 1103515245) + 12345) & 0x7fffffff; return x / 0x80000000; };
  return (n: number): DetectEvent[] => {
    const out: DetectEvent[] = new Array(n);
    for (let k = 0; k < n; k++, i++) {
      const u = Math.floor(rnd() * USERS);
      const ipn = Math.floor(rnd() * USERS);
      const r = rnd();
      const type = r < 0.55 ? 'auth.login.failure' : r < 0.85 ? 'auth.login.success' : r < 0.9 ? 'data.export' : r < 0.95 ? 'api.error' : r < 0.99 ? 'access.denied' : 'token.refresh_reuse';
      const t = BASE + Math.floor(i / 2) + Math.floor(rnd() * 500);
      out[k] = {
        id: String(i + 1), type, class_uid: 3002, activity_id: 1, severity_id: 1, time: new Date(t).toISOString(),
        status: type === 'auth.login.failure' ? 'failure' : type === 'auth.login.success' ? 'success' : 'unknown',
        user: { uid: `user${u}` }, src_endpoint: { ip: `10.${(ipn >> 16) & 255}.${(ipn >> 8) & 255}.${ipn & 255}` }, source: 'warden',
        ...(type === 'access.denied' ? { unmapped: { permission: rnd() < 0.5 ? 'admin:users' : 'read:compliance' } } : {}),
      };
    }
    return JSON.parse(JSON.stringify(out)) as DetectEvent[];
  };
}

const makeEvents = (n: number, seed = 1) => eventSource(seed)(n);

/** The engine over `n` events in batches of 10,000; only engine.process() is timed (wall and CPU), not generating them. */
/** A full collection, so heap figures count what is retained rather than garbage not yet collected. */
function gc(): void {
  setFlagsFromString('--expose_gc');
  (runInNewContext('gc') as () => void)();
}

/** Collects until the figures settle: the memory of unreachable typed arrays is released after the collection. */
async function settle(): Promise<void> {
  for (let i = 0; i < 3; i++) { gc(); await new Promise((r) => setTimeout(r, 20)); }
}

export async function engineBench(n: number) {
  await settle();
  const heap0 = process.memoryUsage().heapUsed;
  const ab0 = process.memoryUsage().arrayBuffers;
  let peakHeap = heap0;
  let peakRss = process.memoryUsage().rss;
  const engine = createEngine(BUILTIN_RULES as Rule[]);
  const next = eventSource(1);
  let alerts = 0;
  let wall = 0;
  let cpuMicros = 0;
  for (let i = 0; i < n; i += 10_000) {
    const batch = next(Math.min(10_000, n - i));
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    for (const c of engine.process(batch)) if (c.op === 'open') alerts++;
    wall += performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    cpuMicros += cpu.user + cpu.system;
    if (i % 100_000 === 0) {
      const m = process.memoryUsage();
      peakHeap = Math.max(peakHeap, m.heapUsed); peakRss = Math.max(peakRss, m.rss);
    }
  }
  const m = process.memoryUsage();
  peakHeap = Math.max(peakHeap, m.heapUsed); peakRss = Math.max(peakRss, m.rss);
  await settle();
  const retained = process.memoryUsage().heapUsed - heap0;
  // Key states live partly in typed arrays, whose memory is outside the JS heap: count it too.
  const retainedBuffers = process.memoryUsage().arrayBuffers - ab0;
  // eps: wall clock; eps_cpu: per CPU second of this process (GC threads included), steadier on a shared machine.
  return { events: n, eps: Math.round(n / (wall / 1000)), eps_cpu: Math.round(n / (cpuMicros / 1e6)), alerts, active_keys_end: engine.stats().keys,
    peak_heap_mb: Math.round((peakHeap - heap0) / 1048576), retained_heap_mb: Math.round(retained / 1048576),
    retained_buffers_mb: Math.round(retainedBuffers / 1048576),
    bytes_per_key: Math.round((retained + retainedBuffers) / Math.max(1, engine.stats().keys)), peak_rss_mb: Math.round(peakRss / 1048576) };
}

/** The guide's rules, each check re-scanning every stored event. */
function baselineBench(events: DetectEvent[], checkEvery = 1000) {
  const guide = [
    { type: 'auth.login.failure', key: (e: DetectEvent) => e.user?.uid, w: 60_000, min: 5 },
    { type: 'auth.login.failure', key: (e: DetectEvent) => e.src_endpoint?.ip, w: 60_000, min: 5 },
    { type: 'auth.login.success', key: (e: DetectEvent) => e.user?.uid, w: 3_600_000, min: 4, distinct: (e: DetectEvent) => e.src_endpoint?.ip },
    { type: 'data.export', key: (e: DetectEvent) => e.user?.uid, w: 3_600_000, min: 11 },
    { type: 'api.error', key: () => '', w: 60_000, min: 101 },
  ];
  const stored: DetectEvent[] = [];
  let hits = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < events.length; i += checkEvery) {
    for (const e of events.slice(i, i + checkEvery)) stored.push(e);
    const now = Date.parse(stored[stored.length - 1].time);
    for (const r of guide) {
      const groups = new Map<string, Set<string> | number>();
      for (const e of stored) {
        if (e.type !== r.type || now - Date.parse(e.time) > r.w) continue;
        const k = r.key(e) ?? '';
        if (r.distinct) { let s = groups.get(k) as Set<string> | undefined; if (!s) groups.set(k, (s = new Set())); s.add(r.distinct(e) ?? ''); }
        else groups.set(k, ((groups.get(k) as number) ?? 0) + 1);
      }
      for (const v of groups.values()) if ((typeof v === 'number' ? v : v.size) >= r.min) hits++;
    }
  }
  const secs = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  return { events: events.length, check_every_events: checkEvery, eps: Math.round(events.length / secs), eps_cpu: Math.round(events.length / ((cpu.user + cpu.system) / 1e6)), hits };
}

export async function e2eBench(total: number): Promise<Record<string, unknown>> {
  const url = process.env.WARDEN_BENCH_DATABASE_URL ?? process.env.WARDEN_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const schema = `bench_detect_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try { await admin.connect(); await admin.query(`CREATE SCHEMA ${schema}`); } catch (e) {
    await admin.end().catch(() => undefined);
    return { skipped: `PostgreSQL not reachable: ${(e as Error).message}` };
  }
  const db = await openPostgres(url, { searchPath: schema, max: 8 });
  try {
    await migrate(db);
    const version = (await db.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0].v.split(' ')[0];
    const clock = () => new Date(BASE + 86_400_000);
    const events = createEvents({ db, clock, pollMs: 20 });
    const audit = { append: async () => undefined };
    // snapshots every 2 s (production default: 10 s), so a short run still pays for writing the state
    const detect = createDetect({ db, events, audit, clock, config: { batchSize: 5000, snapshotMs: 2000 } });
    const config = loadConfig({ WARDEN_LOG_LEVEL: 'warn', WARDEN_RATE_LIMIT: '1000000' });
    const unlimited = { hit: async () => ({ count: 1, resetAt: Date.now() + 60_000 }) };
    const app = await createHttp({ config, log: createLogger({ level: 'warn' }), counters: { strict: unlimited, general: unlimited }, version: 'bench' });
    const guard = { require: () => async () => undefined };
    await app.register(detectRoutes({ detect, guard }));
    const base = await app.listen({ host: '127.0.0.1', port: 0 });
    const evs = makeEvents(total, 7).map(({ id: _id, user, src_endpoint, ...e }) => ({ type: e.type, time: e.time, user: user?.uid, src_ip: src_endpoint?.ip, outcome: e.status, ...(e.unmapped ?? {}) }));
    const BATCH = 5000;
    const bodies: string[] = [];
    for (let i = 0; i < evs.length; i += BATCH) bodies.push(evs.slice(i, i + BATCH).map((e) => JSON.stringify(e)).join('\n'));
    events.start();
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    let next = 0;
    const worker = async () => {
      while (next < bodies.length) {
        const body = bodies[next++];
        const r = await fetch(`${base}/v1/events`, { method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body });
        if (r.status !== 202) throw new Error(`ingest ${r.status}: ${await r.text()}`);
      }
    };
    await Promise.all([worker(), worker(), worker(), worker()]);
    const ingestSecs = (performance.now() - t0) / 1000;
    while (detect.stats().events < total && performance.now() - t0 < 300_000) await new Promise((r) => setTimeout(r, 20));
    const allSecs = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    await events.stop();
    await app.close();
    const alerts = await db.query<{ n: string }>('SELECT count(*)::text AS n FROM detect_alerts');
    const st = detect.stats();
    return { events: total, batch: BATCH, ingest_eps: Math.round(total / ingestSecs), ingest_and_detect_eps: Math.round(st.events / allSecs),
      evaluated: st.events, snapshots: st.snapshots, replayed: st.replayed, alerts: Number(alerts.rows[0].n), database: `PostgreSQL ${version}`,
      // CPU of this process only (HTTP, ingest, consumer, engine); the database server's is not counted.
      warden_cpu_s: Math.round((cpu.user + cpu.system) / 1e4) / 100 };
  } finally {
    await db.close();
    await admin.query(`DROP SCHEMA ${schema} CASCADE`).catch(() => undefined);
    await admin.end();
  }
}

export async function run(): Promise<Record<string, unknown>> {
  const n = Number(process.env.WARDEN_BENCH_DETECT_EVENTS ?? 1_000_000);
  const users = new Set<string>(); const ips = new Set<string>();
  const gen = eventSource(1);
  for (let i = 0; i < n; i += 10_000) for (const e of gen(Math.min(10_000, n - i))) { users.add(e.user!.uid!); ips.add(e.src_endpoint!.ip!); }
  const distinctUsers = users.size; const distinctIps = ips.size;
  users.clear(); ips.clear();
  await engineBench(100_000); // warm-up
  const engine = await engineBench(n);
  const baseline = baselineBench(makeEvents(Math.min(n, 100_000)));
  const e2eEvents = Number(process.env.WARDEN_BENCH_DETECT_E2E_EVENTS ?? 100_000);
  const e2e = e2eEvents > 0 ? await e2eBench(e2eEvents) : { skipped: 'WARDEN_BENCH_DETECT_E2E_EVENTS=0' };
  return {
    bench: 'detect', rules: BUILTIN_RULES.length, distinct_users: distinctUsers, distinct_ips: distinctIps,
    engine_eps: engine.eps, engine_eps_cpu: engine.eps_cpu, engine, peak_heap_mb: engine.peak_heap_mb, peak_rss_mb: engine.peak_rss_mb,
    baseline_eps: baseline.eps, baseline, ratio: Math.round((engine.eps / baseline.eps) * 10) / 10,
    ratio_cpu: Math.round((engine.eps_cpu / baseline.eps_cpu) * 10) / 10,
    e2e_eps: (e2e as { ingest_and_detect_eps?: number }).ingest_and_detect_eps ?? null, e2e_database: (e2e as { database?: string }).database ?? null, e2e,
    targets: { engine_eps: 100_000, e2e_eps: 10_000 },
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  run().then((r) => { console.log(JSON.stringify(r)); }, (e) => { console.error(e); process.exit(1); });
}
