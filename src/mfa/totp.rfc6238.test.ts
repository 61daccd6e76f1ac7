import { Secret } from 'otpauth';
import { describe, expect, it } from 'vitest';
import { checkTotp, newTotpSecret, stepAt, totpAt, totpUri } from './totp.js';

// RFC 6238 Appendix B: each algorithm with its own seed length (20, 32 and 64 bytes), 8 digits.
const SEEDS = {
  SHA1: '12345678901234567890',
  SHA256: '12345678901234567890123456789012',
  SHA512: '1234567890123456789012345678901234567890123456789012345678901234',
} as const;
const VECTORS: Array<[number, string, keyof typeof SEEDS]> = [
  [59, '94287082', 'SHA1'], [59, '46119246', 'SHA256'], [59, '90693936', 'SHA512'],
  [1111111109, '07081804', 'SHA1'], [1111111109, '68084774', 'SHA256'], [1111111109, '25091201', 'SHA512'],
  [1111111111, '14050471', 'SHA1'], [1111111111, '67062674', 'SHA256'], [1111111111, '99943326', 'SHA512'],
  [1234567890, '89005924', 'SHA1'], [1234567890, '91819424', 'SHA256'], [1234567890, '93441116', 'SHA512'],
  [2000000000, '69279037', 'SHA1'], [2000000000, '90698825', 'SHA256'], [2000000000, '38618901', 'SHA512'],
  [20000000000, '65353130', 'SHA1'], [20000000000, '77737706', 'SHA256'], [20000000000, '47863826', 'SHA512'],
];

describe('TOTP (RFC 6238)', () => {
  it.each(VECTORS)('T=%i gives %s with %s', (t, code, alg) => {
    expect(totpAt({ secret: Secret.fromLatin1(SEEDS[alg]), timestamp: t * 1000, algorithm: alg, digits: 8 })).toBe(code);
  });

  it('makes 160-bit secrets and an otpauth URI with SHA1, 6 digits, 30 s', () => {
    const s = newTotpSecret();
    expect(Secret.fromBase32(s).bytes.length).toBe(20);
    const uri = totpUri({ secret: s, issuer: 'Warden', label: 'ann@example.com' });
    expect(uri).toMatch(/^otpauth:\/\/totp\/Warden:ann%40example\.com\?/);
    expect(uri).toContain('algorithm=SHA1');
    expect(uri).toContain('digits=6');
    expect(uri).toContain('period=30');
    expect(uri).toContain(`secret=${s}`);
  });

  it('accepts ±1 step and nothing beyond (window edges)', () => {
    const secret = newTotpSecret();
    const now = Date.parse('2026-01-01T00:00:15Z');
    const at = (dt: number) => totpAt({ secret, timestamp: now + dt * 1000 });
    for (const dt of [-30, 0, 30]) expect(checkTotp({ secret, code: at(dt), nowMs: now, lastStep: 0, window: 1 }).ok).toBe(true);
    for (const dt of [-60, 60]) expect(checkTotp({ secret, code: at(dt), nowMs: now, lastStep: 0, window: 1 })).toEqual({ ok: false, reason: 'invalid' });
    // The last second of a step and the first of the next.
    const edge = Date.parse('2026-01-01T00:00:29.999Z');
    expect(checkTotp({ secret, code: totpAt({ secret, timestamp: edge + 1 }), nowMs: edge, lastStep: 0, window: 1 }).ok).toBe(true);
    expect(checkTotp({ secret, code: totpAt({ secret, timestamp: edge + 30_001 }), nowMs: edge, lastStep: 0, window: 1 }).ok).toBe(false);
    expect(checkTotp({ secret, code: totpAt({ secret, timestamp: edge - 60_000 }), nowMs: edge, lastStep: 0, window: 1 }).ok).toBe(false);
  });

  it('refuses a code whose step is not newer than the last one used (replay)', () => {
    const secret = newTotpSecret();
    const now = Date.parse('2026-01-01T00:00:00Z');
    const code = totpAt({ secret, timestamp: now });
    const first = checkTotp({ secret, code, nowMs: now, lastStep: 0, window: 1 });
    expect(first).toEqual({ ok: true, step: stepAt(now) });
    expect(checkTotp({ secret, code, nowMs: now + 10_000, lastStep: stepAt(now), window: 1 })).toEqual({ ok: false, reason: 'reused' });
    // An older (still in-window) code after a newer one was used: refused too.
    const prev = totpAt({ secret, timestamp: now - 30_000 });
    expect(checkTotp({ secret, code: prev, nowMs: now, lastStep: stepAt(now), window: 1 })).toEqual({ ok: false, reason: 'reused' });
  });

  it('refuses malformed codes', () => {
    const secret = newTotpSecret();
    for (const code of ['', '12345', '1234567', 'abcdef', '12 34 5x']) {
      expect(checkTotp({ secret, code, nowMs: Date.now(), lastStep: 0, window: 1 }).ok).toBe(false);
    }
  });
});
