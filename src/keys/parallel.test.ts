import { createSecretKey, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeHeader, encodeHeader } from './file-header.js';
import { decryptFile, decryptStream, encryptFile, encryptStream, FILE_KEY_CONTEXT, type FileOptions, type FileSecret } from './file.js';
import { headerFor, openValue, parseCiphertext, sealValue } from './format.js';
import { MIN_ARGON2 } from './password.js';
import { segmentLayout, workerCount } from './parallel.js';
import { deriveSegmentKey, sealSegment } from './stream.js';

// The segment-parallel path (regular files, worker threads, positional I/O). Small segments so
// small files have many segments; parallelMinBytes 0 so every file here takes that path.
const SEG = 4096;
const PAR: FileOptions = { segmentSize: SEG, threads: 2, parallelMinBytes: 0 };
const k1 = createSecretKey(randomBytes(32));
const fakeKeys = {
  encrypt: async (name: string, pt: Buffer, ctx?: string) => sealValue(k1, headerFor(name, 1), pt, ctx),
  decrypt: async (_n: string, ct: string, ctx?: string) => openValue(k1, parseCiphertext(ct), ctx),
};
const byKey: FileSecret = { kind: 'key', keys: fakeKeys, name: 'files' };

let dir: string;
const p = (n: string) => join(dir, n);
/** Names in the folder other than the inputs: what a failed call left behind. */
const leftovers = (keep: string[]) => readdirSync(dir).filter((n) => !keep.includes(n));

async function collect(g: AsyncIterable<Buffer>): Promise<Buffer> {
  const out: Buffer[] = [];
  for await (const c of g) out.push(c);
  return Buffer.concat(out);
}
async function* once(b: Buffer) { yield b; }

beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'warden-par-')); });
afterAll(() => { rmSync(dir, { recursive: true, force: true }); });

describe('segment layout', () => {
  it('matches the sequential path: full segments, then the rest flagged last (empty input: one empty segment)', () => {
    expect(segmentLayout('seal', 0, SEG)).toEqual({ count: 1, lastLen: 0 });
    expect(segmentLayout('seal', 1, SEG)).toEqual({ count: 1, lastLen: 1 });
    expect(segmentLayout('seal', SEG, SEG)).toEqual({ count: 1, lastLen: SEG });
    expect(segmentLayout('seal', SEG + 1, SEG)).toEqual({ count: 2, lastLen: 1 });
    expect(segmentLayout('seal', 3 * SEG, SEG)).toEqual({ count: 3, lastLen: SEG });
    expect(segmentLayout('open', 16, SEG)).toEqual({ count: 1, lastLen: 16 });
    expect(segmentLayout('open', 3 * (SEG + 16), SEG)).toEqual({ count: 3, lastLen: SEG + 16 });
    expect(segmentLayout('open', 3 * (SEG + 16) + 17, SEG)).toEqual({ count: 4, lastLen: 17 });
    expect(() => segmentLayout('open', 15, SEG)).toThrow(expect.objectContaining({ code: 'FILE_AUTH_FAILED' }));
    expect(() => segmentLayout('open', SEG + 16 + 5, SEG)).toThrow(expect.objectContaining({ code: 'FILE_AUTH_FAILED' }));
  });

  it('uses at most the threads asked for, and one worker per two segments', () => {
    expect(workerCount(1, 4)).toBe(1);
    expect(workerCount(3, 4)).toBe(2);
    expect(workerCount(1000, 4)).toBe(4);
    expect(workerCount(1000, 1)).toBe(1);
  });
});

