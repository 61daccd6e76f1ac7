import QRCode from 'qrcode';
import type { Actor, AuditEntryInput } from '../audit/index.js';
import type { Clock } from '../clock.js';
import type { Db, Queryable } from '../db/types.js';
import type { SecurityEvent } from '../events/types.js';
import { backupCodeHash, newBackupCodes, normalizeBackupCode } from './backup-codes.js';
import type { MfaConfig } from './config.js';
import { mfaError } from './errors.js';
import * as store from './store.js';
import { checkTotp, newTotpSecret, totpUri } from './totp.js';

export type { MfaConfig } from './config.js';
export { mfaConfigFromEnv } from './config.js';
export { mfaError } from './errors.js';
export { mfaRoutes } from './routes.js';
export { totpAt, checkTotp, stepAt } from './totp.js';

/** The part of the keys capability MFA uses: field encryption bound to a context. */
export interface MfaKeys {
  encryptField(context: string, plaintext: string): Promise<string>;
  decryptField(context: string, ciphertext: string): Promise<string>;
}

export interface MfaDeps {
  db: Db;
  clock: Clock;
  config: MfaConfig;
  keys: MfaKeys;
  audit: (tx: Queryable, entry: AuditEntryInput) => Promise<unknown>;
  emit: (tx: Queryable, e: SecurityEvent) => Promise<void>;
}

export interface MfaStatus { totp: boolean; pending: boolean; backup_codes_remaining: number }
export interface Enrollment { secret: string; otpauth_uri: string; qr_code: string }

export type Mfa = ReturnType<typeof createMfa>;

/**
 * The MFA capability: TOTP enrollment (active after a first valid code), single-use backup
 * codes, replay-proof verification, and the port identity's login uses.
 */
