/**
 * auth benchmark: prints one JSON line, each figure beside its baseline from the same run.
 * (1) authorized requests/s on a protected route (valid EdDSA access token, guard + access
 *     check + revocation check) vs the same route without auth — target ratio ≥ 0.5;
 * (2) logins/s over HTTP (Argon2id verify, lockout bookkeeping, session, audit, event, token)
 *     vs raw @node-rs/argon2 hashes/s with the same parameters and the same concurrency the
 *     server allows itself (WARDEN_ARGON2_CONCURRENCY, default cores − 1) — target ≥ 0.9;
 *     raw hashes/s with every core is printed beside it, so the cost of that bound shows;
 * (3) p99 latency of authorized requests while logins saturate the CPU vs without that load —
 *     target ≤ 3×.
 * The real server (createApp) listens on 127.0.0.1 only; load comes from this process.
 * PGlite in a temporary folder by default; with WARDEN_BENCH_DATABASE_URL (or WARDEN_DATABASE_URL),
 * a schema of its own on that PostgreSQL server, dropped at the end (the run's random master key
 * never meets old data).
 * CPU per operation is given for the whole process (every thread: event loop, Argon2 threads,
 * PGlite, and the load generator) and, on Linux, for the main thread alone (the event loop that
 * every request shares: what a login costs the other requests).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { hash } from '@node-rs/argon2';
import pg from 'pg';
import { createApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { identityConfigFromEnv } from '../src/identity/index.js';
import { availableParallelism } from 'node:os';
import { createLogger } from '../src/log.js';

const SECONDS = Number(process.env.WARDEN_BENCH_AUTH_SECONDS ?? 4);
const PASSWORD = 'bench passphrase for warden';

interface Res { status: number; body: string }

function client(base: string, connections: number) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const u = new URL(base);
  return (method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<Res> =>
    new Promise((resolve, reject) => {
      const req = http.request({ host: u.hostname, port: u.port, method, path, agent, headers: body ? { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } : headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
      });
      req.on('error', reject);
      req.end(body);
    });
}

/** CPU time of this process's main thread in ms (Linux; null elsewhere), 10 ms resolution. */
function mainThreadCpuMs(): number | null {
  try {
    const f = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(f[11]) + Number(f[12])) * 10;
  } catch {
    return null;
  }
}

/** Runs `concurrency` loops of fn for `seconds`; returns completed/s and latencies (ms). */
async function load(fn: () => Promise<unknown>, concurrency: number, seconds: number) {
  const main0 = mainThreadCpuMs();
  const cpu0 = process.cpuUsage();
  const end = performance.now() + seconds * 1000;
  const lat: number[] = [];
  let errors = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (performance.now() < end) {
      const t = performance.now();
      try { await fn(); } catch { errors++; }
      lat.push(performance.now() - t);
    }
  }));
  const cpu = process.cpuUsage(cpu0);
  const main1 = mainThreadCpuMs();
  lat.sort((a, b) => a - b);
  const pct = (p: number) => Math.round((lat[Math.min(lat.length - 1, Math.floor(lat.length * p))] ?? 0) * 100) / 100;
    // CPU of this whole process (event loop, Argon2 threads, PGlite, and the load generator).
  const cpu_ms = Math.round((cpu.user + cpu.system) / 1000);
  const main_cpu_ms = main0 === null || main1 === null ? null : main1 - main0;
  return { per_s: Math.round(lat.length / seconds), n: lat.length, errors, p50_ms: pct(0.5), p99_ms: pct(0.99), cpu_ms, main_cpu_ms };
}

/** A fresh schema on the PostgreSQL server at `base`, and how to drop it. */
async function scratchSchema(base: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const schema = `bench_auth_${randomBytes(4).toString('hex')}`;
  const admin = async (sql: string) => {
    const c = new pg.Client({ connectionString: base });
    await c.connect();
    try { await c.query(sql); } finally { await c.end(); }
  };
  await admin(`CREATE SCHEMA ${schema}`);
  const u = new URL(base);
  u.searchParams.set('options', `-c search_path=${schema}`);
  return { url: u.toString(), drop: () => admin(`DROP SCHEMA ${schema} CASCADE`) };
}

