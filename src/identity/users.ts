import type { Actor } from '../audit/index.js';
import type { Queryable } from '../db/types.js';
import { type IdentityContext, recordAuth } from './context.js';
import { identityError } from './errors.js';
import { unlocked } from './lockout.js';
import { isSupportedHash } from './password-hash.js';
import { checkPassword, normalizePassword } from './password-policy.js';
import { newId } from './secrets.js';
import type { Sessions } from './sessions.js';
import * as store from './store.js';

/** A user as others see it (no hash, no counters). */
export interface User {
  id: string;
  email: string;
  name: string;
  status: 'active' | 'disabled' | 'locked';
  roles: string[];
  mfa_enabled: boolean;
  mfa_required: boolean;
  created_at: string;
  last_login_at: string | null;
  locked_until: string | null;
}

export interface UserPatch { name?: string; roles?: string[]; status?: 'active' | 'disabled' }

const EMAIL_RE = /^[^\s@"<>()]{1,64}@[^\s@"<>()]+\.[^\s@"<>()]{2,}$/;
const ROLE_RE = /^[a-z][a-z0-9_.:-]{0,63}$/;

export function validEmail(email: string): string {
  const e = email.trim();
  if (e.length > 254 || !EMAIL_RE.test(e)) throw identityError('EMAIL_INVALID', 'The email address is not valid');
  return e;
}

export function validRoles(roles: string[]): string[] {
  const out = [...new Set(roles.map((r) => r.trim()))];
  if (out.length > 32 || out.some((r) => !ROLE_RE.test(r))) throw identityError('ROLE_INVALID', 'Roles are lower-case names like "admin" or "legal_team"');
  return out;
}

export function users(ctx: IdentityContext, sessions: Sessions) {
  const { db, clock, config } = ctx;

  async function present(u: store.UserRow): Promise<User> {
    const now = clock().getTime();
    const locked = !!u.locked_until && u.locked_until.getTime() > now;
    return {
      id: u.id, email: u.email, name: u.name, status: u.status === 'active' && locked ? 'locked' : u.status, roles: u.roles,
      mfa_enabled: await ctx.mfa().enrolled(u.id), mfa_required: sessions.requiresMfa(u.roles),
      created_at: u.created_at.toISOString(), last_login_at: u.last_login_at?.toISOString() ?? null,
      locked_until: locked ? u.locked_until!.toISOString() : null,
    };
  }

  function policy(password: string, email: string): string {
    const r = checkPassword(password, { minLength: config.passwordMinLength, email });
    if (!r.ok) throw identityError('PASSWORD_POLICY', `The password ${r.reasons.join('; ')}`, { reasons: r.reasons });
    return normalizePassword(password);
  }

  async function mustGet(id: string): Promise<store.UserRow> {
    const u = await store.getUser(db, id);
    if (!u) throw identityError('USER_NOT_FOUND', 'No such user');
    return u;
  }

  async function createUser(input: { email: string; name?: string; password: string; roles?: string[] }, actor: Actor, opts: { firstAdmin?: boolean } = {}): Promise<User> {
    const email = validEmail(input.email);
    const roles = validRoles(input.roles ?? []);
    const pw = policy(input.password, email);
    const hash = await ctx.hashing.hash(pw);
    const id = newId('usr');
    await db.tx(async (tx) => {
      if (opts.firstAdmin) {
        await store.lockSetup(tx);
        if (await store.adminExists(tx)) throw identityError('SETUP_CLOSED', 'An administrator already exists');
      }
      if (await store.emailExists(tx, email)) throw identityError('EMAIL_TAKEN', 'A user with this email exists');
      await store.insertUser(tx, { id, email, name: input.name?.trim() ?? '', roles, password_hash: hash, created_at: clock() });
      if (opts.firstAdmin) await store.clearSetupToken(tx);
      await recordAuth(ctx, tx, { action: opts.firstAdmin ? 'setup.first_admin' : 'user.create', outcome: 'success', actor, user: { id }, details: { roles } });
    });
    return present((await store.getUser(db, id))!);
  }

  async function getUser(id: string): Promise<User | null> {
    const u = await store.getUser(db, id);
    return u ? present(u) : null;
  }

  async function listUsers(opts: { after?: string; limit?: number; role?: string } = {}): Promise<{ users: User[]; next_cursor: string | null }> {
    const limit = Math.min(Math.max(opts.limit ?? 50, 1), 500);
    const rows = await store.listUsers(db, { after: opts.after, limit: limit + 1, role: opts.role });
    const page = await Promise.all(rows.slice(0, limit).map(present));
    return { users: page, next_cursor: rows.length > limit ? page[page.length - 1].id : null };
  }

  /**
   * Changes a user. `within` runs in the same transaction after the change, with the user as it was
   * (a caller's own record of the change, e.g. access's role-assignment audit, commits or fails with it).
   */
  async function updateUser(id: string, patch: UserPatch, actor: Actor,
    opts: { within?: (tx: Queryable, before: { roles: string[] }) => Promise<void> } = {}): Promise<User> {
    const roles = patch.roles ? validRoles(patch.roles) : undefined;
    await db.tx(async (tx) => {
      const u = await store.getUser(tx, id, true);
      if (!u) throw identityError('USER_NOT_FOUND', 'No such user');
      const losesAdmin = (roles && !roles.includes('admin')) || patch.status === 'disabled';
      if (losesAdmin && u.roles.includes('admin') && (await store.otherActiveAdmins(tx, id)) === 0) {
        throw identityError('LAST_ADMIN', 'This is the last active administrator');
      }
      await store.updateUser(tx, id, clock(), { name: patch.name?.trim(), roles, status: patch.status });
      let revoked = 0;
      if (patch.status === 'disabled' && u.status !== 'disabled') revoked = await sessions.revokeAllIn(tx, id, 'user_disabled');
      await recordAuth(ctx, tx, {
        action: patch.status === 'disabled' && u.status !== 'disabled' ? 'user.disable' : 'user.update', outcome: 'success', actor, user: { id },
        details: { changed: Object.keys(patch).filter((k) => patch[k as keyof UserPatch] !== undefined), roles: roles ?? u.roles, revoked_sessions: revoked },
      });
      if (opts.within) await opts.within(tx, { roles: u.roles });
    });
    return present(await mustGet(id));
  }

  async function deleteUser(id: string, actor: Actor): Promise<void> {
    await db.tx(async (tx) => {
      const u = await store.getUser(tx, id, true);
      if (!u) throw identityError('USER_NOT_FOUND', 'No such user');
      if (u.roles.includes('admin') && (await store.otherActiveAdmins(tx, id)) === 0) throw identityError('LAST_ADMIN', 'This is the last active administrator');
      await sessions.revokeAllIn(tx, id, 'user_deleted');
      await store.deleteUser(tx, id);
      await recordAuth(ctx, tx, { action: 'user.delete', outcome: 'success', actor, user: { id } });
    });
  }

  async function unlockUser(id: string, actor: Actor): Promise<User> {
    await db.tx(async (tx) => {
      const u = await store.getUser(tx, id, true);
      if (!u) throw identityError('USER_NOT_FOUND', 'No such user');
      await store.setLockout(tx, id, unlocked(u));
      await recordAuth(ctx, tx, { action: 'auth.unlock', outcome: 'success', event: 'auth.unlock', activity: 99, actor, user: { id, email: u.email }, message: 'account unlocked by an administrator' });
    });
    return present(await mustGet(id));
  }

  async function revokeSessionsOf(id: string, actor: Actor): Promise<number> {
    await mustGet(id);
    return db.tx(async (tx) => {
      const n = await sessions.revokeAllIn(tx, id, 'revoked_by_admin');
      await recordAuth(ctx, tx, { action: 'session.revoke_all', outcome: 'success', actor, user: { id }, details: { revoked: n } });
      return n;
    });
  }

  /** Self-service: needs the current password; revokes every other session. */
  async function changePassword(id: string, currentSid: string | null, current: string, next: string, actor: Actor): Promise<{ revoked_sessions: number }> {
    const u = await mustGet(id);
    const ok = u.password_hash ? (await ctx.hashing.verify(u.password_hash!, normalizePassword(current))).ok : false;
    if (!ok) {
      await db.tx((tx) => recordAuth(ctx, tx, { action: 'user.password_change', outcome: 'failure', actor, user: { id }, details: { reason: 'bad_current_password' } }));
      throw identityError('PASSWORD_INCORRECT', 'The current password is incorrect');
    }
    const pw = policy(next, u.email);
    const hash = await ctx.hashing.hash(pw);
    return db.tx(async (tx) => {
      await store.updateUser(tx, id, clock(), { password_hash: hash, password_changed_at: clock() });
      const n = await sessions.revokeAllIn(tx, id, 'password_changed', currentSid);
      await recordAuth(ctx, tx, { action: 'user.password_change', outcome: 'success', actor, user: { id }, details: { revoked_sessions: n } });
      return { revoked_sessions: n };
    });
  }

  /** Imports a user with an existing Argon2id or bcrypt hash (rehashed at next login). */
  async function importUser(input: { email: string; name?: string; password_hash: string; roles?: string[] }, actor: Actor): Promise<User> {
    const email = validEmail(input.email);
    if (!isSupportedHash(input.password_hash)) throw identityError('PASSWORD_POLICY', 'Only Argon2id and bcrypt hashes can be imported');
    const id = newId('usr');
    await db.tx(async (tx) => {
      if (await store.emailExists(tx, email)) throw identityError('EMAIL_TAKEN', 'A user with this email exists');
      await store.insertUser(tx, { id, email, name: input.name ?? '', roles: validRoles(input.roles ?? []), password_hash: input.password_hash, created_at: clock() });
      await recordAuth(ctx, tx, { action: 'user.import', outcome: 'success', actor, user: { id } });
    });
    return present(await mustGet(id));
  }

  return { createUser, getUser, listUsers, updateUser, deleteUser, unlockUser, revokeSessionsOf, changePassword, importUser };
}
