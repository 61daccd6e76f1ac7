/**
 * Audit benchmark: chained appends/s (batches of 1 and 100) on PGlite and PostgreSQL, two
 * processes appending at once on PostgreSQL, verification speed over 1,000,000 entries, and,
 * in the same run, plain INSERTs of the same rows without the chain as the baseline.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath, pathToFileURL } from 'node:url';
import pg from 'pg';
import { canonicalEntry, createAudit, type AuditEntryInput } from '../src/audit/index.js';
import { systemClock } from '../src/clock.js';
import { migrate, openPglite, openPostgres, type Db } from '../src/db/index.js';
import { testSigner, testSignerPem } from '../test/helpers/signer.js';

const SIGNER_PEM = process.env.WARDEN_BENCH_SIGNER_PEM ?? testSignerPem();

const PG_URL = process.env.WARDEN_BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const DURATION_MS = Number(process.env.WARDEN_BENCH_SECONDS ?? 4) * 1000;
const VERIFY_ENTRIES = Number(process.env.WARDEN_BENCH_VERIFY_ENTRIES ?? 1_000_000);

function entry(i: number): AuditEntryInput {
  return {
    actor: { type: 'user', id: `user-${i % 1000}`, ip: `10.0.${(i >> 8) & 255}.${i & 255}`, user_agent: 'bench/1.0' },
    action: 'document.read', target: { type: 'document', id: `doc-${i}` }, outcome: 'success',
    details: { classification: 'internal', domain: 'compliance', bytes: i * 7 },
  };
}

function makeAudit(db: Db) {
  return createAudit({ db, signer: testSigner('bench:1', SIGNER_PEM), clock: systemClock, config: { checkpointEvery: 1000, checkpointSeconds: 3600, retentionDays: 400 } });
}

async function timed(fn: (i: number) => Promise<number>): Promise<number> {
  const end = Date.now() + DURATION_MS;
  const t0 = performance.now();
  let n = 0;
  let i = 0;
  while (Date.now() < end) n += await fn(i++);
  return Math.round(n / ((performance.now() - t0) / 1000));
}

async function plainInsert(db: Db, batch: number, seq: { v: number }): Promise<number> {
  const params: unknown[] = [];
  const values: string[] = [];
  for (let k = 0; k < batch; k++) {
    const e = entry(seq.v);
    const b = params.length;
    values.push(`($${b + 1},$${b + 2},$${b + 3})`);
    const text = canonicalEntry({ seq: seq.v, occurred_at: new Date().toISOString(), actor: { type: e.actor.type, id: e.actor.id ?? null, ip: e.actor.ip ?? null, user_agent: e.actor.user_agent ?? null },
      action: e.action, target: { type: e.target!.type, id: e.target!.id ?? null }, outcome: e.outcome, details: e.details ?? {} });
    params.push(seq.v++, text, 'x'.repeat(64));
  }
  await db.tx((tx) => tx.query(`INSERT INTO audit_plain (seq, entry, hash) VALUES ${values.join(',')}`, params));
  return batch;
}

async function appendRates(db: Db) {
  await db.exec('CREATE TABLE IF NOT EXISTS audit_plain (LIKE audit_entries INCLUDING ALL)');
  const audit = makeAudit(db);
  const seq = { v: 1 };
  const plain1 = await timed(() => plainInsert(db, 1, seq));
  const chained1 = await timed((i) => audit.record(entry(i)).then((r) => r.length));
  const plain100 = await timed(() => plainInsert(db, 100, seq));
  const chained100 = await timed((i) => audit.record(Array.from({ length: 100 }, (_, k) => entry(i * 100 + k))).then((r) => r.length));
  const v = await audit.verify();
  return {
    plain_inserts_per_s: { batch_1: plain1, batch_100: plain100 },
    chained_appends_per_s: { batch_1: chained1, batch_100: chained100 },
    ratio_vs_plain: { batch_1: +(chained1 / plain1).toFixed(3), batch_100: +(chained100 / plain100).toFixed(3) },
    chain_ok: v.ok,
  };
}

async function freshSchema(): Promise<{ db: Db; schema: string; drop: () => Promise<void> }> {
  const schema = `bench_${randomBytes(4).toString('hex')}`;
  const c = new pg.Client({ connectionString: PG_URL });
  await c.connect();
  await c.query(`CREATE SCHEMA ${schema}`);
  await c.end();
  const db = await openPostgres(PG_URL, { searchPath: schema, max: 4 });
  await migrate(db);
  return { db, schema, drop: async () => {
    await db.close();
    const d = new pg.Client({ connectionString: PG_URL });
    await d.connect();
    await d.query(`DROP SCHEMA ${schema} CASCADE`);
    await d.end();
  } };
}

/** Child: appends batches of 1 for DURATION_MS into the given schema, prints its count. */
async function child(schema: string, batch: number): Promise<void> {
  const db = await openPostgres(PG_URL, { searchPath: schema, max: 2 });
  const audit = makeAudit(db);
  const n = await timed((i) => audit.record(Array.from({ length: batch }, (_, k) => entry(i * batch + k))).then((r) => r.length));
  process.stdout.write(JSON.stringify({ rate: n }) + '\n');
  await db.close();
}

