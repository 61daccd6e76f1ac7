import { createCipheriv, createDecipheriv, createSecretKey, hkdfSync, type KeyObject } from 'node:crypto';
import { keyError } from './errors.js';

/**
 * The STREAM construction (Hoang, Reyhanitabar, Rogaway, Vizár 2015), as Tink's streaming AEAD
 * uses it: the plaintext is cut into fixed-size segments, each sealed with AES-256-GCM under
 *
 *   nonce = prefix (7 bytes) ‖ segment counter (4 bytes, big-endian) ‖ last-segment flag (1 byte)
 *
 * so reordering (counter), truncation (the new last segment lacks the flag), an appended
 * segment (the old last one has it) and any flipped bit fail. The segment key comes from HKDF
 * over the whole file header, so header tampering fails too. Memory stays at a few segments.
 */
export const NONCE_PREFIX_LEN = 7;
export const TAG_LEN = 16;
const MAX_SEGMENTS = 0xffffffff;

export function segmentNonce(prefix: Buffer, counter: number, last: boolean): Buffer {
  const n = Buffer.allocUnsafe(12);
  prefix.copy(n, 0, 0, NONCE_PREFIX_LEN);
  n.writeUInt32BE(counter, 7);
  n[11] = last ? 1 : 0;
  return n;
}

/** segment key = HKDF-SHA256(ikm, salt, "warden-file:v1" ‖ header). */
export function deriveSegmentKey(ikm: Buffer, salt: Buffer, header: Buffer): KeyObject {
  const info = Buffer.concat([Buffer.from('warden-file:v1'), header]);
  return createSecretKey(Buffer.from(hkdfSync('sha256', ikm, salt, info, 32)));
}

export function sealSegment(key: KeyObject, prefix: Buffer, counter: number, last: boolean, plaintext: Buffer): Buffer {
  if (counter > MAX_SEGMENTS) throw keyError('FILE_FORMAT_INVALID', 'file too large for this segment size');
  const c = createCipheriv('aes-256-gcm', key, segmentNonce(prefix, counter, last));
  const body = c.update(plaintext);
  c.final();
  return Buffer.concat([body, c.getAuthTag()], body.length + TAG_LEN);
}

export function openSegment(key: KeyObject, prefix: Buffer, counter: number, last: boolean, segment: Buffer): Buffer {
  if (segment.length < TAG_LEN) throw keyError('FILE_AUTH_FAILED', 'the file is truncated');
  try {
    const d = createDecipheriv('aes-256-gcm', key, segmentNonce(prefix, counter, last));
    d.setAuthTag(segment.subarray(segment.length - TAG_LEN));
    const out = d.update(segment.subarray(0, segment.length - TAG_LEN));
    d.final();
    return out;
  } catch (e) {
    throw keyError('FILE_AUTH_FAILED',
      `segment ${counter} failed authentication: wrong key or password, or the file was altered, truncated, reordered or extended`, { segment: counter }, e);
  }
}

/** Collects chunks and hands out exact-size pieces without re-copying the whole buffer. */
export function chunkQueue() {
  const chunks: Buffer[] = [];
  let total = 0;
  return {
    size: () => total,
    push(b: Buffer) { if (b.length) { chunks.push(b); total += b.length; } },
    take(n: number): Buffer {
      if (n > total) throw new RangeError('take beyond queue');
      total -= n;
      const head = chunks[0];
      if (n === 0) return Buffer.alloc(0);
      if (head.length === n) return chunks.shift()!;
      if (head.length > n) { chunks[0] = head.subarray(n); return head.subarray(0, n); }
      const out = Buffer.allocUnsafe(n);
      let off = 0;
      while (off < n) {
        const c = chunks[0];
        const k = Math.min(c.length, n - off);
        c.copy(out, off, 0, k);
        off += k;
        if (k === c.length) chunks.shift(); else chunks[0] = c.subarray(k);
      }
      return out;
    },
  };
}
export type ChunkQueue = ReturnType<typeof chunkQueue>;

/** Seals a byte stream into segments (the last one flagged, possibly empty). */
export async function* sealSegments(source: AsyncIterable<Buffer>, key: KeyObject, prefix: Buffer, segmentSize: number): AsyncGenerator<Buffer> {
  const q = chunkQueue();
  let counter = 0;
  for await (const chunk of source) {
    q.push(chunk);
    while (q.size() > segmentSize) yield sealSegment(key, prefix, counter++, false, q.take(segmentSize));
  }
  yield sealSegment(key, prefix, counter, true, q.take(q.size()));
}

/** Opens sealed segments; `q` may already hold bytes read past the header. */
export async function* openSegments(source: AsyncIterable<Buffer>, key: KeyObject, prefix: Buffer, segmentSize: number, q: ChunkQueue = chunkQueue()): AsyncGenerator<Buffer> {
  const sealed = segmentSize + TAG_LEN;
  let counter = 0;
  const drain = function* () { while (q.size() > sealed) yield openSegment(key, prefix, counter++, false, q.take(sealed)); };
  yield* drain();
  for await (const chunk of source) {
    q.push(chunk);
    yield* drain();
  }
  yield openSegment(key, prefix, counter, true, q.take(q.size()));
}
