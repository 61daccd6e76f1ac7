import { manualClock } from '../clock.js';
import type { Db, Queryable } from '../db/types.js';
import { createAudit } from '../audit/index.js';
import { createEvents } from '../events/index.js';
import { testSigner } from '../../test/helpers/signer.js';
import { type AccessUser, type AccessUsers, createAccess } from './index.js';

/** An in-memory user directory standing in for identity. */
export function fakeUsers(initial: AccessUser[] = []): AccessUsers & { users: Map<string, AccessUser>; set(id: string, roles: string[]): void; db?: Db } {
  const users = new Map(initial.map((u) => [u.id, { ...u }]));
  const fake: AccessUsers & { users: Map<string, AccessUser>; set(id: string, roles: string[]): void; db?: Db } = {
    users,
    set(id, roles) { users.get(id)!.roles = roles; },
    async getUser(id) {
      const u = users.get(id);
      return u ? { roles: [...u.roles], active: u.status === 'active' } : null;
    },
    async listUsers() { return [...users.values()].map((u) => ({ ...u, roles: [...u.roles] })); },
    async setRoles(id, roles, _actor, within) {
      const u = users.get(id);
      if (!u) return null;
      if (!fake.db) throw new Error('fakeUsers: no database bound (openAccess binds it)');
      const before = u.roles;
      // like the real directory: the caller's record commits with the change, or the change does not happen
      await fake.db.tx((tx) => within(tx, before));
      u.roles = [...roles];
      return { before };
    },
  };
  return fake;
}

export function user(id: string, roles: string[], extra: Partial<AccessUser> = {}): AccessUser {
  return { id, email: `${id}@example.test`, status: 'active', roles, mfa_enabled: false, last_login_at: null, ...extra };
}

/** One "process": real audit and events over the test database, a frozen clock, a fake directory. */
export async function openAccess(db: Db, opts: { users?: ReturnType<typeof fakeUsers>; clock?: ReturnType<typeof manualClock> } = {}) {
  const clock = opts.clock ?? manualClock('2026-03-01T12:00:00Z');
  const events = createEvents({ db, clock });
  const audit = createAudit({ db, signer: testSigner(), clock, config: { checkpointEvery: 1000, checkpointSeconds: 300, retentionDays: 400 } });
  const users = opts.users ?? fakeUsers();
  users.db = db;
  const access = await createAccess({ db, clock, audit, events, users });
  return { clock, events, audit, users, access };
}

/** Audit entries of one action, oldest first, read through the audit door. */
export async function auditRows(audit: Pick<ReturnType<typeof createAudit>, 'query'>, action: string) {
  const { entries } = await audit.query({ action }, undefined, 500);
  return entries.reverse().map((e) => ({ actor_id: e.actor.id, target_id: e.target?.id ?? null, outcome: e.outcome, details: e.details }));
}

export async function eventRows(db: Queryable, type: string) {
  return (await db.query<{ class_uid: number; user_uid: string; event: { unmapped?: Record<string, unknown>; message?: string } }>(
    'SELECT class_uid, user_uid, event FROM security_events WHERE type = $1 ORDER BY id', [type])).rows;
}
