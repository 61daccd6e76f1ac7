import type { Queryable } from '../db/types.js';
import { type IdentityContext, recordAuth, type RequestMeta } from './context.js';
import { identityError } from './errors.js';
import { onFailure } from './lockout.js';
import { normalizePassword } from './password-policy.js';
import { newSecret, secretHash } from './secrets.js';
import type { Sessions, TokenResponse } from './sessions.js';
import * as store from './store.js';
import * as sstore from './store-sessions.js';

export type LoginResult = TokenResponse | { mfa_required: true; mfa_token: string };

const IP_WINDOW_MS = 15 * 60_000;

/**
 * Password login and its MFA second step. Every refusal — unknown email, wrong password,
 * locked or disabled account, exhausted hourly budget — is the same INVALID_CREDENTIALS after
 * the same amount of hashing work, so nothing tells which one it was.
 */
export function login(ctx: IdentityContext, sessions: Sessions) {
  const { db, clock, config } = ctx;
  let decoy: Promise<string> | null = null;
  const decoyFor = () => (decoy ??= ctx.hashing.decoy());

  const { hashing } = ctx;
  const verify = (hash: string, pw: string) => hashing.verify(hash, pw);
  const refused = () => identityError('INVALID_CREDENTIALS', 'The email or password is incorrect');

  /** Counts a failed sign-in against the IP (15-minute window). */
  async function countIpFailure(q: Queryable, ip: string | null | undefined): Promise<void> {
    if (!ip) return;
    const now = clock();
    await q.query(
      `INSERT INTO rate_limits (key, count, reset_at) VALUES ($1, 1, $2)
       ON CONFLICT (key) DO UPDATE SET
         count = CASE WHEN rate_limits.reset_at <= $3 THEN 1 ELSE rate_limits.count + 1 END,
         reset_at = CASE WHEN rate_limits.reset_at <= $3 THEN EXCLUDED.reset_at ELSE rate_limits.reset_at END`,
      [`login-fail:${ip}`, new Date(now.getTime() + IP_WINDOW_MS), now]);
  }

  async function fail(user: store.UserRow | null, email: string, reason: string, meta: RequestMeta, mfa = false): Promise<never> {
    const now = clock();
    await db.tx(async (tx) => {
      await countIpFailure(tx, meta.ip);
      let lockedMs = 0;
      if (user && reason !== 'locked' && reason !== 'hourly_limit' && reason !== 'disabled') {
        const u = (await store.getUser(tx, user.id, true))!;
        const f = onFailure(u, now, config.lockout);
        await store.setLockout(tx, u.id, f.state);
        lockedMs = f.lockedMs;
      }
      const who = { id: user?.id ?? null, email };
      await recordAuth(ctx, tx, {
        action: mfa ? 'auth.mfa.failure' : 'auth.login.failure', outcome: 'failure',
        event: mfa ? 'auth.mfa.failure' : 'auth.login.failure', user: who, meta, details: { reason },
      });
      if (lockedMs) {
        await recordAuth(ctx, tx, {
          action: 'auth.lockout', outcome: 'failure', event: 'auth.lockout', severity: 'medium', activity: 99,
          user: who, meta, details: { locked_seconds: Math.round(lockedMs / 1000) }, message: 'account locked after repeated failures',
        });
      }
    });
    throw refused();
  }

  /**
   * One call admits the attempt (store.admitLogin: the IP's failure budget, then the account's
   * lockout rules, the attempt counted before any password is checked) or says why not.
   */
  async function admission(email: string, meta: RequestMeta): Promise<{ user: store.UserRow | null; reason: string | null }> {
    const a = await store.admitLogin(db, { email }, clock(), {
      hourlyMax: config.lockout.hourlyMax, ipKey: meta.ip ? `login-fail:${meta.ip}` : null, ipMax: config.ipFailureMax, count: true,
    });
    if (a.reason === 'throttled') {
      throw identityError('LOGIN_THROTTLED', 'Too many failed sign-ins from this address; retry later', { retry_after: 900 });
    }
    return { user: a.user, reason: a.reason };
  }

  async function passwordLogin(emailIn: string, passwordIn: string, meta: RequestMeta): Promise<LoginResult> {
    const email = emailIn.trim();
    const password = normalizePassword(passwordIn);
    const { user, reason } = await admission(email, meta);
    if (reason !== null || !user) {
      await verify(await decoyFor(), password);
      return fail(user, email, reason ?? 'unknown_user', meta);
    }
    // The MFA enrolment is read while the hash runs: one round trip off the login's critical
    // path (on a wrong password its answer is never looked at; the refusal waits for nothing new).
    const enrolled = ctx.mfa().enrolled(user.id);
    enrolled.catch(() => undefined);
    const v = await verify(user.password_hash!, password);
    if (!v.ok) return fail(user, email, 'bad_password', meta);
    if (v.needsRehash) await store.rehashPassword(db, user.id, user.password_hash!, await hashing.hash(password));
    return succeed(user, meta, ['pwd'], await enrolled);
  }

  /** After a verified password: an MFA challenge, or a session. */
  async function succeed(user: store.UserRow, meta: RequestMeta, amr: string[], known?: boolean): Promise<LoginResult> {
    const enrolled = known ?? (await ctx.mfa().enrolled(user.id));
    if (enrolled && !amr.includes('otp')) {
      const mfaToken = newSecret();
      const now = clock();
      // The consecutive-failure count is cleared only once the second factor passes too.
      await db.tx(async (tx) => {
        await sstore.insertChallenge(tx, {
          token_hash: secretHash(mfaToken), user_id: user.id, created_at: now,
          expires_at: new Date(now.getTime() + config.mfaTokenTtl * 1000), ip: meta.ip ?? null, user_agent: meta.user_agent ?? null,
        });
        await sstore.pruneChallenges(tx, now);
        await recordAuth(ctx, tx, { action: 'auth.login.password_ok', outcome: 'success', user: { id: user.id }, meta, details: { next: 'mfa' } });
      });
      return { mfa_required: true, mfa_token: mfaToken };
    }
    // One transaction, four statements: the sign-in (lockout reset, session, refresh token in
    // one statement), its audit entry and its security event.
    const d = sessions.draft(user.id, amr, meta);
    const opened = await db.tx(async (tx) => {
      const u = await store.signIn(tx, d.session, d.refreshHash);
      if (!u) throw refused();
      await recordAuth(ctx, tx, {
        action: 'auth.login.success', outcome: 'success', event: 'auth.login.success',
        user: { id: u.id, email: u.email }, meta, details: { amr, session_id: d.session.id },
      });
      return { session: d.session, refresh: d.refresh, user: u };
    });
    return sessions.tokensFor(opened.user, opened.session, opened.refresh, enrolled);
  }

  /** The second step: a TOTP code or a backup code against a live mfa_token (5 tries). */
  async function verifyMfa(mfaToken: string, input: { code?: string; backup_code?: string }, meta: RequestMeta): Promise<TokenResponse> {
    const hash = secretHash(mfaToken);
    const ch = await db.tx(async (tx) => {
      const c = await sstore.getChallenge(tx, hash);
      if (!c || c.used_at || c.expires_at <= clock() || c.attempts >= config.mfaTokenAttempts) return null;
      await sstore.updateChallenge(tx, hash, c.attempts + 1, null);
      return { ...c, attempts: c.attempts + 1 };
    });
    if (!ch) throw identityError('MFA_TOKEN_INVALID', 'The MFA token is invalid, expired or used up; sign in again');
    // The same lockout rules as a password, checked (not counted: the password step counted it).
    const a = await store.admitLogin(db, { id: ch.user_id }, clock(), { hourlyMax: config.lockout.hourlyMax, ipKey: null, ipMax: 1, count: false });
    const user = a.user;
    if (!user || a.reason === 'unknown_user' || a.reason === 'disabled') throw identityError('MFA_TOKEN_INVALID', 'The MFA token is invalid, expired or used up; sign in again');
    const r = a.reason === null
      ? await ctx.mfa().verifyLogin(user.id, input, { type: 'user', id: user.id, ip: meta.ip ?? null, user_agent: meta.user_agent ?? null })
      : { ok: false, method: 'otp' as const, remaining: undefined };
    if (!r.ok) {
      try {
        await fail(user, user.email, a.reason ?? 'bad_code', meta, true);
      } catch {
        throw ch.attempts >= config.mfaTokenAttempts
          ? identityError('MFA_TOKEN_INVALID', 'Too many wrong codes; sign in again')
          : identityError('MFA_CODE_INVALID', 'The code is incorrect', { attempts_left: config.mfaTokenAttempts - ch.attempts });
      }
    }
    await sstore.updateChallenge(db, hash, ch.attempts, clock());
    const res = (await succeed(user, meta, ['pwd', 'otp'])) as TokenResponse;
    return r.remaining === undefined ? res : { ...res, backup_codes_remaining: r.remaining };
  }

  return { passwordLogin, verifyMfa };
}
