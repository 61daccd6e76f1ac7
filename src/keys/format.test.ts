import { createSecretKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { headerFor, openValue, parseCiphertext, sealValue } from './format.js';

const key = createSecretKey(Buffer.from(Array.from({ length: 32 }, (_, i) => i)));
const iv = Buffer.from(Array.from({ length: 12 }, (_, i) => 100 + i));
// Computed independently with Python's `cryptography` AESGCM over the same inputs.
const KAT = 'wdn:v1:kat:3:ZGVmZ2hpamtsbW5vIH6yChbFdulfEDuNtM2kYoxlWO-ouLb2gzARM5A';

describe('value ciphertext format', () => {
  it('matches the known answer', () => {
    expect(sealValue(key, headerFor('kat', 3), Buffer.from('hello, warden'), 'users.email.42', iv)).toBe(KAT);
    expect(openValue(key, parseCiphertext(KAT), 'users.email.42').toString()).toBe('hello, warden');
  });

  it('parses key name and version', () => {
    const p = parseCiphertext(KAT);
    expect([p.key, p.version, p.header]).toEqual(['kat', 3, 'wdn:v1:kat:3:']);
  });

  it('uses a fresh IV every time', () => {
    const a = sealValue(key, headerFor('k', 1), Buffer.from('x'));
    const b = sealValue(key, headerFor('k', 1), Buffer.from('x'));
    expect(a).not.toBe(b);
    expect(parseCiphertext(a).data.subarray(0, 12).equals(parseCiphertext(b).data.subarray(0, 12))).toBe(false);
  });

  it('fails on another context (row, column)', () => {
    expect(() => openValue(key, parseCiphertext(KAT), 'users.email.43')).toThrow(expect.objectContaining({ code: 'DECRYPTION_FAILED' }));
    expect(() => openValue(key, parseCiphertext(KAT))).toThrow(expect.objectContaining({ code: 'DECRYPTION_FAILED' }));
  });

  it('fails on a relabelled version or key name (header is associated data)', () => {
    for (const forged of [KAT.replace(':3:', ':4:'), KAT.replace(':kat:', ':kat2:')]) {
      expect(() => openValue(key, parseCiphertext(forged), 'users.email.42')).toThrow(expect.objectContaining({ code: 'DECRYPTION_FAILED' }));
    }
  });

  it('fails on any flipped bit of IV, body or tag', () => {
    const p = parseCiphertext(KAT);
    for (let i = 0; i < p.data.length; i++) {
      const d = Buffer.from(p.data);
      d[i] ^= 0x01;
      expect(() => openValue(key, { ...p, data: d }, 'users.email.42')).toThrow(expect.objectContaining({ code: 'DECRYPTION_FAILED' }));
    }
  });

  it('fails on a truncated tag', () => {
    const p = parseCiphertext(KAT);
    expect(() => openValue(key, { ...p, data: p.data.subarray(0, p.data.length - 1) }, 'users.email.42')).toThrow();
  });

  it('rejects malformed input with CIPHERTEXT_INVALID', () => {
    for (const bad of ['', 'hello', 'wdn:v2:k:1:AAAA', 'wdn:v1:k:0:' + 'A'.repeat(40), 'wdn:v1:k:x:' + 'A'.repeat(40),
      'wdn:v1:k:1:AAAA', 'wdn:v1:bad name:1:' + 'A'.repeat(40), 'wdn:v1:k:1:' + '*'.repeat(40)]) {
      expect(() => parseCiphertext(bad)).toThrow(expect.objectContaining({ code: 'CIPHERTEXT_INVALID' }));
    }
  });
});
