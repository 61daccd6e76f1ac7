import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createAudit } from '../../src/audit/index.js';
import { systemClock } from '../../src/clock.js';
import { migrate, openDatabase, openPostgres } from '../../src/db/index.js';
import { createTestSchema } from '../helpers/db.js';
import { testSigner, testSignerPem } from '../helpers/signer.js';

const ROOT = new URL('../../', import.meta.url).pathname;
const PG = process.env.WARDEN_TEST_DATABASE_URL;
const dirs: string[] = [];
const tmp = () => { const d = mkdtempSync(join(tmpdir(), 'warden-proc-')); dirs.push(d); return d; };
const drops: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  for (const drop of drops) await drop();
});

function waitFor(p: ChildProcess, re: RegExp, ms = 60_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let buf = '';
    const t = setTimeout(() => reject(new Error(`timed out waiting for ${re}: ${buf.slice(-500)}`)), ms);
    const on = (d: Buffer) => { buf += d; const m = re.exec(buf); if (m) { clearTimeout(t); resolve(m[0]); } };
    p.stdout?.on('data', on);
    p.stderr?.on('data', on);
  });
}

async function freshSchemaUrl(): Promise<{ url: string; schema: string }> {
  const t = await createTestSchema(PG!, 'p');
  drops.push(t.drop);
  return t;
}

describe.skipIf(!!PG)('the embedded data folder', () => {
  it('refuses a second process while the first runs, and the first keeps serving', async () => {
    const dir = tmp();
    const env = { ...process.env, WARDEN_DATA_DIR: dir, WARDEN_PORT: '0', WARDEN_LOG_LEVEL: 'info' };
    const first = spawn(process.execPath, ['bin/warden.mjs', 'serve'], { cwd: ROOT, env });
    try {
      const line = await waitFor(first, /listening on (http:\/\/[\d.:]+)/);
      const url = /http:\/\/[\d.:]+/.exec(line)![0];
      const second = spawn(process.execPath, ['bin/warden.mjs', 'serve'], { cwd: ROOT, env });
      let err = '';
      second.stderr.on('data', (d) => { err += d; });
      const code = await new Promise<number>((r) => second.on('exit', (c) => r(c ?? -1)));
      expect(code).not.toBe(0);
      expect(err).toMatch(/in use by another Warden process/);
      expect(err).toMatch(/DATA_DIR_LOCKED/);
      const h = await fetch(`${url}/readyz`);
      expect(h.status).toBe(200);
    } finally {
      first.kill('SIGTERM');
      await new Promise((r) => first.on('exit', r));
    }
  });
});

describe('crash safety', () => {
  it('SIGKILL during a stream of appends loses no acknowledged entry and the chain verifies', async () => {
    const pem = testSignerPem();
    const dir = tmp();
    const target = PG ? await freshSchemaUrl() : null;
    const env = { ...process.env, WARDEN_DATA_DIR: dir, SIGNER_PEM: pem, WARDEN_DATABASE_URL: target?.url ?? '' };
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/helpers/append-child.ts'], { cwd: ROOT, env });
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    await waitFor(child, /ack 60\b/);
    child.kill('SIGKILL');
    await new Promise((r) => child.on('exit', r));
    const acked = [...out.matchAll(/ack (\d+)/g)].map((m) => Number(m[1]));
    expect(acked.length).toBeGreaterThanOrEqual(60);

    const db = await openDatabase({ databaseUrl: target?.url ?? null, dataDir: dir });
    try {
      const audit = createAudit({ db, signer: testSigner('crash:1', pem), clock: systemClock, config: { checkpointEvery: 25, checkpointSeconds: 3600, retentionDays: 400 } });
      const v = await audit.verify();
      expect(v.ok).toBe(true);
      expect(v.head_seq).toBeGreaterThanOrEqual(Math.max(...acked));
      const present = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_entries WHERE seq = ANY($1::bigint[])', [acked]);
      expect(present.rows[0].n).toBe(acked.length);
    } finally {
      await db.close();
    }
  });
});

describe.skipIf(!PG)('PostgreSQL with several processes', () => {
  it('applies migrations once when two processes start at once', async () => {
    const { schema } = await freshSchemaUrl();
    const a = await openPostgres(PG!, { searchPath: schema, max: 2 });
    const b = await openPostgres(PG!, { searchPath: schema, max: 2 });
    try {
      const [ra, rb] = await Promise.all([migrate(a), migrate(b)]);
      expect(ra.length + rb.length).toBe(Math.max(ra.length, rb.length));
      const n = await a.query<{ n: number }>('SELECT count(*)::int AS n FROM schema_migrations');
      expect(n.rows[0].n).toBe(ra.length + rb.length);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('keeps one linear chain when two processes append at once', async () => {
    const { schema } = await freshSchemaUrl();
    const pem = testSignerPem();
    const a = await openPostgres(PG!, { searchPath: schema, max: 4 });
    await migrate(a);
    const b = await openPostgres(PG!, { searchPath: schema, max: 4 });
    const mk = (db: typeof a) => createAudit({ db, signer: testSigner('two:1', pem), clock: systemClock, config: { checkpointEvery: 50, checkpointSeconds: 3600, retentionDays: 400 } });
    const [x, y] = [mk(a), mk(b)];
    try {
      await Promise.all([
        ...Array.from({ length: 40 }, (_, i) => x.record({ actor: { type: 'system' }, action: 'a', outcome: 'success', details: { i } })),
        ...Array.from({ length: 40 }, (_, i) => y.record([1, 2, 3].map((k) => ({ actor: { type: 'system' as const }, action: 'b', outcome: 'success' as const, details: { i, k } })))),
      ]);
      expect(await x.verify()).toMatchObject({ ok: true, entries: 160, head_seq: 160 });
    } finally {
      await a.close();
      await b.close();
    }
  });
});
