import { createSecretKey, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decodeHeader, encodeHeader } from './file-header.js';
import { decryptStream, encryptStream, type FileSecret } from './file.js';
import { headerFor, openValue, parseCiphertext, sealValue } from './format.js';
import { MIN_ARGON2 } from './password.js';
import { deriveSegmentKey, openSegment, sealSegment } from './stream.js';

const SEG = 4096;
const pw = (s: string): FileSecret => ({ kind: 'password', password: Buffer.from(s), kdf: MIN_ARGON2 });
// A stand-in keyring (one AES key) so the format is tested without a database.
const k1 = createSecretKey(randomBytes(32));
const fakeKeys = {
  encrypt: async (name: string, pt: Buffer, ctx?: string) => sealValue(k1, headerFor(name, 1), pt, ctx),
  decrypt: async (_n: string, ct: string, ctx?: string) => openValue(k1, parseCiphertext(ct), ctx),
};
const byKey: FileSecret = { kind: 'key', keys: fakeKeys, name: 'files' };

async function collect(g: AsyncIterable<Buffer>): Promise<Buffer> {
  const out: Buffer[] = [];
  for await (const c of g) out.push(c);
  return Buffer.concat(out);
}
async function* chunks(b: Buffer, size = 1000) { for (let i = 0; i < b.length; i += size) yield b.subarray(i, i + size); }
const enc = (pt: Buffer, s: FileSecret) => collect(encryptStream(chunks(pt), s, SEG));
const dec = (ct: Buffer, s: FileSecret) => collect(decryptStream(chunks(ct, 777), s));

describe('STREAM segments', () => {
  it('match the known answer (HKDF-SHA256 segment key, nonce prefix ‖ counter ‖ last flag)', () => {
    const key = deriveSegmentKey(Buffer.from(Array.from({ length: 32 }, (_, i) => i)), Buffer.from(Array.from({ length: 16 }, (_, i) => i)), Buffer.from('WDNF-test-header'));
    expect(key.export().toString('hex')).toBe('b44855a05905e827d195210e8f37d75199141a7e7380ceac1da807dec27aedf7');
    const prefix = Buffer.alloc(7, 7);
    // Computed independently with Python's `cryptography`.
    const kat = 'ddadaa9f6887fbfb502d568cb329dfaab619d502d16da427641d8bf3';
    expect(sealSegment(key, prefix, 1, true, Buffer.from('last segment')).toString('hex')).toBe(kat);
    expect(openSegment(key, prefix, 1, true, Buffer.from(kat, 'hex')).toString()).toBe('last segment');
    expect(() => openSegment(key, prefix, 1, false, Buffer.from(kat, 'hex'))).toThrow(expect.objectContaining({ code: 'FILE_AUTH_FAILED' }));
    expect(() => openSegment(key, prefix, 2, true, Buffer.from(kat, 'hex'))).toThrow(expect.objectContaining({ code: 'FILE_AUTH_FAILED' }));
  });
});

