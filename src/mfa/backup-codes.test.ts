import { describe, expect, it } from 'vitest';
import { backupCodeHash, newBackupCodes, normalizeBackupCode } from './backup-codes.js';

describe('backup codes', () => {
  it('are 10 distinct codes of 80 bits in groups of four', () => {
    const codes = newBackupCodes(10);
    expect(new Set(codes).size).toBe(10);
    for (const c of codes) expect(c).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/);
    // 16 symbols × 5 bits = 80 bits ≥ 64.
    expect(codes[0].replace(/-/g, '').length * 5).toBeGreaterThanOrEqual(64);
  });

  it('normalise typing variations and hash per user', () => {
    const [c] = newBackupCodes(1);
    const n = normalizeBackupCode(c)!;
    expect(normalizeBackupCode(c.toLowerCase().replace(/-/g, ' '))).toBe(n);
    expect(normalizeBackupCode('OOOO-IIII-LLLL-0000')).toBe('0000111111110000');
    expect(normalizeBackupCode('short')).toBeNull();
    expect(backupCodeHash('u1', n)).not.toBe(backupCodeHash('u2', n));
    expect(backupCodeHash('u1', n)).not.toContain(n);
  });
});