async function twoProcesses(schema: string, batch: number): Promise<number> {
  const self = fileURLToPath(import.meta.url);
  const runs = [0, 1].map(() => new Promise<number>((resolve, reject) => {
    const p = spawn(process.execPath, ['--import', new URL('../bin/ts-loader.mjs', import.meta.url).href, self, '--child', schema, String(batch)], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, WARDEN_BENCH_SIGNER_PEM: SIGNER_PEM } });
    let out = '';
    p.stdout.on('data', (d) => { out += d; });
    p.on('exit', (code) => (code === 0 ? resolve((JSON.parse(out.trim()) as { rate: number }).rate) : reject(new Error(`child exited ${code}`))));
  }));
  const rates = await Promise.all(runs);
  return rates.reduce((a, b) => a + b, 0);
}

async function verifySpeed(db: Db) {
  const audit = makeAudit(db);
  const t0 = performance.now();
  for (let i = 0; i < VERIFY_ENTRIES; i += 1000) {
    await audit.record(Array.from({ length: Math.min(1000, VERIFY_ENTRIES - i) }, (_, k) => entry(i + k)));
  }
  const fillSeconds = (performance.now() - t0) / 1000;
  const t1 = performance.now();
  const v = await audit.verify();
  const secs = (performance.now() - t1) / 1000;
  const t2 = performance.now();
  const x = await audit.verify({ exact: true });
  const xsecs = (performance.now() - t2) / 1000;
  return {
    entries: v.entries, ok: v.ok && x.ok,
    verify_entries_per_s: Math.round(v.entries / secs), verify_seconds: +secs.toFixed(2),
    exact_walk_entries_per_s: Math.round(x.entries / xsecs), exact_walk_seconds: +xsecs.toFixed(2),
    fill_entries_per_s_batch_1000: Math.round(VERIFY_ENTRIES / fillSeconds),
  };
}

export async function run(): Promise<Record<string, unknown>> {
  const lite = await openPglite();
  await migrate(lite);
  const pglite = await appendRates(lite);
  await lite.close();

  const a = await freshSchema();
  const postgres = await appendRates(a.db);
  await a.drop();

  const b = await freshSchema();
  const two1 = await twoProcesses(b.schema, 1);
  const two100 = await twoProcesses(b.schema, 100);
  const okTwo = (await makeAudit(b.db).verify()).ok;
  await b.drop();

  const c = await freshSchema();
  const verify = await verifySpeed(c.db);
  await c.drop();

  return {
    duration_s_per_figure: DURATION_MS / 1000,
    pglite, postgres,
    postgres_two_processes: { chained_appends_per_s: { batch_1: two1, batch_100: two100 }, chain_ok: okTwo },
    verify_postgres: verify,
    targets: { chained_vs_plain: '>= 0.5', verify_entries_per_s: '>= 300000' },
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  if (process.argv[2] === '--child') await child(process.argv[3], Number(process.argv[4]));
  else process.stdout.write(JSON.stringify({ bench: 'audit', ...(await run()) }) + '\n');
}
