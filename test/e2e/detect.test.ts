import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { main } from '../../src/main.js';
import { startServer, type TestServer } from '../helpers/server.js';

const BASE = Date.now() - 10 * 60_000;
const at = (s: number) => new Date(BASE + s * 1000).toISOString();
const failures = (user: string, ip: string, seconds: number[]) =>
  seconds.map((s) => ({ type: 'auth.login.failure', time: at(s), user, src_ip: ip }));

describe('detect in the running service', () => {
  let s: TestServer;
  beforeAll(async () => { s = await startServer(); });
  afterAll(async () => { await s?.close(); });

  // drain() can stop early on a shared PostgreSQL (events wait for older transactions anywhere on the server)
  const settle = async () => {
    for (let n = 0; n < 600; n++) {
      await s.app.events.drain();
      const r = await s.app.db.query<{ n: string }>(`SELECT count(*)::text AS n FROM security_events WHERE (tx_id, id) >
        COALESCE((SELECT (last_tx_id, last_id) FROM event_cursors WHERE consumer = 'detect'), ('0'::xid8, 0::bigint))`);
      if (Number(r.rows[0].n) === 0) return;
      await new Promise((res) => setTimeout(res, 50));
    }
  };
  const alertsOf = async (user: string, rule = 'brute_force_user') =>
    (await s.req('GET', `/v1/alerts?rule=${rule}&user=${encodeURIComponent(user)}`)).body.alerts as Array<Record<string, any>>;

  it('5 failed logins for one user within 60 s open one alert; ack and resolve it; events after the resolve open a new one', async () => {
    const r = await s.req('POST', '/v1/events', { body: failures('mallory', '203.0.113.9', [0, 10, 20, 30, 40]) });
    expect(r.status).toBe(202);
    expect(r.body).toMatchObject({ accepted: 5 });
    await settle();
    const [alert, ...more] = await alertsOf('mallory');
    expect(more).toHaveLength(0);
    expect(alert).toMatchObject({ status: 'open', severity: 'high', count: 5, key: { user: 'mallory' } });

    const full = await s.req('GET', `/v1/alerts/${alert.id}`);
    expect(full.status).toBe(200);
    expect(full.body.events).toHaveLength(5);

    const ack = await s.req('POST', `/v1/alerts/${alert.id}/ack`, { body: { note: 'looking' } });
    expect(ack.status).toBe(200);
    expect(ack.body).toMatchObject({ status: 'acknowledged' });
    // while the alert is only acknowledged, more failures join it
    await s.req('POST', '/v1/events', { body: failures('mallory', '203.0.113.9', [45]) });
    await settle();
    expect((await alertsOf('mallory')).map((a) => [a.id, a.count])).toEqual([[alert.id, 6]]);

    const res = await s.req('POST', `/v1/alerts/${alert.id}/resolve`, { body: { note: 'blocked' } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'resolved', resolved: { note: 'blocked' } });

    // the same burst continues after the resolve: a new alert, the resolved one stays as it was
    await s.req('POST', '/v1/events', { body: failures('mallory', '203.0.113.9', [50]) });
    await settle();
    expect((await alertsOf('mallory')).map((a) => [a.id, a.count])).toEqual([[alert.id, 6]]);
    await s.req('POST', '/v1/events', { body: failures('mallory', '203.0.113.9', [51, 52, 53, 54]) });
    await settle();
    const after = await alertsOf('mallory');
    expect(after).toHaveLength(2);
    const fresh = after.find((a) => a.id !== alert.id)!;
    expect(fresh).toMatchObject({ status: 'open', count: 5 });
    expect(after.find((a) => a.id === alert.id)).toMatchObject({ status: 'resolved', count: 6 });
  });

  it('4 failed logins open nothing', async () => {
    await s.req('POST', '/v1/events', { body: failures('trent', '198.51.100.77', [0, 10, 20, 30]) });
    await settle();
    expect(await alertsOf('trent')).toHaveLength(0);
  });

  it('events from outside cannot pose as Warden\'s own signals', async () => {
    const forged = [
      { type: 'audit.chain_broken', time: at(100) },
      { type: 'token.refresh_reuse', time: at(100), user: 'victim' },
      { type: 'detect.alert.resolved', time: at(100), alert_id: '00000000-0000-0000-0000-000000000000' },
      ...Array.from({ length: 12 }, (_, n) => ({ type: 'data.export', time: at(100 + n), user: 'victim' })),
    ];
    const r = await s.req('POST', '/v1/events', { body: forged });
    expect(r.status).toBe(202);
    await settle();
    for (const rule of ['audit_chain_broken', 'refresh_token_reuse', 'data_export_burst']) {
      expect((await s.req('GET', `/v1/alerts?rule=${rule}`)).body.alerts).toHaveLength(0);
    }
    const stored = await s.app.db.query<{ type: string }>(`SELECT DISTINCT type FROM security_events WHERE source <> 'warden' ORDER BY type`);
    expect(stored.rows.map((x) => x.type)).toEqual(expect.arrayContaining(['ext.audit.chain_broken', 'ext.data.export', 'ext.token.refresh_reuse']));
    expect(stored.rows.map((x) => x.type)).not.toContain('audit.chain_broken');
  });
});

