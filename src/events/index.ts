import type { Clock } from '../clock.js';
import type { Db, Queryable } from '../db/types.js';
import * as store from './store.js';
import type { SecurityEvent } from './types.js';

export type { SecurityEvent, EventStatus, SeverityName } from './types.js';
export { OCSF_CLASS, SEVERITY_ID } from './types.js';
export type { StoredEvent } from './store.js';

export type EventHandler = (tx: Queryable, events: store.StoredEvent[]) => Promise<void>;

interface Subscriber { consumer: string; handler: EventHandler; batchSize: number; failures: number; retryAt: number; hasCursor: boolean }

export interface EventsDeps {
  db: Db;
  clock: Clock;
  log?: { warn(obj: object, msg: string): void };
  pollMs?: number;
}

export type Events = ReturnType<typeof createEvents>;

/**
 * The security-event outbox and its bus. emit() writes inside the caller's transaction;
 * subscribers get committed events in order, each batch in the same transaction that moves
 * their cursor, so a restart resumes after the last delivered event and, with several
 * processes, each consumer's batch is handled by one process only (SKIP LOCKED).
 */
export function createEvents(deps: EventsDeps) {
  const { db } = deps;
  const subs: Subscriber[] = [];
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<number> | null = null;

  async function emit(tx: Queryable, event: SecurityEvent): Promise<void> {
    await store.insertEvents(tx, [event]);
  }

  async function emitMany(tx: Queryable, events: SecurityEvent[]): Promise<void> {
    if (events.length) await store.insertEvents(tx, events);
  }

  function subscribe(consumer: string, handler: EventHandler, opts: { batchSize?: number } = {}): void {
    subs.push({ consumer, handler, batchSize: opts.batchSize ?? 500, failures: 0, retryAt: 0, hasCursor: false });
  }

  async function pumpOne(s: Subscriber): Promise<number> {
    if (Date.now() < s.retryAt) return 0;
    try {
      // The cursor row is written once, not on every pass; a pass that finds none (held by another
      // process, or gone) writes it again next time.
      if (!s.hasCursor) { await store.ensureCursor(db, s.consumer); s.hasCursor = true; }
      const n = await db.tx(async (tx) => {
        const cur = await store.claimCursor(tx, s.consumer);
        if (!cur) { s.hasCursor = false; return 0; }
        const rows = await store.readAfter(tx, cur, s.batchSize);
        if (rows.length === 0) return 0;
        const last = rows[rows.length - 1];
        await s.handler(tx, rows.map(({ _tx, ...e }) => e));
        await store.advanceCursor(tx, s.consumer, last._tx, Number(last.id));
        return rows.length;
      });
      s.failures = 0;
      return n;
    } catch (err) {
      s.failures++;
      s.retryAt = Date.now() + Math.min(30_000, 250 * 2 ** s.failures);
      deps.log?.warn({ err, consumer: s.consumer }, 'event consumer failed; will retry');
      return 0;
    }
  }

  async function pass(): Promise<number> {
    let total = 0;
    for (const s of subs) total += await pumpOne(s);
    return total;
  }

  /** One delivery pass at a time per process. */
  function tick(): Promise<number> {
    if (!running) running = pass().finally(() => { running = null; });
    return running;
  }

  /**
   * Delivers everything committed before the call (tests, shutdown). On a shared PostgreSQL an
   * event becomes deliverable only once every older transaction on the server has ended, so
   * this waits (up to waitMs) until each consumer's cursor has passed those events.
   */
  async function drain(opts: { waitMs?: number } = {}): Promise<void> {
    const target = await store.maxId(db);
    const deadline = Date.now() + (opts.waitMs ?? 15_000);
    for (;;) {
      if (running) await running;
      const n = await tick();
      if (n > 0) continue;
      let behind = false;
      for (const s of subs) if (await store.pendingUpTo(db, s.consumer, target)) behind = true;
      if (!behind || Date.now() > deadline) return;
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  function start(): void {
    if (timer) return;
    const loop = async () => {
      let n = 0;
      try { n = await tick(); } catch { /* logged per consumer */ }
      if (timer) timer = setTimeout(loop, n > 0 ? 0 : deps.pollMs ?? 200);
    };
    timer = setTimeout(loop, 0);
  }

  async function stop(): Promise<void> {
    const t = timer;
    timer = null;
    if (t) clearTimeout(t);
    if (running) await running.catch(() => undefined);
  }

  return { emit, emitMany, subscribe, drain, start, stop };
}
