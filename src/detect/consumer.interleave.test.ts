import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb } from '../../test/helpers/db.js';
import { manualClock } from '../clock.js';
import type { Db } from '../db/types.js';
import * as events from '../events/store.js';
import { CONSUMER, createConsumer } from './consumer.js';
import { createEngine } from './engine.js';
import { normalizeExternal } from './parsers/external.js';
import { mergeRules } from './rules.js';
import * as store from './store.js';
import { EVIDENCE_CAP, type DetectEvent, type SecurityEvent } from './types.js';

let db: Db;
beforeAll(async () => { db = await openTestDb(); });
afterAll(async () => { await db?.close(); });

/** A small seeded PRNG (mulberry32): a failing seed replays exactly. */
function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Three detect consumers ("processes") take the outbox's batches in a random order, with random batch sizes,
 * snapshot cadences and batches that fail after the handler ran (rolled back), while events keep arriving. Whatever
 * the interleaving — rebuilds from snapshot + replay, snapshots taken right after a rebuild, retried batches — the
 * stored alerts must be exactly those one engine computes over the whole stream in delivery order.
 * The events' transaction ids are chosen (long-finished ones, from 90 on) so the stream crosses 99 → 100: as text
 * '100' sorts before '99', and ordering the stream by the text form once doubled and lost alert counts.
 */
describe('detect consumers taking turns in any order', () => {
  it('store exactly the alerts one engine computes over the whole stream', async () => {
    const clock = manualClock('2026-03-01T13:00:00Z');
    const rules = mergeRules([]);
    for (let seed = 1; seed <= 6; seed++) {
      const rand = rng(seed);
      await db.exec(`DELETE FROM detect_alerts; DELETE FROM detect_state; DELETE FROM security_events; DELETE FROM event_cursors;
        UPDATE detect_meta SET version = 0, owner = NULL, snap_tx_id = '0', snap_id = 0, snap_watermarks = '{}'`);
      const procs = [0, 1, 2].map(() => createConsumer({ clock, loadRules: async () => rules, snapshotBatches: 1 + Math.floor(rand() * 3), snapshotMs: 3_600_000 }));
      await events.ensureCursor(db, CONSUMER);
      // One batch as the outbox runs it (events/index.ts pumpOne), by process p; `fail` rolls it back after the handler.
      const pump = (p: number, size: number, fail: boolean) => db.tx(async (tx) => {
        const cur = await events.claimCursor(tx, CONSUMER);
        const rows = cur ? await events.readAfter(tx, cur, size) : [];
        if (!rows.length) return 0;
        await procs[p].handle(tx, rows.map(({ _tx, ...e }) => e) as DetectEvent[]);
        if (fail) throw new Error('injected');
        const last = rows[rows.length - 1];
        await events.advanceCursor(tx, CONSUMER, last._tx, Number(last.id));
        return rows.length;
      }).catch((e: Error) => { if (e.message !== 'injected') throw e; return 0; });
      let txId = 90;
      for (let step = 0; step < 40; step++) {
        const batch: SecurityEvent[] = [];
        for (let n = Math.floor(rand() * 6); n > 0; n--) {
          const t = Date.parse('2026-03-01T12:00:00Z') + (step * 4 + Math.floor(rand() * 8)) * 1000;
          const r = normalizeExternal({ type: 'auth.login.failure', user: `u${Math.floor(rand() * 5)}`, src_ip: `10.0.0.${Math.floor(rand() * 3)}`, time: new Date(t).toISOString() }, 'api', clock());
          if (r.ok) batch.push(r.event);
        }
        if (batch.length) {
          await db.tx(async (tx) => {
            await events.insertEvents(tx, batch);
            await tx.query('UPDATE security_events SET tx_id = $1::xid8 WHERE tx_id = pg_current_xact_id()', [String(txId++)]);
          });
        }
        for (let k = Math.floor(rand() * 3); k > 0; k--) await pump(Math.floor(rand() * 3), 1 + Math.floor(rand() * 6), rand() < 0.1);
      }
      while ((await pump(Math.floor(rand() * 3), 5, false)) > 0);
      expect(txId).toBeGreaterThan(101);

      // The delivery order, sorted here by number (not by the stores' queries, which are under test).
      const rows = (await db.query<{ id: number; x: string; event: SecurityEvent | string }>('SELECT id, tx_id::text AS x, event FROM security_events')).rows;
      rows.sort((a, b) => Number(a.x) - Number(b.x) || Number(a.id) - Number(b.id));
      const all = rows.map((r) => ({ ...(typeof r.event === 'string' ? JSON.parse(r.event) : r.event), id: String(r.id) }) as DetectEvent);
      const want = new Map<string, { count: number; evidence: string[] }>();
      for (const c of createEngine(rules, { clock }).process(all)) {
        want.set(c.alert.id, { count: c.alert.count, evidence: [...(want.get(c.alert.id)?.evidence ?? []), ...c.added_evidence].slice(0, EVIDENCE_CAP) });
      }
      const got = new Map((await store.listAlerts(db, { limit: 1000 })).map((a) => [a.id, { count: a.count, evidence: a.evidence }]));
      expect(want.size).toBeGreaterThan(3);
      expect({ seed, alerts: Object.fromEntries(got) }).toEqual({ seed, alerts: Object.fromEntries(want) });
    }
  });
});