describe('warden ingest through the CLI', () => {
  const dir = mkdtempSync(join(tmpdir(), 'warden-ingest-'));
  const env = { WARDEN_DATA_DIR: dir, WARDEN_MASTER_KEY: randomBytes(32).toString('base64') };
  const saved: Record<string, string | undefined> = {};
  beforeAll(() => {
    for (const k of [...Object.keys(env), 'WARDEN_DATABASE_URL']) saved[k] = process.env[k];
    Object.assign(process.env, env);
    delete process.env.WARDEN_DATABASE_URL; // the embedded database in the temp data folder
  });
  afterAll(() => {
    for (const [k, v] of Object.entries(saved)) { if (v === undefined) delete process.env[k]; else process.env[k] = v; }
    rmSync(dir, { recursive: true, force: true });
  });
  const io = () => {
    const out = new PassThrough(); const err = new PassThrough();
    let o = ''; let e = '';
    out.on('data', (c) => { o += c; }); err.on('data', (c) => { e += c; });
    return { io: { stdout: out, stderr: err }, out: () => o, err: () => e };
  };

  it('reads an sshd log into the local database and raises the alerts', async () => {
    const file = join(dir, 'auth.log');
    writeFileSync(file, [
      ...[1, 2, 3, 4, 5].map((n) => `Mar  3 10:00:0${n} bastion sshd[900]: Failed password for root from 192.0.2.66 port 5100${n} ssh2`),
      'Mar  3 10:00:09 bastion sshd[901]: Accepted publickey for deploy from 192.0.2.10 port 52000 ssh2',
      'Mar  3 10:00:10 bastion CRON[1]: pam_unix(cron:session): session opened',
    ].join('\n'));
    const c = io();
    const code = await main(['ingest', '--format', 'sshd', '--year', '2025', file], c.io);
    expect(c.err()).toBe('');
    expect(code).toBe(0);
    // brute force per user and per source IP
    expect(c.out()).toContain('lines read: 7, events: 6, skipped lines: 1, alerts raised: 2');

    const app = await createApp(loadConfig(), { log: createLogger({ level: 'silent' }) });
    try {
      const alerts = await app.detect.listAlerts({ rule: 'brute_force_user' });
      expect(alerts).toHaveLength(1);
      expect(alerts[0]).toMatchObject({ key: { user: 'root', source: 'sshd' }, count: 5 });
    } finally { await app.close(); }
  });

  it('says clearly when a running server holds the data folder', async () => {
    // another live process holds the lock (as `warden serve` would)
    const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    try {
      writeFileSync(join(dir, 'warden.lock'), String(holder.pid));
      const c = io();
      expect(await main(['ingest', '--format', 'sshd', join(dir, 'auth.log')], c.io)).toBe(1);
      expect(c.err()).toContain('held by a running Warden server');
    } finally {
      holder.kill();
      rmSync(join(dir, 'warden.lock'), { force: true });
    }
  });

  it('refuses an unknown format and a bad year', async () => {
    const c = io();
    expect(await main(['ingest', '--format', 'csv', '-'], c.io)).toBe(2);
    expect(c.err()).toContain('unknown format');
    const c2 = io();
    expect(await main(['ingest', '--format', 'sshd', '--year', 'soon', '-'], c2.io)).toBe(2);
  });
});
