import type { Actor } from '../audit/index.js';
import type { Queryable } from '../db/types.js';
import { type IdentityContext, recordAuth, type RequestMeta } from './context.js';
import { identityError } from './errors.js';
import { decideRefresh, nextIdleDeadline } from './refresh.js';
import { newId, newSecret, secretHash } from './secrets.js';
import * as users from './store.js';
import * as store from './store-sessions.js';

/** The token response of login, MFA verify and refresh. */
export interface TokenResponse {
  access_token: string;
  refresh_token: string;
  token_type: 'Bearer';
  expires_in: number;
  mfa_enrollment_required?: true;
  /** After a login with a backup code: how many are left. */
  backup_codes_remaining?: number;
}

export interface SessionView {
  id: string; created_at: string; last_seen_at: string; expires_at: string;
  ip: string | null; user_agent: string | null; device: string; current: boolean;
}

/** A short device label from the user agent. */
export function deviceOf(ua: string | null): string {
  if (!ua) return 'unknown';
  const os = /Windows|Mac OS X|Android|iPhone|iPad|Linux/.exec(ua)?.[0] ?? '';
  const br = /Edg|Firefox|Chrome|Safari|curl|node|undici/.exec(ua)?.[0] ?? '';
  return [br === 'Edg' ? 'Edge' : br, os].filter(Boolean).join(' on ') || ua.slice(0, 40);
}

