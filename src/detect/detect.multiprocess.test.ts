import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate, openPostgres } from '../db/index.js';
import type { Db } from '../db/types.js';
import { openProcess } from './fakes.test-helpers.js';

const URL = process.env.WARDEN_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const schema = `detect_${randomBytes(5).toString('hex')}`;
let reachable = false;
let dbA: Db;
let dbB: Db;

beforeAll(async () => {
  const c = new pg.Client({ connectionString: URL, connectionTimeoutMillis: 2000 });
  try { await c.connect(); await c.query(`CREATE SCHEMA ${schema}`); reachable = true; } catch { return; } finally { await c.end().catch(() => undefined); }
  dbA = await openPostgres(URL, { searchPath: schema, max: 4 });
  dbB = await openPostgres(URL, { searchPath: schema, max: 4 });
  await migrate(dbA);
});
afterAll(async () => {
  if (!reachable) return;
  await dbA.close(); await dbB.close();
  const c = new pg.Client({ connectionString: URL });
  await c.connect(); await c.query(`DROP SCHEMA ${schema} CASCADE`); await c.end();
});

describe('two processes on one PostgreSQL', () => {
  it('evaluate each event once and never double an alert', async (ctx) => {
    // Without WARDEN_TEST_DATABASE_URL the local server is tried; when the run names a server, it must answer.
    if (!reachable && process.env.WARDEN_TEST_DATABASE_URL) throw new Error(`PostgreSQL at ${URL} is unreachable`);
    if (!reachable) ctx.skip();
    const a = openProcess(dbA);
    const b = openProcess(dbB);
    // 40 users × 7 failures, each failure its own transaction, alternating writers; then both drain at once.
    const users = Array.from({ length: 40 }, (_, u) => `user${u}`);
    for (let round = 0; round < 7; round++) {
      await Promise.all(users.map((u, x) => (x % 2 ? a : b).detect.ingest([{
        type: 'auth.login.failure', user: u, src_ip: `10.2.${x}.${round}`, time: `2026-03-01T12:00:${String(round * 5 + (x % 5)).padStart(2, '0')}Z`,
      }])));
      if (round === 3) await Promise.all([a.events.drain(), b.events.drain()]);
      else await (round % 2 ? a : b).events.drain(); // the processes take turns: each must see the other's state
    }
    await Promise.all([a.events.drain(), b.events.drain()]);
    // a drain that finds the cursor locked by the other process stops early: finish sequentially
    await a.events.drain();
    await b.events.drain();
    const alerts = await a.detect.listAlerts({ rule: 'brute_force_user', limit: 1000 });
    expect(alerts).toHaveLength(40);
    expect(new Set(alerts.map((x) => x.key.user)).size).toBe(40);
    for (const al of alerts) {
      expect(al.count).toBe(7);
      expect(new Set(al.evidence).size).toBe(7);
    }
    const handled = a.detect.stats().events + b.detect.stats().events;
    expect(handled).toBe(280);
    expect(a.detect.stats().events).toBeGreaterThan(0);
    expect(b.detect.stats().events).toBeGreaterThan(0);
  });
});
