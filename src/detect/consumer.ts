import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock.js';
import type { Queryable } from '../db/types.js';
import { createEngine, type Engine } from './engine.js';
import type { LogPort } from './ports.js';
import * as store from './store.js';
import * as notify from './store-notify.js';
import type { AlertChange, DetectEvent, Rule } from './types.js';

/** Below this many persisted keys a stale cache reloads everything at once; above, only the keys a batch touches. */
const FULL_LOAD_MAX = 50_000;

export interface ConsumerDeps {
  clock: Clock;
  log?: LogPort;
  loadRules(q: Queryable): Promise<Rule[]>;
  lateness?: number;
  /** Called after a batch's changes are written (same transaction). */
  onChanges?(changes: AlertChange[]): void;
}

/**
 * The detect consumer of the event outbox. State lives in detect_state (authoritative); this process keeps
 * a cache that is valid only while it was the last writer (detect_meta.owner/version). Each batch runs in
 * the outbox's transaction, so the cursor, the state and the alerts move together: exactly once.
 */
export function createConsumer(deps: ConsumerDeps) {
  const me = randomUUID();
  let engine: Engine | null = null;
  let rulesVersion = -1;
  let myVersion = -1;
  let complete = false;
  let batches = 0;
  const totals = { events: 0, opened: 0, attached: 0 };

  async function handle(tx: Queryable, events: DetectEvent[]): Promise<void> {
    try {
      const meta = await store.lockMeta(tx);
      if (!engine || meta.rules_version !== rulesVersion) {
        engine = createEngine(await deps.loadRules(tx), { persist: true, clock: deps.clock, lateness: deps.lateness });
        rulesVersion = meta.rules_version;
        complete = false;
      } else if (meta.owner !== me || meta.version !== myVersion) {
        engine.clear();
        complete = false;
      }
      if (!complete && (meta.owner !== me || meta.version !== myVersion || batches === 0)) {
        if ((await store.countState(tx)) <= FULL_LOAD_MAX) {
          engine.load(await store.loadAllState(tx));
          complete = true;
        }
      }
      const evs = events.map((e) => ({ ...e, id: String(e.id) }));
      if (!complete) engine.load(await store.loadState(tx, engine.missingKeys(evs)));
      const changes = engine.process(evs);
      const now = deps.clock();
      await store.applyAlertChanges(tx, changes, now);
      const opened = changes.filter((c) => c.op === 'open').map((c) => c.alert);
      if (opened.length) await notify.enqueueDeliveries(tx, opened, now);
      await store.saveState(tx, engine.takeDirty());
      if (++batches % 50 === 0) {
        const wm = engine.stats().watermark;
        if (wm > 0) await store.deleteExpiredState(tx, new Date(wm));
      }
      myVersion = await store.advanceMeta(tx, me);
      totals.events += evs.length;
      totals.opened += opened.length;
      totals.attached += changes.length - opened.length;
      deps.onChanges?.(changes);
    } catch (err) {
      // The transaction rolls back: the cache may be ahead of the database, so drop it.
      myVersion = -1;
      engine?.clear();
      complete = false;
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
