import { mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../db/types.js';
import { WardenError } from '../errors.js';
import { openTestDb } from '../../test/helpers/db.js';
import { runIngestCli } from './cli.js';
import { openProcess } from './fakes.test-helpers.js';
import { detectRoutes } from './routes.js';

let db: Db;
const dir = mkdtempSync(join(tmpdir(), 'detect-cli-'));
const capture = () => { const s = new PassThrough(); let text = ''; s.on('data', (c) => { text += c; }); return { s, text: () => text }; };
const LOG = [
  ...[1, 2, 3, 4].map((n) => `Dec 30 23:59:5${n} gw sshd[77]: Failed password for invalid user oracle from 203.0.113.200 port 4${n}000 ssh2`),
  'Dec 30 23:59:59 gw sshd[77]: message repeated 2 times: [ Failed password for invalid user oracle from 203.0.113.200 port 41000 ssh2]',
  'Dec 31 00:00:30 gw sshd[78]: Accepted password for oracle from 203.0.113.200 port 45000 ssh2',
  'Dec 31 00:00:31 gw systemd[1]: Started Session 4 of user oracle.',
  'garbage',
].join('\n');

beforeAll(async () => { db = await openTestDb(); });
afterAll(async () => { await db?.close(); });

describe('warden ingest', () => {
  it('parses an sshd log into the local database and reports lines, events, skipped lines and alerts', async () => {
    const file = join(dir, 'auth.log');
    writeFileSync(file, LOG);
    utimesSync(file, new Date('2025-12-31T10:00:00Z'), new Date('2025-12-31T10:00:00Z'));
    const p = openProcess(db);
    const out = capture(); const err = capture();
    const code = await runIngestCli({ format: 'sshd', file, detect: p.detect, drain: () => p.events.drain(), stdout: out.s, stderr: err.s });
    expect(err.text()).toBe('');
    expect(code).toBe(0);
    // brute force per user and per IP, password spraying no (one user), takeover per user and per IP
    expect(out.text().trim()).toBe('lines read: 8, events: 7, skipped lines: 2, alerts raised: 4');
    const [takeover] = await p.detect.listAlerts({ rule: 'brute_force_success', user: 'oracle' });
    expect(takeover).toMatchObject({ severity: 'critical', first_seen: '2025-12-30T23:59:51.000Z' });
  });

  it('reads NDJSON from stdin and counts bad lines without failing', async () => {
    const p = openProcess(db);
    const stdin = new PassThrough();
    stdin.end('{"type":"data.export","user":"x","time":"2026-01-01T00:00:00Z"}\nnot json\n{"time":"bad"}\n');
    const out = capture();
    expect(await runIngestCli({ format: 'ndjson', file: '-', stdin, detect: p.detect, stdout: out.s, stderr: capture().s })).toBe(0);
    expect(out.text()).toContain('lines read: 3, events: 1, skipped lines: 2');
  });

  it('says clearly when a running server holds the data folder', async () => {
    const err = capture();
    const code = await runIngestCli({ format: 'sshd', file: '-', stdin: new PassThrough(), stdout: capture().s, stderr: err.s,
      open: async () => { throw new WardenError('DATA_DIR_LOCKED', 'locked', 409); } });
    expect(code).toBe(1);
    expect(err.text()).toContain('held by a running Warden server');
  });

  it('sends to a running Warden with --url and --api-key', async () => {
    const p = openProcess(db);
    const app = Fastify();
    const guard = { require: () => async (req: { headers: Record<string, unknown>; principal?: unknown }) => {
      if (req.headers.authorization !== 'Bearer k-123') throw new WardenError('UNAUTHENTICATED', 'no', 401);
      req.principal = { type: 'api_key', id: 'cli', roles: [] };
    } };
    await app.register(detectRoutes({ detect: p.detect, guard: guard as never }));
    const url = await app.listen({ host: '127.0.0.1', port: 0 });
    try {
      const file = join(dir, 'auth2.log');
      writeFileSync(file, LOG);
      const out = capture();
      expect(await runIngestCli({ format: 'sshd', file, year: 2025, url, apiKey: 'k-123', stdout: out.s, stderr: capture().s })).toBe(0);
      expect(out.text()).toContain('events: 7, skipped lines: 2, alerts raised: n/a');
      const stored = await db.query<{ n: string }>("SELECT count(*)::text AS n FROM security_events WHERE source = 'sshd' AND event->'unmapped'->>'host' = 'gw'");
      expect(Number(stored.rows[0].n)).toBe(14);
      const bad = capture();
      expect(await runIngestCli({ format: 'sshd', file, url, apiKey: 'wrong', stdout: capture().s, stderr: bad.s })).toBe(1);
      expect(bad.text()).toContain('server answered 401');
    } finally { await app.close(); }
  });
});
