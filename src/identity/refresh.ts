/**
 * Refresh-token rotation, as a pure decision. Every refresh token belongs to one session (its
 * family). A token is good once; presenting it again after `graceMs` is reuse: a stolen copy
 * is in play, so the whole family is revoked. Within the grace (two tabs refreshing at once)
 * the second presentation gets a fresh token of the same family instead.
 */
export interface RefreshInput {
  token: { used_at: Date | null } | null;
  session: { revoked_at: Date | null; expires_at: Date; idle_expires_at: Date } | null;
  userActive: boolean;
}

export type RefreshDecision =
  | { kind: 'rotate' }
  | { kind: 'grace' }
  | { kind: 'reuse' }
  | { kind: 'invalid'; reason: 'unknown' | 'revoked' | 'expired' | 'idle' | 'user_inactive' };

export function decideRefresh(i: RefreshInput, now: Date, graceMs: number): RefreshDecision {
  if (!i.token || !i.session) return { kind: 'invalid', reason: 'unknown' };
  const t = now.getTime();
  if (i.session.revoked_at) return { kind: 'invalid', reason: 'revoked' };
  if (i.session.expires_at.getTime() <= t) return { kind: 'invalid', reason: 'expired' };
  if (i.session.idle_expires_at.getTime() <= t) return { kind: 'invalid', reason: 'idle' };
  if (!i.userActive) return { kind: 'invalid', reason: 'user_inactive' };
  if (i.token.used_at) {
    return t - i.token.used_at.getTime() <= graceMs ? { kind: 'grace' } : { kind: 'reuse' };
  }
  return { kind: 'rotate' };
}

/** The idle deadline after a use: now + idle, never past the absolute end. */
export function nextIdleDeadline(now: Date, idleMs: number, absolute: Date): Date {
  return new Date(Math.min(now.getTime() + idleMs, absolute.getTime()));
}
