import type { Clock } from '../clock.js';
import { compilePolicy, effectiveGrants, type Grants, type Policy } from './policy.js';
import type { PolicyRows } from './store.js';

/**
 * Keeping decisions current without asking the database on every check:
 * - the policy (roles → permissions) is recompiled when the database's policy version moves;
 *   the version is read at most once per `ttlMs`;
 * - a user's current roles and status are cached per user for `ttlMs`, then re-read;
 *   a local change invalidates at once. So a role change reaches every process's live
 *   sessions within `ttlMs`, whatever roles the session's token still carries.
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
  function fresh(): Promise<Policy> {
    if (opts.clock().getTime() - checkedAt < opts.ttlMs) return Promise.resolve(policy);
    pending ??= (async () => {
      try {
        const v = await opts.readVersion();
        if (v !== policy.version) return await reload();
        checkedAt = opts.clock().getTime();
        return policy;
      } finally { pending = null; }
    })();
    return pending;
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
  const max = opts.max ?? 100_000;

  function grantsOf(e: Entry, policy: Policy): Grants | null {
    if (!e.user || !e.user.active) return null;
    if (!e.grants || e.grants.policy !== policy) e.grants = effectiveGrants(policy, e.user.roles);
    return e.grants;
  }
  return {
    async resolve(id, policy) {
      const now = opts.clock().getTime();
      let e = entries.get(id);
      if (!e || now - e.at >= opts.ttlMs) {
        const user = await opts.load(id);
        if (entries.size >= max) entries.delete(entries.keys().next().value as string);
        e = { user, at: now, grants: null };
        entries.set(id, e);
      }
      return { user: e.user, grants: grantsOf(e, policy) };
    },
    peek(id, policy) {
      const e = entries.get(id);
      return e === undefined ? undefined : grantsOf(e, policy);
    },
    invalidate(id) { if (id === undefined) entries.clear(); else entries.delete(id); },
    size: () => entries.size,
  };
}
