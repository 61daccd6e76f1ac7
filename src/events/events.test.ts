import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { manualClock } from '../clock.js';
import type { Db } from '../db/types.js';
import { openTestDb } from '../../test/helpers/db.js';
import { createEvents, type SecurityEvent, type StoredEvent } from './index.js';

const ev = (n: number, type = 'auth.login.failure'): SecurityEvent => ({
  type, class_uid: 3002, activity_id: 1, severity_id: 3, status: 'failure', source: 'warden',
  time: new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString(), user: { uid: `u${n}` }, src_endpoint: { ip: '192.0.2.1' },
});

describe('security-event outbox and bus', () => {
  let db: Db;
  beforeEach(async () => { db = await openTestDb(); });
  afterEach(async () => { await db.close(); });

  it('delivers committed events in order, never rolled-back ones', async () => {
    const bus = createEvents({ db, clock: manualClock() });
    const got: StoredEvent[] = [];
    bus.subscribe('t', async (_tx, es) => { got.push(...es); });
    await db.tx((tx) => bus.emitMany(tx, [ev(1), ev(2)]));
    await expect(db.tx(async (tx) => { await bus.emit(tx, ev(3)); throw new Error('rollback'); })).rejects.toThrow();
    await db.tx((tx) => bus.emit(tx, ev(4)));
    await bus.drain();
    expect(got.map((e) => e.user?.uid)).toEqual(['u1', 'u2', 'u4']);
    expect(got[0].id).toMatch(/^\d+$/);
  });

  it('writes its cursor row once, and writes it again if it is gone (delivery goes on)', async () => {
    const bus = createEvents({ db, clock: manualClock() });
    const got: string[] = [];
    bus.subscribe('t', async (_tx, es) => { got.push(...es.map((e) => e.user!.uid!)); });
    await db.tx((tx) => bus.emit(tx, ev(1)));
    await bus.drain();
    await db.query(`DELETE FROM event_cursors WHERE consumer = 't'`);
    await db.tx((tx) => bus.emit(tx, ev(2)));
    await bus.drain(); // this pass finds no cursor row: the next one writes it again, from the start
    await bus.drain();
    expect(got).toEqual(['u1', 'u1', 'u2']);
  });

  it('delivers in numeric transaction order when the ids cross a power of ten (9 → 10, 99 → 100)', async () => {
    // The server's transaction ids gain a digit now and then, and as text '100' < '99'. The events get chosen
    // transaction ids straddling such boundaries (below any running one, so deliverable), two per transaction.
    const bus = createEvents({ db, clock: manualClock() });
    const got: string[] = [];
    bus.subscribe('t', async (_tx, es) => { got.push(...es.map((e) => e.user!.uid!)); }, { batchSize: 2 });
    const txIds = [8, 9, 10, 11, 98, 99, 100, 101];
    let n = 0;
    for (const x of txIds) {
      await db.tx(async (tx) => {
        await bus.emitMany(tx, [ev(n++), ev(n++)]);
        await tx.query('UPDATE security_events SET tx_id = $1::xid8 WHERE tx_id = pg_current_xact_id()', [String(x)]);
      });
      if (x === 99) await bus.drain(); // the cursor then stands at a two-digit id while three-digit ones wait
    }
    await bus.drain();
    expect(got).toEqual(Array.from({ length: n }, (_, i) => `u${i}`));
  });

  it('resumes after the last delivered event when a new process subscribes with the same name', async () => {
    const first = createEvents({ db, clock: manualClock() });
    const a: string[] = [];
    first.subscribe('detect', async (_tx, es) => { a.push(...es.map((e) => e.user!.uid!)); });
    await db.tx((tx) => first.emitMany(tx, [ev(1), ev(2)]));
    await first.drain();
    await db.tx((tx) => first.emitMany(tx, [ev(3)]));
    const second = createEvents({ db, clock: manualClock() });
    const b: string[] = [];
    second.subscribe('detect', async (_tx, es) => { b.push(...es.map((e) => e.user!.uid!)); });
    await second.drain();
    expect(a).toEqual(['u1', 'u2']);
    expect(b).toEqual(['u3']);
  });

  it('redelivers a batch whose handler failed, and keeps separate cursors per consumer', async () => {
    const bus = createEvents({ db, clock: manualClock() });
    let calls = 0;
    const ok: string[] = [];
    const other: string[] = [];
    bus.subscribe('flaky', async (tx, es) => {
      await tx.query('SELECT 1');
      if (calls++ === 0) throw new Error('transient');
      ok.push(...es.map((e) => e.user!.uid!));
    });
    bus.subscribe('other', async (_tx, es) => { other.push(...es.map((e) => e.user!.uid!)); });
    await db.tx((tx) => bus.emitMany(tx, [ev(1), ev(2)]));
    await bus.drain(); // waits out the failed consumer's backoff
    expect(other).toEqual(['u1', 'u2']);
    expect(calls).toBe(2);
    expect(ok).toEqual(['u1', 'u2']);
  });
});