export function sessions(ctx: IdentityContext) {
  const { db, clock, config } = ctx;

  function requiresMfa(roles: string[]): boolean {
    return roles.some((r) => config.mfaRequiredRoles.includes(r));
  }

  /** Access-token claims for a user in a session; null when the session may not continue without MFA. */
  async function accessFor(user: users.UserRow, s: Pick<store.SessionRow, 'id' | 'amr' | 'auth_time' | 'expires_at'>, enrolled?: boolean) {
    let mfaEnroll = false;
    if (requiresMfa(user.roles) && !s.amr.includes('otp')) {
      if (enrolled ?? (await ctx.mfa().enrolled(user.id))) return null;
      mfaEnroll = true;
    }
    const { token, exp } = await ctx.tokens.issue({
      sub: user.id, sid: s.id, roles: user.roles, amr: s.amr,
      auth_time: Math.floor(s.auth_time.getTime() / 1000), ...(mfaEnroll ? { mfa_enroll: true } : {}),
    }, s.expires_at);
    return { token, exp, mfaEnroll };
  }

  function response(access: { token: string; exp: number; mfaEnroll: boolean }, refresh: string): TokenResponse {
    return {
      access_token: access.token, refresh_token: refresh, token_type: 'Bearer',
      expires_in: Math.max(1, access.exp - Math.floor(clock().getTime() / 1000)),
      ...(access.mfaEnroll ? { mfa_enrollment_required: true as const } : {}),
    };
  }

  /** A new session for user and its first refresh token, not yet stored (login stores both with the sign-in). */
  function draft(userId: string, amr: string[], meta: RequestMeta) {
    const now = clock();
    const s: store.SessionRow = {
      id: newId('ses'), user_id: userId, created_at: now, last_seen_at: now,
      expires_at: new Date(now.getTime() + config.refreshTtl * 1000),
      idle_expires_at: new Date(now.getTime() + Math.min(config.refreshIdleTtl, config.refreshTtl) * 1000),
      revoked_at: null, revoke_reason: null, ip: meta.ip ?? null, user_agent: meta.user_agent?.slice(0, 512) ?? null, amr, auth_time: now,
    };
    const refresh = newSecret();
    return { session: s, refresh, refreshHash: secretHash(refresh) };
  }

  /** Signs the first access token of a just-committed session. */
  async function tokensFor(user: users.UserRow, s: store.SessionRow, refresh: string, enrolled?: boolean): Promise<TokenResponse> {
    const access = await accessFor(user, s, enrolled);
    if (!access) throw identityError('INVALID_CREDENTIALS', 'MFA is required for this account');
    return response(access, refresh);
  }

  async function refresh(token: string, meta: RequestMeta): Promise<TokenResponse> {
    const now = clock();
    const out = await db.tx(async (tx) => {
      const row = await store.getRefresh(tx, secretHash(token));
      const s = row ? await store.getSession(tx, row.session_id, true) : null;
      const user = s ? await users.getUser(tx, s.user_id) : null;
      const d = decideRefresh({ token: row, session: s, userActive: user?.status === 'active' }, now, config.refreshGrace * 1000);
      if (d.kind === 'invalid') return { error: d.reason } as const;
      if (d.kind === 'reuse') {
        await store.revokeSession(tx, s!.id, now, 'refresh_reuse');
        await recordAuth(ctx, tx, {
          action: 'auth.refresh_reuse', outcome: 'failure', event: 'token.refresh_reuse', severity: 'high', activity: 99,
          user: { id: user?.id ?? s!.user_id, email: user?.email }, meta,
          details: { session_id: s!.id }, message: 'an already-used refresh token was presented: session revoked',
        });
        return { reuse: s!.id } as const;
      }
      if (d.kind === 'rotate') await store.markRefreshUsed(tx, row!.token_hash, now);
      const next = newSecret();
      await store.insertRefresh(tx, secretHash(next), s!.id, now);
      await store.touchSession(tx, s!.id, now, nextIdleDeadline(now, config.refreshIdleTtl * 1000, s!.expires_at), meta.ip ?? null);
      return { user: user!, session: s!, next } as const;
    });
    if ('error' in out) throw identityError('REFRESH_TOKEN_INVALID', 'The refresh token is invalid, expired or revoked');
    if ('reuse' in out) {
      ctx.revocations.add(out.reuse as string);
      throw identityError('REFRESH_TOKEN_REUSED', 'The refresh token was already used; the session has been revoked');
    }
    const access = await accessFor(out.user, out.session);
    if (!access) throw identityError('REFRESH_TOKEN_INVALID', 'This session must sign in again with MFA');
    return response(access, out.next);
  }

  /** Refused by this process's guard at once (even before commit: failing safe). */
  function revoke(ids: string[]): void {
    if (ids.length) ctx.revocations.add(ids);
  }

  /** Logout: revokes the refresh token's session (or the given session). */
  async function logout(by: { refresh_token?: string; session_id?: string }, actor: Actor): Promise<void> {
    await db.tx(async (tx) => {
      let sid = by.session_id ?? null;
      if (!sid && by.refresh_token) sid = (await store.getRefresh(tx, secretHash(by.refresh_token)))?.session_id ?? null;
      if (!sid) return;
      const s = await store.getSession(tx, sid);
      if (!s || !(await store.revokeSession(tx, sid, clock(), 'logout'))) return;
      revoke([sid]);
      await recordAuth(ctx, tx, { action: 'auth.logout', outcome: 'success', event: 'auth.logout', activity: 2, actor, user: { id: s.user_id }, details: { session_id: sid } });
    });
  }

  async function list(userId: string, currentSid?: string): Promise<SessionView[]> {
    return (await store.listActiveSessions(db, userId, clock())).map((s) => ({
      id: s.id, created_at: s.created_at.toISOString(), last_seen_at: s.last_seen_at.toISOString(),
      expires_at: s.expires_at.toISOString(), ip: s.ip, user_agent: s.user_agent, device: deviceOf(s.user_agent), current: s.id === currentSid,
    }));
  }

  /** Revokes one of the user's sessions. */
  async function revokeOne(userId: string, sessionId: string, actor: Actor): Promise<void> {
    await db.tx(async (tx) => {
      const s = await store.getSession(tx, sessionId);
      if (!s || s.user_id !== userId || s.revoked_at) throw identityError('SESSION_NOT_FOUND', 'No such active session');
      await store.revokeSession(tx, sessionId, clock(), 'revoked_by_user');
      revoke([sessionId]);
      await recordAuth(ctx, tx, { action: 'session.revoke', outcome: 'success', actor, user: { id: userId }, details: { session_id: sessionId } });
    });
  }

  /** Revokes all the user's sessions but `exceptSid`, in the caller's transaction. Returns how many. */
  async function revokeAllIn(tx: Queryable, userId: string, reason: string, exceptSid: string | null = null): Promise<number> {
    const ids = await store.revokeUserSessions(tx, userId, clock(), reason, exceptSid);
    revoke(ids);
    return ids.length;
  }

  /** After a TOTP was confirmed in this session: it counts as an MFA sign-in now. */
  async function markMfa(sessionId: string): Promise<void> {
    const s = await store.getSession(db, sessionId);
    if (!s || s.revoked_at) return;
    await store.setSessionAmr(db, sessionId, [...new Set([...s.amr, 'otp'])], clock());
  }

  return { draft, tokensFor, refresh, logout, list, revokeOne, revokeAllIn, markMfa, requiresMfa };
}

export type Sessions = ReturnType<typeof sessions>;
