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
/** Cipher update size: buffers this small come from the heap, not fresh mmap'd pages (about 1.5x faster than 1 MiB updates). */
const PIECE = 64 * 1024;

function pieces(parts: Buffer[]): Buffer[] {
  if (parts.every((p) => p.length <= PIECE)) return parts;
  const out: Buffer[] = [];
  for (const p of parts) for (let o = 0; o < p.length; o += PIECE) out.push(p.subarray(o, o + PIECE));
  return out;
}

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

/** Seals one segment given as parts (no joining copy); returns the ciphertext parts and the tag last. */
export function sealParts(key: KeyObject, prefix: Buffer, counter: number, last: boolean, parts: Buffer[]): Buffer[] {
  if (counter > MAX_SEGMENTS) throw keyError('FILE_FORMAT_INVALID', 'file too large for this segment size');
  const c = createCipheriv('aes-256-gcm', key, segmentNonce(prefix, counter, last));
  const out = pieces(parts).map((p) => c.update(p));
  c.final();
  out.push(c.getAuthTag());
  return out;
}

/** Opens one segment given as body parts and its tag; returns plaintext only once the tag verified. */
export function openParts(key: KeyObject, prefix: Buffer, counter: number, last: boolean, body: Buffer[], tag: Buffer): Buffer[] {
  try {
    const d = createDecipheriv('aes-256-gcm', key, segmentNonce(prefix, counter, last));
    d.setAuthTag(tag);
    const out = pieces(body).map((p) => d.update(p));
    d.final();
    return out;
  } catch (e) {
    throw keyError('FILE_AUTH_FAILED',
      `segment ${counter} failed authentication: wrong key or password, or the file was altered, truncated, reordered or extended`, { segment: counter }, e);
  }
}

export function sealSegment(key: KeyObject, prefix: Buffer, counter: number, last: boolean, plaintext: Buffer): Buffer {
  return Buffer.concat(sealParts(key, prefix, counter, last, [plaintext]));
}

export function openSegment(key: KeyObject, prefix: Buffer, counter: number, last: boolean, segment: Buffer): Buffer {
  if (segment.length < TAG_LEN) throw keyError('FILE_AUTH_FAILED', 'the file is truncated');
  return Buffer.concat(openParts(key, prefix, counter, last, [segment.subarray(0, segment.length - TAG_LEN)], segment.subarray(segment.length - TAG_LEN)));
}

/** Collects chunks and hands out exact-size pieces without re-copying the whole buffer. */
export function chunkQueue() {
  const chunks: Buffer[] = [];
  let total = 0;
  return {
    size: () => total,
    push(b: Buffer) { if (b.length) { chunks.push(b); total += b.length; } },
    /** The next n bytes as subarrays of the queued chunks (no copy). */
    takeParts(n: number): Buffer[] {
      if (n > total) throw new RangeError('take beyond queue');
      total -= n;
      const out: Buffer[] = [];
      while (n > 0) {
        const c = chunks[0];
        if (c.length <= n) { out.push(c); chunks.shift(); n -= c.length; } else { out.push(c.subarray(0, n)); chunks[0] = c.subarray(n); n = 0; }
      }
      return out;
    },
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
    while (q.size() > segmentSize) yield* sealParts(key, prefix, counter++, false, q.takeParts(segmentSize));
  }
  yield* sealParts(key, prefix, counter, true, q.takeParts(q.size()));
}

/** Opens sealed segments; `q` may already hold bytes read past the header. */
export async function* openSegments(source: AsyncIterable<Buffer>, key: KeyObject, prefix: Buffer, segmentSize: number, q: ChunkQueue = chunkQueue()): AsyncGenerator<Buffer> {
  const sealed = segmentSize + TAG_LEN;
  let counter = 0;
  const open = (last: boolean, n: number) => openParts(key, prefix, counter++, last, q.takeParts(n - TAG_LEN), q.take(TAG_LEN));
  for await (const chunk of source) {
    q.push(chunk);
    while (q.size() > sealed) yield* open(false, sealed);
  }
  while (q.size() > sealed) yield* open(false, sealed);
  if (q.size() < TAG_LEN) throw keyError('FILE_AUTH_FAILED', 'the file is truncated');
  yield* open(true, q.size());
}
