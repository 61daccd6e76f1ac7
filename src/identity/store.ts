import type { Queryable } from '../db/types.js';
import type { LockoutState } from './lockout.js';
import type { SessionRow } from './store-sessions.js';

/** Identity's SQL for users, lockout counters and the setup token (sessions: store-sessions.ts). */
export interface UserRow extends LockoutState {
  id: string;
  email: string;
  name: string;
  status: 'active' | 'disabled';
  roles: string[];
  password_hash: string | null;
  created_at: Date;
  updated_at: Date;
  last_login_at: Date | null;
  password_changed_at: Date | null;
}

const COLS = `id, email, name, status, roles, password_hash, created_at, updated_at, last_login_at,
  password_changed_at, failed_count, locked_until, window_start, window_count`;

export async function insertUser(q: Queryable, u: Pick<UserRow, 'id' | 'email' | 'name' | 'roles' | 'password_hash' | 'created_at'>): Promise<void> {
  await q.query(
    `INSERT INTO users (id, email, name, status, roles, password_hash, created_at, updated_at, password_changed_at)
     VALUES ($1, $2, $3, 'active', $4, $5, $6, $6, $6)`,
    [u.id, u.email, u.name, u.roles, u.password_hash, u.created_at]);
}

export async function emailExists(q: Queryable, email: string): Promise<boolean> {
  const r = await q.query('SELECT 1 FROM users WHERE lower(email) = lower($1)', [email]);
  return r.rows.length > 0;
}

export async function getUser(q: Queryable, id: string, forUpdate = false): Promise<UserRow | null> {
  const r = await q.query<UserRow>(`SELECT ${COLS} FROM users WHERE id = $1${forUpdate ? ' FOR UPDATE' : ''}`, [id]);
  return r.rows[0] ?? null;
}

export async function getUserByEmail(q: Queryable, email: string, forUpdate = false): Promise<UserRow | null> {
  const r = await q.query<UserRow>(`SELECT ${COLS} FROM users WHERE lower(email) = lower($1)${forUpdate ? ' FOR UPDATE' : ''}`, [email]);
  return r.rows[0] ?? null;
}

export async function listUsers(q: Queryable, opts: { after?: string; limit: number; role?: string }): Promise<UserRow[]> {
  const r = await q.query<UserRow>(
    `SELECT ${COLS} FROM users WHERE ($1::text IS NULL OR id > $1) AND ($2::text IS NULL OR $2 = ANY (roles))
     ORDER BY id LIMIT $3`, [opts.after ?? null, opts.role ?? null, opts.limit]);
  return r.rows;
}

export async function updateUser(q: Queryable, id: string, now: Date,
  patch: Partial<Pick<UserRow, 'name' | 'roles' | 'status' | 'password_hash' | 'password_changed_at'>>): Promise<void> {
  const sets: string[] = ['updated_at = $2'];
  const params: unknown[] = [id, now];
  for (const [k, v] of Object.entries(patch)) {
    if (v === undefined) continue;
    params.push(v);
    sets.push(`${k} = $${params.length}`);
  }
  await q.query(`UPDATE users SET ${sets.join(', ')} WHERE id = $1`, params);
}

/** Replaces a password hash only if it is still the one verified (a concurrent change wins). */
export async function rehashPassword(q: Queryable, id: string, oldHash: string, newHash: string): Promise<void> {
  await q.query('UPDATE users SET password_hash = $3 WHERE id = $1 AND password_hash = $2', [id, oldHash, newHash]);
}

export async function setLockout(q: Queryable, id: string, s: LockoutState): Promise<void> {
  await q.query('UPDATE users SET failed_count = $2, locked_until = $3, window_start = $4, window_count = $5 WHERE id = $1',
    [id, s.failed_count, s.locked_until, s.window_start, s.window_count]);
}

/** Why an attempt was not admitted (null: admitted). */
export type Refusal = 'throttled' | 'unknown_user' | 'disabled' | 'locked' | 'hourly_limit';

/**
 * The admission rules of a login, in one call (identity_login_admit, migration 009): the IP's
 * failure budget, then the account by email (or by id), locked while it is decided: unknown,
 * disabled, locked, or its hourly window used up. When `count`, an admitted attempt is counted
 * in the window before any password is checked. The row comes back whenever the account exists.
 */
export async function admitLogin(q: Queryable, by: { email: string } | { id: string }, now: Date,
  opts: { hourlyMax: number; ipKey: string | null; ipMax: number; count: boolean }):
Promise<{ reason: Refusal | null; ipFailures: number; user: UserRow | null }> {
  const r = await q.query<UserRow & { reason: Refusal | null; ip_failures: number | null }>(
    'SELECT * FROM identity_login_admit($1, $2, $3, $4, $5, $6, $7)',
    ['email' in by ? by.email : null, 'id' in by ? by.id : null, now, opts.hourlyMax, opts.ipKey, opts.ipMax, opts.count]);
  const { reason, ip_failures, ...row } = r.rows[0];
  return { reason, ipFailures: ip_failures ?? 0, user: row.id ? (row as UserRow) : null };
}

/**
 * A full sign-in in one call (identity_sign_in, migration 009): consecutive failures and lock
 * cleared, the attempt given back, last login set, and the session (created at `s.created_at`)
 * with its first refresh token inserted. Null (and nothing written) when the user is no longer
 * active.
 */
export async function signIn(q: Queryable, s: SessionRow, refreshHash: string): Promise<UserRow | null> {
  const r = await q.query<UserRow>(
    `SELECT ${COLS} FROM identity_sign_in($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [s.user_id, s.created_at, s.id, s.expires_at, s.idle_expires_at, s.ip, s.user_agent, s.amr, refreshHash]);
  return r.rows[0] ?? null;
}

export async function deleteUser(q: Queryable, id: string): Promise<boolean> {
  return (await q.query('DELETE FROM users WHERE id = $1', [id])).rowCount > 0;
}

/** Active admins other than `exceptId` (the last one may not be removed). */
export async function otherActiveAdmins(q: Queryable, exceptId: string): Promise<number> {
  const r = await q.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM users WHERE status = 'active' AND 'admin' = ANY (roles) AND id <> $1`, [exceptId]);
  return r.rows[0].n;
}

export async function adminExists(q: Queryable): Promise<boolean> {
  const r = await q.query(`SELECT 1 FROM users WHERE 'admin' = ANY (roles) LIMIT 1`);
  return r.rows.length > 0;
}

/** Serialises first-admin creation across processes. */
export async function lockSetup(q: Queryable): Promise<void> {
  await q.query('SELECT pg_advisory_xact_lock(7423004)');
}

export async function putSetupToken(q: Queryable, hash: string, expiresAt: Date): Promise<void> {
  await q.query(`INSERT INTO setup_tokens (id, token_hash, expires_at) VALUES (1, $1, $2)
    ON CONFLICT (id) DO UPDATE SET token_hash = EXCLUDED.token_hash, expires_at = EXCLUDED.expires_at`, [hash, expiresAt]);
}

/** True when the setup token matches and is still valid (creating the admin clears it). */
export async function setupTokenValid(q: Queryable, hash: string, now: Date): Promise<boolean> {
  const r = await q.query('SELECT 1 FROM setup_tokens WHERE id = 1 AND token_hash = $1 AND expires_at > $2', [hash, now]);
  return r.rows.length > 0;
}

export async function clearSetupToken(q: Queryable): Promise<void> {
  await q.query('DELETE FROM setup_tokens');
}