describe('segment-parallel file encryption', () => {
  it('round-trips empty, one-byte, exact-segment and many-segment files, on 1 and 2 workers', async () => {
    for (const [i, size] of [0, 1, SEG, 2 * SEG, 37 * SEG + 123].entries()) {
      const plain = randomBytes(size);
      writeFileSync(p(`rt${i}`), plain);
      for (const threads of [1, 2]) {
        const r = await encryptFile(p(`rt${i}`), p(`rt${i}.enc`), byKey, { ...PAR, threads });
        expect(r).toMatchObject({ bytes: size, segments: Math.max(1, Math.ceil(size / SEG)) });
        expect(r.workers).toBeGreaterThanOrEqual(1);
        const ct = readFileSync(p(`rt${i}.enc`));
        const hlen = ct.readUInt16BE(5);
        expect(decodeHeader(ct.subarray(0, hlen))).toMatchObject({ kind: 'key', segmentSize: SEG });
        expect(ct.length).toBe(hlen + size + 16 * r.segments);
        const d = await decryptFile(p(`rt${i}.enc`), p(`rt${i}.out`), byKey, { ...PAR, threads });
        expect(d).toMatchObject({ bytes: size, segments: r.segments });
        expect(readFileSync(p(`rt${i}.out`)).equals(plain)).toBe(true);
      }
    }
  });

  it('round-trips a 24 MiB file with the default segment size and thresholds (parallel by default)', async () => {
    const plain = randomBytes(24 * 1024 * 1024 + 5);
    writeFileSync(p('big'), plain);
    const r = await encryptFile(p('big'), p('big.enc'), byKey);
    expect(r.workers).toBeGreaterThanOrEqual(1);
    expect(r.segments).toBe(25);
    const d = await decryptFile(p('big.enc'), p('big.out'), byKey);
    expect(d.workers).toBeGreaterThanOrEqual(1);
    expect(readFileSync(p('big.out')).equals(plain)).toBe(true);
    // The sequential (streaming) path opens what the parallel one sealed.
    expect((await collect(decryptStream(once(readFileSync(p('big.enc'))), byKey))).equals(plain)).toBe(true);
    for (const n of ['big', 'big.enc', 'big.out']) rmSync(p(n));
  });

  it('opens files sealed by the streaming path, with any segment size the header names, and with a password', async () => {
    const plain = randomBytes(9 * SEG + 77);
    for (const seg of [SEG, 5000, 64 * 1024]) {
      writeFileSync(p('s.enc'), await collect(encryptStream(once(plain), byKey, seg)));
      await decryptFile(p('s.enc'), p('s.out'), byKey, PAR);
      expect(readFileSync(p('s.out')).equals(plain)).toBe(true);
    }
    const pw: FileSecret = { kind: 'password', password: Buffer.from('correct horse'), kdf: MIN_ARGON2 };
    writeFileSync(p('pw'), plain);
    await encryptFile(p('pw'), p('pw.enc'), pw, PAR);
    await decryptFile(p('pw.enc'), p('pw.out'), pw, PAR);
    expect(readFileSync(p('pw.out')).equals(plain)).toBe(true);
    expect((await collect(decryptStream(once(readFileSync(p('pw.enc'))), pw))).equals(plain)).toBe(true);
    await expect(decryptFile(p('pw.enc'), p('pw.bad'), { ...pw, password: Buffer.from('wrong horse') }, PAR)).rejects.toMatchObject({ code: 'FILE_AUTH_FAILED' });
  });

  it('opens a file assembled independently from the format description (header, HKDF key, STREAM nonces)', async () => {
    // The layout built by hand, segment by segment, from the known-answer-tested primitives.
    const prefix = Buffer.alloc(7, 9);
    const salt = Buffer.alloc(16, 3);
    const ikm = Buffer.alloc(32, 5);
    const wrappedKey = await fakeKeys.encrypt('files', ikm, FILE_KEY_CONTEXT);
    const hb = encodeHeader({ kind: 'key', segmentSize: SEG, prefix, salt, wrappedKey });
    const key = deriveSegmentKey(ikm, salt, hb);
    const plain = randomBytes(2 * SEG + 10);
    const file = Buffer.concat([hb,
      sealSegment(key, prefix, 0, false, plain.subarray(0, SEG)),
      sealSegment(key, prefix, 1, false, plain.subarray(SEG, 2 * SEG)),
      sealSegment(key, prefix, 2, true, plain.subarray(2 * SEG))]);
    writeFileSync(p('hand.enc'), file);
    await decryptFile(p('hand.enc'), p('hand.out'), byKey, PAR);
    expect(readFileSync(p('hand.out')).equals(plain)).toBe(true);
  });

  describe('tampering', () => {
    const plain = randomBytes(6 * SEG + 100);
    let ct: Buffer;
    let hlen: number;
    const s = SEG + 16;
    const seg = (i: number) => ct.subarray(hlen + i * s, Math.min(hlen + (i + 1) * s, ct.length));

    beforeAll(async () => {
      writeFileSync(p('t.plain'), plain);
      await encryptFile(p('t.plain'), p('t.enc'), byKey, PAR);
      ct = readFileSync(p('t.enc'));
      hlen = ct.readUInt16BE(5);
      rmSync(p('t.enc'));
    });

    async function rejects(what: string, bytes: Buffer, code: RegExp = /^FILE_(AUTH_FAILED|FORMAT_INVALID)$/) {
      const before = readdirSync(dir);
      writeFileSync(p('bad.enc'), bytes);
      writeFileSync(p('existing.out'), 'keep me');
      await expect(decryptFile(p('bad.enc'), p('bad.out'), byKey, PAR), what).rejects.toMatchObject({ code: expect.stringMatching(code) });
      await expect(decryptFile(p('bad.enc'), p('existing.out'), byKey, PAR), what).rejects.toMatchObject({ code: expect.stringMatching(code) });
      // Nothing written: no output, no temporary file, and an existing output untouched.
      expect(leftovers([...before, 'bad.enc', 'existing.out']), what).toEqual([]);
      expect(readFileSync(p('existing.out'), 'utf8'), what).toBe('keep me');
    }

    it('detects a flipped bit in the header, in any segment body and in any tag', async () => {
      const positions = [0, 5, 8, 12, 20, hlen - 1, hlen, hlen + 100, hlen + s - 1, hlen + 3 * s + 7, hlen + 5 * s + SEG + 15, ct.length - 120, ct.length - 1];
      for (const i of positions) {
        const t = Buffer.from(ct);
        t[i] ^= 0x10;
        await rejects(`byte ${i}`, t, /^(FILE_AUTH_FAILED|FILE_FORMAT_INVALID|DECRYPTION_FAILED|CIPHERTEXT_INVALID)$/);
      }
    });

    it('detects reordered, dropped, truncated, extended and repeated segments', async () => {
      const head = ct.subarray(0, hlen);
      const all = (ids: number[]) => Buffer.concat([head, ...ids.map(seg)]);
      const cases: Record<string, Buffer> = {
        'two swapped': all([0, 2, 1, 3, 4, 5, 6]),
        'last two swapped': all([0, 1, 2, 3, 4, 6, 5]),
        'one dropped': all([0, 1, 3, 4, 5, 6]),
        'cut at a segment boundary': all([0, 1, 2, 3, 4, 5]),
        'cut to one segment': all([0]),
        'cut mid-segment': ct.subarray(0, ct.length - 50),
        'cut inside the last tag': ct.subarray(0, ct.length - 3),
        'cut inside a middle segment': ct.subarray(0, hlen + 3 * s + 100),
        'header only': head,
        'appended segment': Buffer.concat([ct, seg(1)]),
        'last segment repeated': Buffer.concat([ct, seg(6)]),
        'appended byte': Buffer.concat([ct, Buffer.from([0])]),
        'appended tag-sized tail': Buffer.concat([ct, randomBytes(16)]),
      };
      for (const [what, t] of Object.entries(cases)) await rejects(what, t);
    });

    it('a wrong key or a wrong key name fails and writes nothing', async () => {
      writeFileSync(p('ok.enc'), ct);
      const other = { ...fakeKeys, decrypt: async (_n: string, c: string, ctx?: string) => openValue(createSecretKey(randomBytes(32)), parseCiphertext(c), ctx) };
      const before = readdirSync(dir);
      await expect(decryptFile(p('ok.enc'), p('ok.out'), { kind: 'key', keys: other }, PAR)).rejects.toMatchObject({ code: 'DECRYPTION_FAILED' });
      await expect(decryptFile(p('ok.enc'), p('ok.out'), { kind: 'key', keys: fakeKeys, name: 'another' }, PAR)).rejects.toMatchObject({ code: 'CIPHERTEXT_KEY_MISMATCH' });
      expect(leftovers(before)).toEqual([]);
      // And the untouched file still opens.
      await decryptFile(p('ok.enc'), p('ok.out'), byKey, PAR);
      expect(readFileSync(p('ok.out')).equals(plain)).toBe(true);
    });

    it('a failed encryption (key refused) leaves nothing behind', async () => {
      const refusing = { ...fakeKeys, encrypt: async () => { throw new Error('no such key'); } };
      const before = readdirSync(dir);
      await expect(encryptFile(p('t.plain'), p('never.enc'), { kind: 'key', keys: refusing, name: 'files' }, PAR)).rejects.toThrow('no such key');
      await expect(encryptFile(p('t.plain'), join(dir, 'no-such-folder', 'x.enc'), byKey, PAR)).rejects.toMatchObject({ code: 'ENOENT' });
      expect(leftovers(before)).toEqual([]);
    });
  });
});