export async function run(): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(join(tmpdir(), 'warden-bench-auth-'));
  const pgUrl = process.env.WARDEN_BENCH_DATABASE_URL || process.env.WARDEN_DATABASE_URL;
  const pgSchema = pgUrl ? await scratchSchema(pgUrl) : null;
  const env: Record<string, string> = {
    WARDEN_DATA_DIR: dir, WARDEN_HOST: '127.0.0.1', WARDEN_PORT: '0', WARDEN_MASTER_KEY: randomBytes(32).toString('base64'),
    WARDEN_RATE_LIMIT: '100000000', WARDEN_RATE_LIMIT_STRICT: '100000000', WARDEN_LOG_LEVEL: 'warn',
    ...(pgSchema ? { WARDEN_DATABASE_URL: pgSchema.url } : {}),
  };
  const { argon2, hashConcurrency } = identityConfigFromEnv(process.env);
  const app = await createApp(loadConfig(env), {
    log: createLogger({ level: 'warn' }),
    identity: { mfaRequiredRoles: [], ipFailureMax: 100_000_000 },
  }).catch(async (e) => { await pgSchema?.drop(); rmSync(dir, { recursive: true, force: true }); throw e; });
  try {
    const ok = async () => ({ ok: true });
    app.http.get('/bench/open', { config: { rateLimit: 'none' }, schema: { hide: true } }, ok);
    app.http.get('/bench/protected', { config: { rateLimit: 'none' }, schema: { hide: true }, preHandler: app.guard.require('admin:users') }, ok);
    const url = await app.start();
    const users = 16;
    for (let i = 0; i < users; i++) {
      await app.identity.createUser({ email: `bench${i}@example.com`, password: PASSWORD, roles: ['admin'] }, { type: 'system', id: 'bench' });
    }
    const c = client(url, 64);
    const login = async (i: number) => {
      const r = await c('POST', '/v1/auth/login', {}, JSON.stringify({ email: `bench${i % users}@example.com`, password: PASSWORD }));
      if (r.status !== 200) throw new Error(`login ${r.status}`);
      return JSON.parse(r.body) as { access_token: string };
    };
    const token = (await login(0)).access_token;
    const auth = { authorization: `Bearer ${token}` };
    const check = (r: Res) => { if (r.status !== 200) throw new Error(`status ${r.status}`); };

    // (1) authorized vs no-auth throughput (warm-up first).
    await load(async () => check(await c('GET', '/bench/protected', auth)), 32, 1);
    await load(async () => check(await c('GET', '/bench/open')), 32, 1);
    const open = await load(async () => check(await c('GET', '/bench/open')), 32, SECONDS);
    const authorized = await load(async () => check(await c('GET', '/bench/protected', auth)), 32, SECONDS);

    // (2) logins/s vs raw argon2 hashes/s, same parameters and the same hashing concurrency
    // (the server queues logins beyond hashConcurrency; the baseline runs that many loops).
    const inflight = 8;
    const rawAll = await load(() => hash(PASSWORD, argon2), Math.max(inflight, availableParallelism()), SECONDS);
    const raw = await load(() => hash(PASSWORD, argon2), hashConcurrency, SECONDS);
    let n = 0;
    const logins = await load(() => login(n++), inflight, SECONDS);

    // (3) p99 of authorized requests, alone and while logins saturate the CPU.
    const quiet = await load(async () => check(await c('GET', '/bench/protected', auth)), 4, SECONDS);
    let stop = false;
    const background = (async () => { const until = performance.now() + (SECONDS + 1) * 1000; while (!stop && performance.now() < until) await Promise.all(Array.from({ length: inflight }, () => login(n++).catch(() => undefined))); })();
    await new Promise((r) => setTimeout(r, 300));
    const busy = await load(async () => check(await c('GET', '/bench/protected', auth)), 4, SECONDS);
    stop = true;
    await background;

    const r2 = (x: number) => Math.round(x * 100) / 100;
    return {
      database: app.db.kind, seconds_per_phase: SECONDS, argon2,
      authorized_rps: authorized.per_s, no_auth_rps: open.per_s, authorized_ratio: r2(authorized.per_s / open.per_s),
      hash_concurrency: hashConcurrency, cores: availableParallelism(),
      logins_per_s: r2(logins.n / SECONDS), argon2_hashes_per_s: r2(raw.n / SECONDS), login_ratio: r2(logins.n / raw.n),
      argon2_hashes_per_s_all_cores: r2(rawAll.n / SECONDS),
      cpu_ms_per_login: r2(logins.cpu_ms / Math.max(1, logins.n)), cpu_ms_per_hash: r2(raw.cpu_ms / Math.max(1, raw.n)),
      main_thread_cpu_ms_per_login: logins.main_cpu_ms === null ? null : r2(logins.main_cpu_ms / Math.max(1, logins.n)),
      main_thread_cpu_ms_per_hash: raw.main_cpu_ms === null ? null : r2(raw.main_cpu_ms / Math.max(1, raw.n)),
      cpu_ms_per_authorized_request: r2(authorized.cpu_ms / Math.max(1, authorized.n)), cpu_ms_per_open_request: r2(open.cpu_ms / Math.max(1, open.n)),
      p99_ms_under_login_load: busy.p99_ms, p99_ms_quiet: quiet.p99_ms, p99_ratio: r2(busy.p99_ms / Math.max(quiet.p99_ms, 0.01)),
      errors: { authorized: authorized.errors, open: open.errors, logins: logins.errors, busy: busy.errors },
      targets: { authorized_ratio: '>= 0.5', login_ratio: '>= 0.9', p99_ratio: '<= 3' },
    };
  } finally {
    await app.close();
    await pgSchema?.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  run().then((r) => { console.log(JSON.stringify(r)); process.exit(0); }, (e) => { console.error(e); process.exit(1); });
}
