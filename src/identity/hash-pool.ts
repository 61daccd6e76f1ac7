import { Worker } from 'node:worker_threads';
import type { Options } from '@node-rs/argon2';
import type { Argon2Engine } from './password-hash.js';

const WORKER_URL = new URL('./hash-worker.mjs', import.meta.url);

interface Job { id: number; op: 'hash' | 'raw'; password: string; options: Options }
interface Slot { worker: Worker; pending: Map<number, { resolve: (v: never) => void; reject: (e: Error) => void }> }

/**
 * The one bound on concurrent Argon2 work (logins, new and changed passwords): `size` worker
 * threads, each hashing its queue back to back. A job goes to the least busy thread and waits
 * there (a message, not a blocked loop). Each thread starts its next job the moment the last
 * ends, without waiting for the event loop to take the result, so a login flood keeps the
 * hashing cores busy while the event loop serves other requests; with a bound of one thread per
 * core but one, a core stays for the event loop; `nice` levels below it (Linux), the event loop
 * also runs first when something else (the database, other processes) contends for the cores.
 * Threads start on first use, hold the process open only while they have work, and end with
 * close().
 */
export function createHashPool(size: number, opts: { nice?: number } = {}): Argon2Engine & { close(): Promise<void>; pending(): number } {
  const slots: Array<Slot | null> = Array.from({ length: Math.max(1, size) }, () => null);
  let nextId = 0;

  function start(i: number): Slot {
    const worker = new Worker(WORKER_URL, { workerData: { nice: opts.nice ?? 0 } });
    const slot: Slot = { worker, pending: new Map() };
    worker.unref();
    worker.on('message', (m: { id: number; value?: unknown; error?: string }) => {
      const p = slot.pending.get(m.id);
      if (!p) return;
      slot.pending.delete(m.id);
      if (slot.pending.size === 0) worker.unref();
      if (m.error !== undefined) p.reject(new Error(m.error));
      else p.resolve(m.value as never);
    });
    const fail = (e: Error) => {
      if (slots[i] === slot) slots[i] = null;
      for (const p of slot.pending.values()) p.reject(e);
      slot.pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`argon2 worker exited (${code})`)));
    slots[i] = slot;
    return slot;
  }

  function run<T>(op: Job['op'], password: string, options: Options): Promise<T> {
    let best = 0;
    for (let i = 1; i < slots.length; i++) if ((slots[i]?.pending.size ?? 0) < (slots[best]?.pending.size ?? 0)) best = i;
    const slot = slots[best] ?? start(best);
    const id = nextId++;
    return new Promise<T>((resolve, reject) => {
      slot.pending.set(id, { resolve: resolve as (v: never) => void, reject });
      if (slot.pending.size === 1) slot.worker.ref();
      slot.worker.postMessage({ id, op, password, options } satisfies Job);
    });
  }

  return {
    hash: (password, options) => run<string>('hash', password, options),
    hashRaw: (password, options) => run<Uint8Array>('raw', password, options),
    pending: () => slots.reduce((n, s) => n + (s?.pending.size ?? 0), 0),
    async close() {
      const all = slots.splice(0, slots.length, ...slots.map(() => null));
      await Promise.all(all.map((s) => s?.worker.terminate()));
    },
  };
}
