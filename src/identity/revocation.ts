import type { Clock } from '../clock.js';
import type { Db } from '../db/types.js';
import * as store from './store-sessions.js';

/**
 * The guard's cheap revocation check: an in-process set of sessions revoked within the last
 * access-token lifetime (older ones cannot have live tokens), refreshed from the database every
 * `pollMs` so revocations made by other processes are refused within seconds. Revocations made
 * here are added at once.
 */
export function createRevocationCache(deps: { db: Db; clock: Clock; horizonMs: number; pollMs?: number }) {
  const { db, clock, horizonMs } = deps;
  const revoked = new Map<string, number>();
  let since = 0;
  let timer: NodeJS.Timeout | null = null;
  let ready: Promise<void> | null = null;
  // A transaction may commit a little after the time it wrote: re-read an overlap.
  const OVERLAP_MS = 10_000;

  async function poll(): Promise<void> {
    const now = clock().getTime();
    const from = since ? Math.max(since - OVERLAP_MS, now - horizonMs) : now - horizonMs;
    const rows = await store.revokedSince(db, new Date(from));
    for (const r of rows) {
      const t = new Date(r.revoked_at).getTime();
      revoked.set(r.id, t);
      if (t > since) since = t;
    }
    if (!since) since = now;
    for (const [id, t] of revoked) if (t < now - horizonMs) revoked.delete(id);
  }

  function init(): Promise<void> {
    if (!ready) ready = poll().catch((e) => { ready = null; throw e; });
    return ready;
  }

  return {
    /** Loads the set (once); authenticate awaits it before answering. */
    init,
    /** True when the session was revoked (as far as this process knows, at most pollMs old). */
    isRevoked(sessionId: string): boolean {
      return revoked.has(sessionId);
    },
    add(sessionIds: string | string[]): void {
      const now = clock().getTime();
      for (const id of Array.isArray(sessionIds) ? sessionIds : [sessionIds]) revoked.set(id, now);
    },
    refresh: poll,
    start(): void {
      if (timer) return;
      timer = setInterval(() => { poll().catch(() => undefined); }, deps.pollMs ?? 2000);
      timer.unref();
    },
    stop(): void {
      if (timer) clearInterval(timer);
      timer = null;
    },
    size: () => revoked.size,
  };
}

export type RevocationCache = ReturnType<typeof createRevocationCache>;
