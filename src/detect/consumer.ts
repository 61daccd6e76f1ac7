import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock.js';
import type { Queryable } from '../db/types.js';
import { createEngine, type Engine } from './engine.js';
import type { LogPort } from './ports.js';
import * as store from './store.js';
import * as notify from './store-notify.js';
import type { AlertChange, DetectEvent, Rule } from './types.js';

const REPLAY_PAGE = 5000;
export const CONSUMER = 'detect';

export interface ConsumerDeps {
  clock: Clock;
  log?: LogPort;
  loadRules(q: Queryable): Promise<Rule[]>;
  lateness?: number;
  /** Snapshot the changed keys after this many batches or this many ms, whichever comes first (defaults 100 / 10,000). */
  snapshotBatches?: number;
  snapshotMs?: number;
  /** Called after a batch's changes are written (same transaction). */
  onChanges?(changes: AlertChange[]): void;
}

/**
 * The detect consumer of the event outbox. Every batch runs in the outbox's transaction, so the cursor and the
 * alerts move together: exactly once. The engine state lives in this process's memory; detect_state holds a
 * snapshot of it, written every few batches or seconds, and detect_meta says up to which event the snapshot goes.
 * A process whose memory is not current (a restart, or another process handled batches since: detect_meta's
 * owner/version) rebuilds from the snapshot plus a replay of the stored events after it — the engine is
 * deterministic, alert ids included, so the replay rebuilds the same windows and episodes and writes nothing.
 */
export function createConsumer(deps: ConsumerDeps) {
  const me = randomUUID();
  const everyBatches = deps.snapshotBatches ?? 100;
  const everyMs = deps.snapshotMs ?? 10_000;
  let engine: Engine | null = null;
  let rulesVersion = -1;
  let myVersion = -1;
  let sinceSnapshot = 0;
  let snapshotAt = 0;
  const totals = { events: 0, opened: 0, attached: 0, replayed: 0, snapshots: 0, full_snapshots: 0 };

  const withIds = (events: DetectEvent[]) => events.map((e) => (typeof e.id === 'string' ? e : { ...e, id: String(e.id) }));

  /** Snapshot + replay of the events handled since it (by this process before a restart, or by another). */
  async function rebuild(tx: Queryable, e: Engine, meta: store.Meta): Promise<void> {
    e.clear();
    const snap = await store.loadSnapshot(tx);
    let at = 0;
    for (const d of snap.dropRules) { e.load(snap.rows.slice(at, d.at)); at = d.at; e.dropRule(d.rule); }
    e.load(snap.rows.slice(at));
    e.setWatermarks(meta.watermarks);
    const to = await store.consumerCursor(tx, CONSUMER);
    let from = meta.snap;
    for (;;) {
      const page = await store.eventsBetween(tx, from, to, REPLAY_PAGE);
      if (page.length === 0) break;
      e.process(page); // already handled: the alerts are stored; only the state is wanted
      totals.replayed += page.length;
      const last = page[page.length - 1];
      from = { tx_id: last._tx, id: Number(last.id) };
      if (page.length < REPLAY_PAGE) break;
    }
    sinceSnapshot = 0;
    snapshotAt = Date.now();
  }

  async function snapshot(tx: Queryable, e: Engine, lastId: string): Promise<void> {
    const at = await store.eventCursor(tx, lastId);
    if (!at) return;
    if (++totals.snapshots % 20 === 0) e.sweep();
    const dirty = e.takeDirty();
    const shape = await store.snapshotShape(tx);
    // The log of deltas is folded into a full snapshot once it holds more entries than there are live keys.
    const live = e.stats().keys;
    if (shape.deltas >= 200 || shape.deltaEntries + dirty.upserts.length + dirty.deletes.length > Math.max(live, 20_000)) {
      await store.writeSnapshot(tx, e.allStates(), true);
      totals.full_snapshots++;
    } else {
      // Deletes first: a state evicted and then created again since the last snapshot is kept.
      await store.writeSnapshot(tx, [...dirty.deletes.map((x) => ({ ...x, state: null })), ...dirty.upserts], false);
    }
    await store.setSnapshot(tx, at, e.watermarks());
    sinceSnapshot = 0;
    snapshotAt = Date.now();
  }

  async function handle(tx: Queryable, batch: DetectEvent[]): Promise<void> {
    try {
      const meta = await store.claimMeta(tx, me);
      let fresh = false;
      if (!engine || meta.rules_version !== rulesVersion) {
        engine = createEngine(await deps.loadRules(tx), { persist: true, clock: deps.clock, lateness: deps.lateness });
        rulesVersion = meta.rules_version;
        fresh = true;
      }
      if (fresh || meta.owner !== me || meta.version !== myVersion) await rebuild(tx, engine, meta);
      const events = withIds(batch);
      const changes = engine.process(events);
      const now = deps.clock();
      await store.applyAlertChanges(tx, changes, now);
      const opened = changes.filter((c) => c.op === 'open').map((c) => c.alert);
      if (opened.length) await notify.enqueueDeliveries(tx, opened, now);
      if (events.length && (++sinceSnapshot >= everyBatches || Date.now() - snapshotAt >= everyMs)) {
        await snapshot(tx, engine, events[events.length - 1].id);
      }
      myVersion = meta.next;
      totals.events += events.length;
      totals.opened += opened.length;
      totals.attached += changes.length - opened.length;
      deps.onChanges?.(changes);
    } catch (err) {
      // The transaction rolls back: memory may be ahead of the database, so rebuild at the next batch.
      myVersion = -1;
      throw err;
    }
  }

  return {
    handle,
    id: me,
    stats: () => ({ ...totals, keys: engine?.stats().keys ?? 0 }),
    /** Forces rules to reload at the next batch (rules changed in this process). */
    invalidateRules() { rulesVersion = -1; },
  };
}
