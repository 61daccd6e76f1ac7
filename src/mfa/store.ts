import type { Queryable } from '../db/types.js';

/** MFA's SQL: the TOTP row per user and the hashed backup codes. */
export interface TotpRow { user_id: string; secret_enc: string; created_at: Date; confirmed_at: Date | null; last_step: number }

export async function getTotp(q: Queryable, userId: string, forUpdate = false): Promise<TotpRow | null> {
  const r = await q.query<TotpRow>(`SELECT * FROM mfa_totp WHERE user_id = $1${forUpdate ? ' FOR UPDATE' : ''}`, [userId]);
  return r.rows[0] ?? null;
}

export async function confirmedUsers(q: Queryable, userIds: string[]): Promise<Set<string>> {
  const r = await q.query<{ user_id: string }>('SELECT user_id FROM mfa_totp WHERE confirmed_at IS NOT NULL AND user_id = ANY ($1)', [userIds]);
  return new Set(r.rows.map((x) => x.user_id));
}

/** A pending (unconfirmed) authenticator replaces any earlier pending one. */
export async function putPending(q: Queryable, userId: string, secretEnc: string, now: Date): Promise<void> {
  await q.query(`INSERT INTO mfa_totp (user_id, secret_enc, created_at) VALUES ($1, $2, $3)
    ON CONFLICT (user_id) DO UPDATE SET secret_enc = EXCLUDED.secret_enc, created_at = EXCLUDED.created_at, confirmed_at = NULL, last_step = 0
    WHERE mfa_totp.confirmed_at IS NULL`, [userId, secretEnc, now]);
}

export async function confirm(q: Queryable, userId: string, now: Date, step: number): Promise<void> {
  await q.query('UPDATE mfa_totp SET confirmed_at = $2, last_step = $3 WHERE user_id = $1', [userId, now, step]);
}

export async function setLastStep(q: Queryable, userId: string, step: number): Promise<void> {
  await q.query('UPDATE mfa_totp SET last_step = $2 WHERE user_id = $1 AND last_step < $2', [userId, step]);
}

export async function removeAll(q: Queryable, userId: string): Promise<boolean> {
  await q.query('DELETE FROM mfa_backup_codes WHERE user_id = $1', [userId]);
  return (await q.query('DELETE FROM mfa_totp WHERE user_id = $1', [userId])).rowCount > 0;
}

export async function replaceBackupCodes(q: Queryable, userId: string, hashes: string[], now: Date): Promise<void> {
  await q.query('DELETE FROM mfa_backup_codes WHERE user_id = $1', [userId]);
  for (const h of hashes) {
    await q.query('INSERT INTO mfa_backup_codes (user_id, code_hash, created_at) VALUES ($1, $2, $3)', [userId, h, now]);
  }
}

/** Marks a backup code used; false when it is unknown or already used. */
export async function useBackupCode(q: Queryable, userId: string, hash: string, now: Date): Promise<boolean> {
  const r = await q.query('UPDATE mfa_backup_codes SET used_at = $3 WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL', [userId, hash, now]);
  return r.rowCount > 0;
}

export async function remainingBackupCodes(q: Queryable, userId: string): Promise<number> {
  const r = await q.query<{ n: number }>('SELECT count(*)::int AS n FROM mfa_backup_codes WHERE user_id = $1 AND used_at IS NULL', [userId]);
  return r.rows[0].n;
}
