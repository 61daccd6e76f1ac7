import { createHash, randomBytes } from 'node:crypto';

/**
 * Backup codes: 16 characters of Crockford base32 (80 random bits), shown as XXXX-XXXX-XXXX-XXXX.
 * Stored as SHA-256 over the user id and the normalised code: with 80 bits of entropy a fast
 * hash leaves nothing to brute-force, and the user id keeps equal codes of two users apart.
 */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const BACKUP_CODE_CHARS = 16;

export function newBackupCode(): string {
  const bytes = randomBytes(10); // 80 bits → 16 symbols of 5 bits
  let bits = 0;
  let value = 0;
  let out = '';
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  return out.match(/.{4}/g)!.join('-');
}

export function newBackupCodes(n: number): string[] {
  const set = new Set<string>();
  while (set.size < n) set.add(newBackupCode());
  return [...set];
}

/** Upper case, no separators or spaces; the look-alikes O→0 and I/L→1 (Crockford). Null when malformed. */
export function normalizeBackupCode(code: string): string | null {
  const c = code.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  return c.length === BACKUP_CODE_CHARS && [...c].every((ch) => ALPHABET.includes(ch)) ? c : null;
}

export function backupCodeHash(userId: string, normalized: string): string {
  return createHash('sha256').update(`warden-backup-code:v1:${userId}:${normalized}`).digest('hex');
}
