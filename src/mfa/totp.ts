import { Secret, TOTP } from 'otpauth';

/**
 * TOTP after RFC 6238 through otpauth: 160-bit secrets, SHA-1, 6 digits, 30-second steps,
 * ±window steps accepted. Each code is good once: the caller keeps the last step used and a
 * code whose step is not newer is refused as a replay.
 */
export const TOTP_PERIOD = 30;
export const TOTP_DIGITS = 6;
export const TOTP_ALGORITHM = 'SHA1';

/** A new secret of 20 random bytes, base32. */
export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

/** The `otpauth://totp/…` URI authenticator apps import. */
export function totpUri(opts: { secret: string; issuer: string; label: string }): string {
  return new TOTP({
    issuer: opts.issuer, label: opts.label, secret: Secret.fromBase32(opts.secret),
    algorithm: TOTP_ALGORITHM, digits: TOTP_DIGITS, period: TOTP_PERIOD,
  }).toString();
}

/** The code at a time (any algorithm/digits: the RFC test vectors use SHA-256/512 and 8 digits). */
export function totpAt(opts: { secret: Secret | string; timestamp: number; algorithm?: string; digits?: number; period?: number }): string {
  const secret = typeof opts.secret === 'string' ? Secret.fromBase32(opts.secret) : opts.secret;
  return TOTP.generate({ secret, timestamp: opts.timestamp, algorithm: opts.algorithm ?? TOTP_ALGORITHM, digits: opts.digits ?? TOTP_DIGITS, period: opts.period ?? TOTP_PERIOD });
}

export function stepAt(timestampMs: number): number {
  return Math.floor(timestampMs / 1000 / TOTP_PERIOD);
}

export type TotpCheck = { ok: true; step: number } | { ok: false; reason: 'invalid' | 'reused' };

/** Checks a 6-digit code at `nowMs` against the secret; `lastStep` is the step of the last accepted code. */
export function checkTotp(opts: { secret: string; code: string; nowMs: number; lastStep: number; window: number }): TotpCheck {
  const code = opts.code.replace(/\s+/g, '');
  if (!/^\d{6}$/.test(code)) return { ok: false, reason: 'invalid' };
  const delta = TOTP.validate({
    token: code, secret: Secret.fromBase32(opts.secret), algorithm: TOTP_ALGORITHM,
    digits: TOTP_DIGITS, period: TOTP_PERIOD, timestamp: opts.nowMs, window: opts.window,
  });
  if (delta === null) return { ok: false, reason: 'invalid' };
  const step = stepAt(opts.nowMs) + delta;
  if (step <= opts.lastStep) return { ok: false, reason: 'reused' };
  return { ok: true, step };
}
