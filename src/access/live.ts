import type { Clock } from '../clock.js';
import { compilePolicy, effectiveGrants, type Grants, type Policy } from './policy.js';
import type { PolicyRows } from './store.js';

/**
 * Keeping decisions current without asking the database on every check:
 * - the policy (roles → permissions) is recompiled when the database's policy version moves;
 *   the version is read at most once per `ttlMs / 2`;
 * - a user's current roles and status are cached per user and re-read; a local change
 *   invalidates at once. So a role change reaches every process's live sessions within
 *   `ttlMs`, whatever roles the session's token still carries.
 * Stale-while-revalidate: once an entry is `ttlMs / 2` old, one re-read starts in the
 * background and checks keep answering from the entry meanwhile, so a check never waits
 * behind a busy database in the steady state. Only an entry `ttlMs` old or more (the re-read
 * did not come back in time, or failed) makes the check wait for a fresh read: staleness stays
 * bounded by `ttlMs`, and a database that cannot answer fails the check rather than serving
 * old roles forever.
 */

export function policyFromRows(rows: PolicyRows): Policy {
  return compilePolicy(rows.permissions.map((p) => p.name), rows.roles, rows.version);
}

export interface PolicyHolder {
  current(): Policy;
  /** Re-reads the version when older than ttl; recompiles when it moved. */
  fresh(): Promise<Policy>;
  /** Recompiles now (after a local change). */
  reload(): Promise<Policy>;
}

export function createPolicyHolder(opts: {
  clock: Clock; ttlMs: number; initial: PolicyRows;
  readVersion(): Promise<number>; load(): Promise<PolicyRows>;
}): PolicyHolder {
  let policy = policyFromRows(opts.initial);
  let checkedAt = opts.clock().getTime();
  let pending: Promise<Policy> | null = null;

  async function reload(): Promise<Policy> {
    policy = policyFromRows(await opts.load());
    checkedAt = opts.clock().getTime();
    return policy;
  }
  function revalidate(): Promise<Policy> {
    pending ??= (async () => {
      const started = opts.clock().getTime();
      try {
        const v = await opts.readVersion();
        if (v !== policy.version) return await reload();
        checkedAt = Math.max(checkedAt, started);
        return policy;
      } finally { pending = null; }
    })();
    return pending;
  }
  function fresh(): Promise<Policy> {
    const age = opts.clock().getTime() - checkedAt;
    if (age < opts.ttlMs / 2) return Promise.resolve(policy);
    const p = revalidate();
    if (age < opts.ttlMs) {
      p.catch(() => undefined);
      return Promise.resolve(policy);
    }
    return p;
  }
  return { current: () => policy, fresh, reload };
}

/** What the user directory says about a user now. */
export interface CurrentUser { roles: string[]; active: boolean }

interface Entry { user: CurrentUser | null; at: number; grants: Grants | null }

export interface SubjectCache {
  /** The user's grants under `policy`, re-reading the user when the entry is older than ttl. */
  resolve(id: string, policy: Policy): Promise<{ user: CurrentUser | null; grants: Grants | null }>;
  /** Whatever is cached, however old (undefined when nothing is): the synchronous fast path. */
  peek(id: string, policy: Policy): Grants | null | undefined;
  invalidate(id?: string): void;
  size(): number;
}

export function createSubjectCache(opts: { clock: Clock; ttlMs: number; load(id: string): Promise<CurrentUser | null>; max?: number }): SubjectCache {
  const entries = new Map<string, Entry>();
  const loading = new Map<string, Promise<Entry>>();
  const max = opts.max ?? 100_000;

  function grantsOf(e: Entry, policy: Policy): Grants | null {
    if (!e.user || !e.user.active) return null;
    if (!e.grants || e.grants.policy !== policy) e.grants = effectiveGrants(policy, e.user.roles);
    return e.grants;
  }
  /** One read per user at a time; an invalidation while it runs discards its result. */
  function reread(id: string): Promise<Entry> {
    let p = loading.get(id);
    if (p) return p;
    const at = opts.clock().getTime();
    p = opts.load(id).then((user) => {
      const e: Entry = { user, at, grants: null };
      if (loading.get(id) === p) {
        if (!entries.has(id) && entries.size >= max) entries.delete(entries.keys().next().value as string);
        entries.set(id, e);
      }
      return e;
    }).finally(() => { if (loading.get(id) === p) loading.delete(id); });
    loading.set(id, p);
    return p;
  }
  return {
    async resolve(id, policy) {
      let e = entries.get(id);
      const age = e ? opts.clock().getTime() - e.at : Infinity;
      if (e && age >= opts.ttlMs / 2 && age < opts.ttlMs) reread(id).catch(() => undefined);
      else if (!e || age >= opts.ttlMs) e = await reread(id);
      return { user: e.user, grants: grantsOf(e, policy) };
    },
    peek(id, policy) {
      const e = entries.get(id);
      return e === undefined ? undefined : grantsOf(e, policy);
    },
    invalidate(id) {
      if (id === undefined) { entries.clear(); loading.clear(); } else { entries.delete(id); loading.delete(id); }
    },
    size: () => entries.size,
  };
}
