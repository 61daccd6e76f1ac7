import type { LockoutPolicy } from './config.js';

/**
 * Account lockout, a pure function of the stored counters and the time.
 * - `threshold` consecutive failures lock the account for `baseMs`; each further failure after
 *   that (once the lock has passed) locks for twice as long, up to `maxMs`.
 * - Whatever the threshold, at most `hourlyMax` password checks per account per hour: the
 *   attempt is counted before the password is checked, so parallel guesses cannot exceed it.
 * - While locked, no password is checked. A success resets the consecutive count.
 */
export interface LockoutState {
  failed_count: number;
  locked_until: Date | null;
  window_start: Date | null;
  window_count: number;
}

export const HOUR_MS = 3_600_000;

export type Admission =
  | { allowed: true; state: LockoutState }
  | { allowed: false; reason: 'locked' | 'hourly_limit'; retryAt: Date };

/** Decides whether a password may be checked now; when allowed, the attempt is counted. */
export function admit(s: LockoutState, now: Date, p: LockoutPolicy): Admission {
  const t = now.getTime();
  if (s.locked_until && s.locked_until.getTime() > t) return { allowed: false, reason: 'locked', retryAt: s.locked_until };
  const fresh = !s.window_start || t - s.window_start.getTime() >= HOUR_MS;
  const window_start = fresh ? now : s.window_start!;
  const window_count = fresh ? 0 : s.window_count;
  if (window_count >= p.hourlyMax) {
    return { allowed: false, reason: 'hourly_limit', retryAt: new Date(window_start.getTime() + HOUR_MS) };
  }
  return { allowed: true, state: { ...s, window_start, window_count: window_count + 1 } };
}

/** Lock length after `failures` consecutive failures (0 when below the threshold). */
export function lockDuration(failures: number, p: LockoutPolicy): number {
  if (failures < p.threshold) return 0;
  const doublings = Math.min(failures - p.threshold, 30);
  return Math.min(p.baseMs * 2 ** doublings, p.maxMs);
}

/** After a failed check: the new state and whether this failure locked the account. */
export function onFailure(s: LockoutState, now: Date, p: LockoutPolicy): { state: LockoutState; lockedMs: number } {
  const failed_count = s.failed_count + 1;
  const lockedMs = lockDuration(failed_count, p);
  return {
    state: { ...s, failed_count, locked_until: lockedMs ? new Date(now.getTime() + lockedMs) : s.locked_until },
    lockedMs,
  };
}

/** After a success: the consecutive count and lock are cleared; the attempt is given back. */
export function onSuccess(s: LockoutState): LockoutState {
  return { ...s, failed_count: 0, locked_until: null, window_count: Math.max(0, s.window_count - 1) };
}

/** What an admin unlock does. */
export function unlocked(s: LockoutState): LockoutState {
  return { ...s, failed_count: 0, locked_until: null, window_count: 0 };
}
