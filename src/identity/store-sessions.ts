import type { Queryable } from '../db/types.js';

/** Identity's SQL for sessions, refresh tokens, MFA login challenges and API keys. */
export interface SessionRow {
  id: string;
  user_id: string;
  created_at: Date;
  last_seen_at: Date;
  expires_at: Date;
  idle_expires_at: Date;
  revoked_at: Date | null;
  revoke_reason: string | null;
  ip: string | null;
  user_agent: string | null;
  amr: string[];
  auth_time: Date;
}

export async function insertSession(q: Queryable, s: Omit<SessionRow, 'revoked_at' | 'revoke_reason'>): Promise<void> {
  await q.query(`INSERT INTO sessions (id, user_id, created_at, last_seen_at, expires_at, idle_expires_at, ip, user_agent, amr, auth_time)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
  [s.id, s.user_id, s.created_at, s.last_seen_at, s.expires_at, s.idle_expires_at, s.ip, s.user_agent, s.amr, s.auth_time]);
}

export async function getSession(q: Queryable, id: string, forUpdate = false): Promise<SessionRow | null> {
  const r = await q.query<SessionRow>(`SELECT * FROM sessions WHERE id = $1${forUpdate ? ' FOR UPDATE' : ''}`, [id]);
  return r.rows[0] ?? null;
}

export async function listActiveSessions(q: Queryable, userId: string, now: Date): Promise<SessionRow[]> {
  const r = await q.query<SessionRow>(`SELECT * FROM sessions WHERE user_id = $1 AND revoked_at IS NULL
    AND expires_at > $2 AND idle_expires_at > $2 ORDER BY created_at DESC LIMIT 200`, [userId, now]);
  return r.rows;
}

export async function revokeSession(q: Queryable, id: string, now: Date, reason: string): Promise<boolean> {
  const r = await q.query('UPDATE sessions SET revoked_at = $2, revoke_reason = $3 WHERE id = $1 AND revoked_at IS NULL', [id, now, reason]);
  return r.rowCount > 0;
}

/** Revokes a user's live sessions (except one); returns their ids. */
export async function revokeUserSessions(q: Queryable, userId: string, now: Date, reason: string, exceptId: string | null = null): Promise<string[]> {
  const r = await q.query<{ id: string }>(`UPDATE sessions SET revoked_at = $2, revoke_reason = $3
    WHERE user_id = $1 AND revoked_at IS NULL AND ($4::text IS NULL OR id <> $4) RETURNING id`, [userId, now, reason, exceptId]);
  return r.rows.map((x) => x.id);
}

export async function touchSession(q: Queryable, id: string, now: Date, idleExpires: Date, ip: string | null): Promise<void> {
  await q.query('UPDATE sessions SET last_seen_at = $2, idle_expires_at = $3, ip = COALESCE($4, ip) WHERE id = $1', [id, now, idleExpires, ip]);
}

export async function setSessionAmr(q: Queryable, id: string, amr: string[], authTime: Date): Promise<void> {
  await q.query('UPDATE sessions SET amr = $2, auth_time = $3 WHERE id = $1', [id, amr, authTime]);
}

/** Sessions revoked after `since` (the guard's revocation cache polls this). */
export async function revokedSince(q: Queryable, since: Date): Promise<Array<{ id: string; revoked_at: Date }>> {
  const r = await q.query<{ id: string; revoked_at: Date }>(
    'SELECT id, revoked_at FROM sessions WHERE revoked_at IS NOT NULL AND revoked_at > $1 ORDER BY revoked_at LIMIT 100000', [since]);
  return r.rows;
}

export interface RefreshRow { token_hash: string; session_id: string; created_at: Date; used_at: Date | null }

export async function insertRefresh(q: Queryable, hash: string, sessionId: string, now: Date): Promise<void> {
  await q.query('INSERT INTO refresh_tokens (token_hash, session_id, created_at) VALUES ($1, $2, $3)', [hash, sessionId, now]);
}

export async function getRefresh(q: Queryable, hash: string): Promise<RefreshRow | null> {
  const r = await q.query<RefreshRow>('SELECT * FROM refresh_tokens WHERE token_hash = $1 FOR UPDATE', [hash]);
  return r.rows[0] ?? null;
}

export async function markRefreshUsed(q: Queryable, hash: string, now: Date): Promise<void> {
  await q.query('UPDATE refresh_tokens SET used_at = $2 WHERE token_hash = $1 AND used_at IS NULL', [hash, now]);
}

export interface ChallengeRow { token_hash: string; user_id: string; expires_at: Date; attempts: number; used_at: Date | null; ip: string | null; user_agent: string | null }

export async function insertChallenge(q: Queryable, c: Omit<ChallengeRow, 'attempts' | 'used_at'> & { created_at: Date }): Promise<void> {
  await q.query(`INSERT INTO login_challenges (token_hash, user_id, created_at, expires_at, ip, user_agent)
    VALUES ($1, $2, $3, $4, $5, $6)`, [c.token_hash, c.user_id, c.created_at, c.expires_at, c.ip, c.user_agent]);
}

export async function getChallenge(q: Queryable, hash: string): Promise<ChallengeRow | null> {
  const r = await q.query<ChallengeRow>('SELECT * FROM login_challenges WHERE token_hash = $1 FOR UPDATE', [hash]);
  return r.rows[0] ?? null;
}

export async function updateChallenge(q: Queryable, hash: string, attempts: number, usedAt: Date | null): Promise<void> {
  await q.query('UPDATE login_challenges SET attempts = $2, used_at = $3 WHERE token_hash = $1', [hash, attempts, usedAt]);
}

export async function pruneChallenges(q: Queryable, now: Date): Promise<void> {
  await q.query(`DELETE FROM login_challenges WHERE expires_at < $1::timestamptz - interval '1 day'`, [now]);
}

export interface ApiKeyRow {
  id: string; name: string; prefix: string; key_hash: string; roles: string[]; created_by: string | null;
  created_at: Date; expires_at: Date | null; revoked_at: Date | null; last_used_at: Date | null;
}

export async function insertApiKey(q: Queryable, k: Omit<ApiKeyRow, 'revoked_at' | 'last_used_at'>): Promise<void> {
  await q.query(`INSERT INTO api_keys (id, name, prefix, key_hash, roles, created_by, created_at, expires_at)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, [k.id, k.name, k.prefix, k.key_hash, k.roles, k.created_by, k.created_at, k.expires_at]);
}

export async function listApiKeys(q: Queryable): Promise<ApiKeyRow[]> {
  return (await q.query<ApiKeyRow>('SELECT * FROM api_keys ORDER BY created_at DESC, id LIMIT 1000')).rows;
}

/** The key with its creator's status (null when the creator no longer exists). */
export async function getApiKeyByHash(q: Queryable, hash: string): Promise<(ApiKeyRow & { creator_status: string | null }) | null> {
  return (await q.query<ApiKeyRow & { creator_status: string | null }>(
    'SELECT k.*, u.status AS creator_status FROM api_keys k LEFT JOIN users u ON u.id = k.created_by WHERE k.key_hash = $1', [hash])).rows[0] ?? null;
}

export async function revokeApiKey(q: Queryable, id: string, now: Date): Promise<ApiKeyRow | null> {
  const r = await q.query<ApiKeyRow>('UPDATE api_keys SET revoked_at = COALESCE(revoked_at, $2) WHERE id = $1 RETURNING *', [id, now]);
  return r.rows[0] ?? null;
}

export async function touchApiKey(q: Queryable, id: string, now: Date): Promise<void> {
  await q.query('UPDATE api_keys SET last_used_at = $2 WHERE id = $1', [id, now]);
}
