import { randomBytes, type KeyObject } from 'node:crypto';
import { open, rename, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { Actor } from '../audit/index.js';
import { keyError } from './errors.js';
import { decodeHeader, encodeHeader, headerLength, PREAMBLE_LEN, SALT_LEN, type Argon2Params, type FileHeader } from './file-header.js';
import { parseCiphertext } from './format.js';
import { checkArgon2, DEFAULT_ARGON2, passwordKey } from './password.js';
import { defaultThreads, runSegments } from './parallel.js';
import { chunkQueue, deriveSegmentKey, NONCE_PREFIX_LEN, openSegments, sealSegments, TAG_LEN } from './stream.js';

/** Context the per-file key is wrapped under when a keyring key protects a file. */
export const FILE_KEY_CONTEXT = 'warden-file:v1';
/** 1 MiB segments, as Tink's AES256_GCM_HKDF_1MB: per-segment overhead stays small, memory a few MiB. */
export const DEFAULT_SEGMENT = 1024 * 1024;

/** The two keyring functions file encryption needs. */
export interface FileKeyring {
  encrypt(name: string, plaintext: Buffer, context?: string, actor?: Actor): Promise<string>;
  decrypt(name: string, ciphertext: string, context?: string, actor?: Actor): Promise<Buffer>;
}

export type FileSecret =
  | { kind: 'key'; keys: FileKeyring; name?: string; actor?: Actor }
  | { kind: 'password'; password: Buffer; kdf?: Argon2Params };

/** A fresh header for `secret` and the segment key it binds. */
async function sealHeader(secret: FileSecret, segmentSize: number): Promise<{ hb: Buffer; key: KeyObject; prefix: Buffer }> {
  const prefix = randomBytes(NONCE_PREFIX_LEN);
  const salt = randomBytes(SALT_LEN);
  let header: FileHeader;
  let ikm: Buffer;
  if (secret.kind === 'key') {
    if (!secret.name) throw keyError('KEY_NAME_INVALID', 'a key name is needed to encrypt a file');
    ikm = randomBytes(32);
    const wrappedKey = await secret.keys.encrypt(secret.name, ikm, FILE_KEY_CONTEXT, secret.actor);
    header = { kind: 'key', segmentSize, prefix, salt, wrappedKey };
  } else {
    const kdf = checkArgon2(secret.kdf ?? DEFAULT_ARGON2);
    ikm = await passwordKey(secret.password, salt, kdf);
    header = { kind: 'password', segmentSize, prefix, salt, kdf };
  }
  const hb = encodeHeader(header);
  const key = deriveSegmentKey(ikm, salt, hb);
  ikm.fill(0);
  return { hb, key, prefix };
}

/** Decodes a header read from a file and recovers its segment key with `secret`. */
async function openHeader(hb: Buffer, secret: FileSecret): Promise<{ h: FileHeader; key: KeyObject }> {
  const h = decodeHeader(hb);
  let ikm: Buffer;
  if (h.kind === 'key') {
    if (secret.kind !== 'key') throw keyError('FILE_AUTH_FAILED', 'this file is protected by a keyring key, not a password: use --key');
    const name = parseCiphertext(h.wrappedKey).key;
    if (secret.name && secret.name !== name) {
      throw keyError('CIPHERTEXT_KEY_MISMATCH', `this file is protected by key ${name}, not ${secret.name}`);
    }
    ikm = await secret.keys.decrypt(name, h.wrappedKey, FILE_KEY_CONTEXT, secret.actor);
  } else {
    if (secret.kind !== 'password') throw keyError('FILE_AUTH_FAILED', 'this file is protected by a password, not a keyring key: use --password-file');
    ikm = await passwordKey(secret.password, h.salt, h.kdf);
  }
  const key = deriveSegmentKey(ikm, h.salt, hb);
  ikm.fill(0);
  return { h, key };
}

/** Encrypts a byte stream: yields the header, then the sealed segments. */
export async function* encryptStream(source: AsyncIterable<Buffer>, secret: FileSecret, segmentSize = DEFAULT_SEGMENT): AsyncGenerator<Buffer> {
  const { hb, key, prefix } = await sealHeader(secret, segmentSize);
  yield hb;
  yield* sealSegments(source, key, prefix, segmentSize);
}

/** Decrypts what encryptStream produced; throws (FILE_AUTH_FAILED …) at the first bad segment. */
export async function* decryptStream(source: AsyncIterable<Buffer>, secret: FileSecret, onHeader?: (h: FileHeader) => void): AsyncGenerator<Buffer> {
  const it = source[Symbol.asyncIterator]();
  const q = chunkQueue();
  const fill = async (n: number) => {
    while (q.size() < n) {
      const r = await it.next();
      if (r.done) throw keyError('FILE_FORMAT_INVALID', 'the file is too short to be a Warden encrypted file');
      q.push(r.value as Buffer);
    }
  };
  await fill(PREAMBLE_LEN);
  const preamble = q.take(PREAMBLE_LEN);
  const len = headerLength(preamble);
  await fill(len - PREAMBLE_LEN);
  const hb = Buffer.concat([preamble, q.take(len - PREAMBLE_LEN)]);
  const { h, key } = await openHeader(hb, secret);
  onHeader?.(h);
  yield* openSegments({ [Symbol.asyncIterator]: () => it } as AsyncIterable<Buffer>, key, h.prefix, h.segmentSize, q);
}

/**
 * Runs `fill` on a temporary file in the same folder as `output` (mode 0600), then syncs it and
 * renames it into place; on any failure the temporary file is removed, so no partial output is
 * ever left behind.
 */
export async function withTempFile<T>(output: string, fill: (fh: FileHandle) => Promise<T>): Promise<T> {
  const target = resolve(output);
  const tmp = join(dirname(target), `.${basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const fh = await open(tmp, 'wx', 0o600);
    let out: T;
    try {
      out = await fill(fh);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, target);
    return out;
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    throw e;
  }
}

/** Writes `produce` to `output` atomically (see withTempFile). */
export async function writeAtomically(output: string, produce: AsyncIterable<Buffer>): Promise<void> {
  await withTempFile(output, async (fh) => {
    // Gather about 1 MiB of pieces and write them with one writev: no stream machinery per piece.
    let batch: Buffer[] = [];
    let bytes = 0;
    for await (const piece of produce) {
      batch.push(piece);
      bytes += piece.length;
      if (bytes >= 1 << 20) { await writeAll(fh, batch); batch = []; bytes = 0; }
    }
    if (batch.length) await writeAll(fh, batch);
  });
}

async function writeAll(fh: FileHandle, parts: Buffer[]): Promise<void> {
  let rest = parts;
  while (rest.length) {
    let { bytesWritten } = await fh.writev(rest);
    const next: Buffer[] = [];
    for (const p of rest) {
      if (bytesWritten >= p.length) { bytesWritten -= p.length; continue; }
      next.push(bytesWritten ? p.subarray(bytesWritten) : p);
      bytesWritten = 0;
    }
    rest = next;
  }
}

/** Reads an open file from its current position in 1 MiB chunks (the caller closes it). */
async function* readChunks(fh: FileHandle): AsyncGenerator<Buffer> {
  for (;;) {
    const buf = Buffer.allocUnsafe(1 << 20);
    const { bytesRead } = await fh.read(buf, 0, buf.length, null);
    if (bytesRead === 0) return;
    yield bytesRead === buf.length ? buf : buf.subarray(0, bytesRead);
  }
}

export interface FileOptions {
  /** Segment size for a new file (default 1 MiB); a file being decrypted names its own. */
  segmentSize?: number;
  /** Most worker threads for a regular file (default: the CPUs, at most 4). */
  threads?: number;
  /** Regular files at least this large go through the segment-parallel path (default 4 MiB); smaller ones and non-regular inputs stream. */
  parallelMinBytes?: number;
}
export interface FileResult { bytes: number; segments: number; workers: number }

const PARALLEL_MIN = 4 * 1024 * 1024;
const options = (o: number | FileOptions | undefined): FileOptions => (typeof o === 'number' ? { segmentSize: o } : o ?? {});

/** Encrypts `input` into `output` (written atomically); returns the plaintext size, segment and worker counts. */
export async function encryptFile(input: string, output: string, secret: FileSecret, opts?: number | FileOptions): Promise<FileResult> {
  const o = options(opts);
  const segmentSize = o.segmentSize ?? DEFAULT_SEGMENT;
  const src = await open(input, 'r');
  try {
    const st = await src.stat();
    if (!st.isFile() || st.size < (o.parallelMinBytes ?? PARALLEL_MIN)) {
      let bytes = 0;
      await writeAtomically(output, encryptStream(counted(readChunks(src), (n) => { bytes += n; }), secret, segmentSize));
      return { bytes, segments: Math.max(1, Math.ceil(bytes / segmentSize)), workers: 0 };
    }
    const { hb, key, prefix } = await sealHeader(secret, segmentSize);
    return await withTempFile(output, async (fh) => {
      await writeAll(fh, [hb]);
      const r = await runSegments({
        mode: 'seal', key, prefix, inFd: src.fd, outFd: fh.fd, inStart: 0, outStart: hb.length,
        segmentSize, inBytes: st.size, threads: o.threads ?? defaultThreads(),
      });
      return { bytes: st.size, ...r };
    });
  } finally {
    await src.close();
  }
}

/** Decrypts `input` into `output`; nothing is left at `output` unless every segment verified. */
export async function decryptFile(input: string, output: string, secret: FileSecret, opts?: FileOptions): Promise<FileResult> {
  const o = opts ?? {};
  const src = await open(input, 'r');
  try {
    const st = await src.stat();
    if (!st.isFile() || st.size < (o.parallelMinBytes ?? PARALLEL_MIN)) {
      let bytes = 0;
      let segmentSize = DEFAULT_SEGMENT;
      await writeAtomically(output, counted(decryptStream(readChunks(src), secret, (h) => { segmentSize = h.segmentSize; }), (n) => { bytes += n; }));
      return { bytes, segments: Math.max(1, Math.ceil(bytes / segmentSize)), workers: 0 };
    }
    const pre = await readAt(src, PREAMBLE_LEN, 0);
    const hb = Buffer.concat([pre, await readAt(src, headerLength(pre) - PREAMBLE_LEN, PREAMBLE_LEN)]);
    const { h, key } = await openHeader(hb, secret);
    return await withTempFile(output, async (fh) => {
      const r = await runSegments({
        mode: 'open', key, prefix: h.prefix, inFd: src.fd, outFd: fh.fd, inStart: hb.length, outStart: 0,
        segmentSize: h.segmentSize, inBytes: st.size - hb.length, threads: o.threads ?? defaultThreads(),
      });
      return { bytes: (r.segments - 1) * h.segmentSize + (st.size - hb.length - (r.segments - 1) * (h.segmentSize + TAG_LEN) - TAG_LEN), ...r };
    });
  } finally {
    await src.close();
  }
}

async function readAt(fh: FileHandle, length: number, position: number): Promise<Buffer> {
  const buf = Buffer.alloc(length);
  let got = 0;
  while (got < length) {
    const { bytesRead } = await fh.read(buf, got, length - got, position + got);
    if (bytesRead === 0) throw keyError('FILE_FORMAT_INVALID', 'the file is too short to be a Warden encrypted file');
    got += bytesRead;
  }
  return buf;
}

async function* counted(src: AsyncIterable<Buffer>, add: (n: number) => void): AsyncGenerator<Buffer> {
  for await (const b of src) { add(b.length); yield b; }
}