export function createMfa(deps: MfaDeps) {
  const { db, clock, config, keys } = deps;
  const ctxOf = (userId: string) => `mfa_totp:${userId}`;

  async function record(tx: Queryable, actor: Actor, userId: string, action: string, outcome: 'success' | 'failure', details: Record<string, unknown> = {}, event?: string): Promise<void> {
    await deps.audit(tx, { occurred_at: clock(), actor, action, outcome, target: { type: 'user', id: userId }, details });
    if (!event) return;
    await deps.emit(tx, {
      type: event, class_uid: 3002, activity_id: 99, severity_id: outcome === 'success' ? 1 : 2, time: clock().toISOString(),
      status: outcome, user: { uid: userId }, ...(actor.ip ? { src_endpoint: { ip: actor.ip } } : {}), source: 'warden', message: action, unmapped: details,
    });
  }

  async function status(userId: string): Promise<MfaStatus> {
    const t = await store.getTotp(db, userId);
    return { totp: !!t?.confirmed_at, pending: !!t && !t.confirmed_at, backup_codes_remaining: t?.confirmed_at ? await store.remainingBackupCodes(db, userId) : 0 };
  }

  async function enrolled(userId: string): Promise<boolean> {
    return !!(await store.getTotp(db, userId))?.confirmed_at;
  }

  /** MFA status of many users at once (user lists). */
  async function enrolledAmong(userIds: string[]): Promise<Set<string>> {
    return userIds.length ? store.confirmedUsers(db, userIds) : new Set();
  }

  async function startEnrollment(userId: string, label: string): Promise<Enrollment> {
    if (await enrolled(userId)) throw mfaError('MFA_ALREADY_ENROLLED', 'A TOTP authenticator is already active; remove it first');
    const secret = newTotpSecret();
    await store.putPending(db, userId, await keys.encryptField(ctxOf(userId), secret), clock());
    const otpauth_uri = totpUri({ secret, issuer: config.issuer, label });
    return { secret, otpauth_uri, qr_code: await QRCode.toDataURL(otpauth_uri, { errorCorrectionLevel: 'M', margin: 2, width: 240 }) };
  }

  /** The decrypted secret, read before any transaction (decryption may load keys from the database). */
  async function secretOf(userId: string): Promise<{ secret: string; enc: string } | null> {
    const t = await store.getTotp(db, userId);
    return t ? { secret: await keys.decryptField(ctxOf(userId), t.secret_enc), enc: t.secret_enc } : null;
  }

  /** Checks a code inside tx (row locked, same secret as read before); the caller records the step. */
  async function checkCode(tx: Queryable, userId: string, code: string, pending: boolean, pre: { secret: string; enc: string } | null) {
    const t = await store.getTotp(tx, userId, true);
    if (!t || !pre || t.secret_enc !== pre.enc || !!t.confirmed_at === pending) return { ok: false as const, reason: 'none' as const };
    return checkTotp({ secret: pre.secret, code, nowMs: clock().getTime(), lastStep: t.last_step, window: config.window });
  }

  async function issueBackupCodes(tx: Queryable, userId: string): Promise<string[]> {
    const codes = newBackupCodes(config.backupCodeCount);
    await store.replaceBackupCodes(tx, userId, codes.map((c) => backupCodeHash(userId, normalizeBackupCode(c)!)), clock());
    return codes;
  }

  function codeError(reason: string) {
    return reason === 'reused' ? mfaError('MFA_CODE_REUSED', 'This code was already used; wait for the next one')
      : reason === 'none' ? mfaError('MFA_ENROLLMENT_NOT_STARTED', 'Start the enrollment first (POST /v1/me/mfa/totp)')
        : mfaError('MFA_CODE_INVALID', 'The code is incorrect');
  }

  /** Runs fn when the code is good; otherwise records the failure (committed) and throws. */
  async function withCode<T>(userId: string, code: string, pending: boolean, actor: Actor, action: string, fn: (tx: Queryable, step: number) => Promise<T>): Promise<T> {
    const pre = await secretOf(userId);
    const out = await db.tx(async (tx) => {
      const r = await checkCode(tx, userId, code, pending, pre);
      if (!r.ok) {
        if (!pending && r.reason === 'none') return { error: 'not_enrolled' };
        await record(tx, actor, userId, action, 'failure', { reason: r.reason }, 'auth.mfa.failure');
        return { error: r.reason };
      }
      if (!pending) await store.setLastStep(tx, userId, r.step);
      return { value: await fn(tx, r.step) };
    });
    if ('error' in out) throw out.error === 'not_enrolled' ? mfaError('MFA_NOT_ENROLLED', 'No active TOTP authenticator') : codeError(out.error as string);
    return out.value as T;
  }

  async function confirmEnrollment(userId: string, code: string, actor: Actor): Promise<{ backup_codes: string[] }> {
    return withCode(userId, code, true, actor, 'mfa.totp.enroll', async (tx, step) => {
      await store.confirm(tx, userId, clock(), step);
      const codes = await issueBackupCodes(tx, userId);
      await record(tx, actor, userId, 'mfa.totp.enroll', 'success', { backup_codes: codes.length });
      return { backup_codes: codes };
    });
  }

  async function disable(userId: string, code: string, actor: Actor): Promise<void> {
    await withCode(userId, code, false, actor, 'mfa.totp.remove', async (tx) => {
      await store.removeAll(tx, userId);
      await record(tx, actor, userId, 'mfa.totp.remove', 'success');
    });
  }

  async function regenerateBackupCodes(userId: string, code: string, actor: Actor): Promise<{ backup_codes: string[] }> {
    return withCode(userId, code, false, actor, 'mfa.backup_codes.regenerate', async (tx) => {
      const codes = await issueBackupCodes(tx, userId);
      await record(tx, actor, userId, 'mfa.backup_codes.regenerate', 'success', { backup_codes: codes.length });
      return { backup_codes: codes };
    });
  }

  /** Admin reset: removes the authenticator and the backup codes. */
  async function reset(userId: string, actor: Actor): Promise<boolean> {
    return db.tx(async (tx) => {
      const had = await store.removeAll(tx, userId);
      await record(tx, actor, userId, 'mfa.reset', 'success', { had_mfa: had }, 'auth.mfa.reset');
      return had;
    });
  }

  /** Login's second factor: a TOTP code or a backup code (audited; failures are identity's to record). */
  async function verifyLogin(userId: string, input: { code?: string; backup_code?: string }, actor: Actor): Promise<{ ok: boolean; method: 'otp' | 'backup_code'; remaining?: number }> {
    if (input.backup_code !== undefined) {
      const norm = normalizeBackupCode(input.backup_code);
      if (!norm) return { ok: false, method: 'backup_code' };
      return db.tx(async (tx) => {
        if (!(await enrolledIn(tx, userId)) || !(await store.useBackupCode(tx, userId, backupCodeHash(userId, norm), clock()))) return { ok: false, method: 'backup_code' as const };
        const remaining = await store.remainingBackupCodes(tx, userId);
        await record(tx, actor, userId, 'mfa.backup_code.use', 'success', { remaining });
        return { ok: true, method: 'backup_code' as const, remaining };
      });
    }
    const pre = await secretOf(userId);
    return db.tx(async (tx) => {
      const r = await checkCode(tx, userId, input.code ?? '', false, pre);
      if (!r.ok) return { ok: false, method: 'otp' as const };
      await store.setLastStep(tx, userId, r.step);
      return { ok: true, method: 'otp' as const };
    });
  }

  async function enrolledIn(tx: Queryable, userId: string): Promise<boolean> {
    return !!(await store.getTotp(tx, userId))?.confirmed_at;
  }

  return { status, enrolled, enrolledAmong, startEnrollment, confirmEnrollment, disable, regenerateBackupCodes, reset, verifyLogin };
}