describe('file encryption', () => {
  const plain = randomBytes(3 * SEG + 123);
  let ct: Buffer;
  let hlen: number;

  it('round-trips with a keyring key, for empty, exact-segment and multi-segment sizes', async () => {
    for (const pt of [Buffer.alloc(0), randomBytes(SEG), randomBytes(2 * SEG), plain]) {
      expect((await dec(await enc(pt, byKey), byKey)).equals(pt)).toBe(true);
    }
    ct = await enc(plain, byKey);
    hlen = ct.readUInt16BE(5);
    const h = decodeHeader(ct.subarray(0, hlen));
    expect(h).toMatchObject({ kind: 'key', segmentSize: SEG });
    expect(ct.length).toBe(hlen + plain.length + 4 * 16);
  });

  it('round-trips with a password (Argon2id, parameters in the header); a wrong password fails', async () => {
    const c = await enc(plain, pw('correct horse'));
    expect(decodeHeader(c.subarray(0, c.readUInt16BE(5)))).toMatchObject({ kind: 'password', kdf: { m: 19456, t: 2, p: 1 } });
    expect((await dec(c, pw('correct horse'))).equals(plain)).toBe(true);
    await expect(dec(c, pw('wrong horse'))).rejects.toMatchObject({ code: 'FILE_AUTH_FAILED' });
    await expect(dec(c, byKey)).rejects.toMatchObject({ code: 'FILE_AUTH_FAILED' });
    await expect(enc(plain, { kind: 'password', password: Buffer.from('x'), kdf: { m: 8192, t: 1, p: 1 } })).rejects.toMatchObject({ code: 'KDF_PARAMS_INVALID' });
  });

  it('a weakened KDF in the header is refused', async () => {
    const c = await enc(Buffer.from('x'), pw('pw'));
    const h = decodeHeader(c.subarray(0, c.readUInt16BE(5)));
    const weak = encodeHeader({ ...h, kdf: { m: 1024, t: 1, p: 1 } } as never);
    await expect(dec(Buffer.concat([weak, c.subarray(weak.length)]), pw('pw'))).rejects.toMatchObject({ code: 'KDF_PARAMS_INVALID' });
  });

  it('a wrong key fails', async () => {
    const other = { ...fakeKeys, decrypt: async (_n: string, c: string, ctx?: string) => openValue(createSecretKey(randomBytes(32)), parseCiphertext(c), ctx) };
    await expect(dec(ct, { kind: 'key', keys: other })).rejects.toMatchObject({ code: 'DECRYPTION_FAILED' });
    await expect(dec(ct, { kind: 'key', keys: fakeKeys, name: 'another' })).rejects.toMatchObject({ code: 'CIPHERTEXT_KEY_MISMATCH' });
  });

  it('detects a flipped bit anywhere: header, segments, tags', async () => {
    const positions = [0, 4, 5, 7, 9, 12, 20, 30, hlen - 1, hlen, hlen + SEG + 5, hlen + SEG + 16 - 1, ct.length - 17, ct.length - 1];
    for (const i of positions) {
      const t = Buffer.from(ct);
      t[i] ^= 0x04;
      await expect(dec(t, byKey), `byte ${i}`).rejects.toMatchObject({ code: expect.stringMatching(/^(FILE_AUTH_FAILED|FILE_FORMAT_INVALID|DECRYPTION_FAILED|CIPHERTEXT_INVALID)$/) });
    }
  });

  it('detects reordered, dropped, truncated and appended segments', async () => {
    const s = SEG + 16;
    const seg = (i: number) => ct.subarray(hlen + i * s, Math.min(hlen + (i + 1) * s, ct.length));
    const head = ct.subarray(0, hlen);
    const cases: Record<string, Buffer> = {
      swapped: Buffer.concat([head, seg(1), seg(0), seg(2), seg(3)]),
      dropped: Buffer.concat([head, seg(0), seg(2), seg(3)]),
      'cut at a segment boundary': Buffer.concat([head, seg(0), seg(1), seg(2)]),
      'cut mid-segment': ct.subarray(0, ct.length - 50),
      'header only': head,
      'appended segment': Buffer.concat([ct, seg(1)]),
      'appended byte': Buffer.concat([ct, Buffer.from([0])]),
      'last segment repeated': Buffer.concat([ct, seg(3)]),
    };
    for (const [what, t] of Object.entries(cases)) {
      await expect(dec(t, byKey), what).rejects.toMatchObject({ code: expect.stringMatching(/^FILE_(AUTH_FAILED|FORMAT_INVALID)$/) });
    }
  });

  it('rejects what is not a Warden file', async () => {
    await expect(dec(Buffer.from('hello world, plain text'), byKey)).rejects.toMatchObject({ code: 'FILE_FORMAT_INVALID' });
    await expect(dec(Buffer.alloc(0), byKey)).rejects.toMatchObject({ code: 'FILE_FORMAT_INVALID' });
  });
});
