import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Password policy after OWASP ASVS 2.1: NFKC-normalised, any Unicode, at least `minLength`
 * code points (12 by default), at most 128; not among the 10,000 most common passwords
 * (common-passwords.txt: the top 10,000 of the frequency-ranked list zxcvbn 4.4.2 ships,
 * MIT licence, itself drawn from the Xato corpus); not containing the email's local part.
 */
export const PASSWORD_MAX_LENGTH = 128;

export interface PolicyResult { ok: boolean; reasons: string[] }

let common: Set<string> | null = null;

/** The shipped list, lower-cased, loaded once on first use. */
export function commonPasswords(): Set<string> {
  if (!common) {
    const file = join(dirname(fileURLToPath(import.meta.url)), 'common-passwords.txt');
    common = new Set(readFileSync(file, 'utf8').split('\n').map((s) => s.trim().toLowerCase()).filter(Boolean));
  }
  return common;
}

/** NFKC, as stored and verified: the same password typed on two keyboards is one password. */
export function normalizePassword(password: string): string {
  return password.normalize('NFKC');
}

export function checkPassword(password: string, opts: { minLength: number; email?: string }): PolicyResult {
  const pw = normalizePassword(password);
  const reasons: string[] = [];
  const length = [...pw].length;
  if (length < opts.minLength) reasons.push(`must be at least ${opts.minLength} characters`);
  if (length > PASSWORD_MAX_LENGTH) reasons.push(`must be at most ${PASSWORD_MAX_LENGTH} characters`);
  const lower = pw.toLowerCase();
  if (commonPasswords().has(lower)) reasons.push('is one of the most common passwords');
  const local = opts.email?.split('@')[0]?.normalize('NFKC').toLowerCase() ?? '';
  if (local.length >= 3 && lower.includes(local)) reasons.push('must not contain your email address');
  return { ok: reasons.length === 0, reasons };
}
