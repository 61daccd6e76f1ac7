import type { LockoutPolicy } from './config.js';

/**
 * Account lockout, a pure function of the stored counters and the time.
 * - `threshold` consecutive failures lock the account for `baseMs`; each further failure after
 *   that (once the lock has passed) locks for twice as long, up to `maxMs`.
 * - Whatever the threshold, at most `hourlyMax` password checks per account per hour: the
 *   attempt is counted before the password is checked, so parallel guesses cannot exceed it.
 * - While locked, no password is checked. A success resets the consecutive count.
 * Admission (locked? hourly window used up? count the attempt) and the reset on success are
 * decided in the database, in one call each (identity_login_admit and identity_sign_in,
 * migration 009), so parallel attempts are counted under the row lock; this file holds what a
 * failure does.
 */
export interface LockoutState {
  failed_count: number;
  locked_until: Date | null;
  window_start: Date | null;
  window_count: number;
}

export const HOUR_MS = 3_600_000;

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

/** What an admin unlock does. */
export function unlocked(s: LockoutState): LockoutState {
  return { ...s, failed_count: 0, locked_until: null, window_count: 0 };
}
