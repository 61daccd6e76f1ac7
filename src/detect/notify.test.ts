import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Db } from '../db/types.js';
import { openTestDb } from '../../test/helpers/db.js';
import { openProcess } from './fakes.test-helpers.js';
import { ev } from './testing.js';

let db: Db;
let http: Server;
let base = '';
let failNext = 0;
const hits: Array<{ path: string; headers: IncomingMessage['headers']; body: string }> = [];
let smtp: SMTPServer;
let smtpPort = 0;
const mails: Array<{ from: string; to: string[]; data: string; user?: string }> = [];

beforeAll(async () => {
  db = await openTestDb();
  http = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => {
      if (failNext > 0) { failNext--; res.writeHead(503).end('busy'); return; }
      hits.push({ path: req.url ?? '', headers: req.headers, body });
      res.writeHead(req.url?.includes('Messages.json') ? 201 : 200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  smtp = new SMTPServer({
    authOptional: false, disabledCommands: ['STARTTLS'], allowInsecureAuth: true,
    onAuth(auth, _s, cb) { return auth.username === 'alerts' && auth.password === 'smtp-pass' ? cb(null, { user: 'alerts' }) : cb(new Error('bad auth')); },
    onData(stream, session, cb) {
      let data = '';
      stream.on('data', (c) => { data += c; });
      stream.on('end', () => {
        mails.push({ from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((r) => r.address), data, user: session.user as string });
        cb();
      });
    },
  });
  await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', () => r()));
  smtpPort = (smtp.server.address() as AddressInfo).port;
});
afterAll(async () => {
  await new Promise((r) => http.close(r));
  await new Promise((r) => smtp.close(() => r(undefined)));
  await db?.close();
});

const fails = (user: string, ip: string, n: number, at = '2026-03-01T12:00:0') =>
  Array.from({ length: n }, (_, x) => ({ type: 'auth.login.failure', time: `${at}${x}Z`, user, src_ip: ip }));

describe('notifications', () => {
  it('delivers to email, Slack, SMS and a signed webhook; SMS only for high and critical; secrets never shown', async () => {
    const p = openProcess(db);
    const mail = await p.detect.createChannel({ name: 'soc-mail', kind: 'email', min_severity: 'low', secret: 'smtp-pass',
      config: { host: '127.0.0.1', port: smtpPort, username: 'alerts', from: 'warden@example.org', to: ['soc@example.org'] } });
    const slackUrl = `${base}/slack/T000/B000/XXXX`;
    await p.detect.createChannel({ name: 'slack', kind: 'slack', min_severity: 'medium', secret: slackUrl });
    const sms = await p.detect.createChannel({ name: 'oncall-sms', kind: 'sms', min_severity: 'low', secret: 'tw-token',
      config: { url: base, account_sid: 'AC123', from: '+15550001', to: ['+15550002'] } });
    const hook = await p.detect.createChannel({ name: 'siem', kind: 'webhook', min_severity: 'medium', config: { url: `${base}/hook` } });
    expect(hook.secret).toMatch(/^whsec_/);
    expect(sms.severities).toEqual(['high', 'critical']);
    const listed = JSON.stringify(await p.detect.listChannels());
    for (const s of ['smtp-pass', 'tw-token', slackUrl, hook.secret!]) expect(listed).not.toContain(s);
    expect(listed).toContain('"has_secret":true');
    expect(JSON.stringify(await db.query('SELECT secret FROM detect_channels'))).not.toContain('smtp-pass');

    // a medium alert: unusual access (4 IPs) → mail, slack, webhook; not SMS
    await p.detect.ingest(['1', '2', '3', '4'].map((x, n) => ({ type: 'auth.login.success', user: 'dora', src_ip: `10.1.0.${x}`, time: `2026-03-01T12:30:0${n}Z` })));
    await p.events.drain();
    expect(await p.detect.deliverNow()).toBe(3);
    expect(hits.filter((h) => h.path.includes('Messages.json'))).toHaveLength(0);

    const wh = hits.find((h) => h.path === '/hook')!;
    vi.useFakeTimers({ toFake: ['Date'], now: p.clock() }); // the verifier checks the timestamp against its own clock
    const verified = new Webhook(hook.secret!).verify(wh.body, {
      'webhook-id': wh.headers['webhook-id'] as string, 'webhook-timestamp': wh.headers['webhook-timestamp'] as string,
      'webhook-signature': wh.headers['webhook-signature'] as string,
    }) as { type: string; data: { rule: string } };
    expect(verified).toMatchObject({ type: 'alert.opened', data: { rule: 'unusual_access' } });
    expect(() => new Webhook(hook.secret!).verify(wh.body + ' ', {
      'webhook-id': wh.headers['webhook-id'] as string, 'webhook-timestamp': wh.headers['webhook-timestamp'] as string,
      'webhook-signature': wh.headers['webhook-signature'] as string,
    })).toThrow();
    vi.useRealTimers();
    expect(JSON.parse(hits.find((h) => h.path.startsWith('/slack'))!.body).text).toContain('Unusual access');
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({ from: 'warden@example.org', to: ['soc@example.org'], user: 'alerts' });
    expect(mails[0].data).toContain('Subject: [Warden MEDIUM] Unusual access');

    // a high alert: brute force → SMS too
    await p.detect.ingest(fails('eve', '203.0.113.77', 5));
    await p.events.drain();
    await p.detect.deliverNow();
    const smsHit = hits.find((h) => h.path === '/2010-04-01/Accounts/AC123/Messages.json')!;
    expect(smsHit.headers.authorization).toBe('Basic ' + Buffer.from('AC123:tw-token').toString('base64'));
    expect(new URLSearchParams(smsHit.body).get('To')).toBe('+15550002');
    const delivered = await p.detect.listDeliveries({ status: 'delivered' });
    expect(delivered.length).toBeGreaterThanOrEqual(3 + 2 * 4);
    expect(mail.id).toBeTruthy();
  });

  it('retries with backoff from the outbox and keeps a delivery log', async () => {
    const p = openProcess(db);
    await db.query('UPDATE detect_channels SET enabled = false');
    const hook = await p.detect.createChannel({ name: 'flaky', kind: 'webhook', min_severity: 'critical', config: { url: `${base}/flaky` }, secret: 'whsec_' + Buffer.from('k'.repeat(32)).toString('base64') });
    failNext = 2;
    // Warden's own signal (an ingested `audit.chain_broken` would be re-typed and raise nothing)
    await db.tx((tx) => p.events.emitMany(tx, [ev('audit.chain_broken', 0, { base: '2026-03-01T12:40:00Z' })]));
    await p.events.drain();
    expect(await p.detect.deliverNow()).toBe(1);
    expect(await p.detect.deliverNow()).toBe(0); // not due yet: backoff
    p.clock.advance(5_000);
    expect(await p.detect.deliverNow()).toBe(1);
    p.clock.advance(9_000);
    expect(await p.detect.deliverNow()).toBe(0);
    p.clock.advance(1_000);
    expect(await p.detect.deliverNow()).toBe(1);
    const [d] = await p.detect.listDeliveries({ alert_id: (await p.detect.listAlerts({ rule: 'audit_chain_broken' }))[0].id });
    expect(d).toMatchObject({ channel_id: hook.id, status: 'delivered', attempts: 3 });
    expect(d.log.map((l) => l.ok)).toEqual([false, false, true]);
    expect(d.log[0].detail).toContain('HTTP 503');
  });
});
