import { randomBytes } from 'node:crypto';
import { open, rename, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { Actor } from '../audit/index.js';
import { keyError } from './errors.js';
import { decodeHeader, encodeHeader, headerLength, PREAMBLE_LEN, SALT_LEN, type Argon2Params, type FileHeader } from './file-header.js';
import { parseCiphertext } from './format.js';
import { checkArgon2, DEFAULT_ARGON2, passwordKey } from './password.js';
import { chunkQueue, deriveSegmentKey, NONCE_PREFIX_LEN, openSegments, sealSegments } from './stream.js';

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

/** Encrypts a byte stream: yields the header, then the sealed segments. */
export async function* encryptStream(source: AsyncIterable<Buffer>, secret: FileSecret, segmentSize = DEFAULT_SEGMENT): AsyncGenerator<Buffer> {
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
  yield hb;
  yield* sealSegments(source, key, prefix, segmentSize);
}

/** Decrypts what encryptStream produced; throws (FILE_AUTH_FAILED …) at the first bad segment. */
export async function* decryptStream(source: AsyncIterable<Buffer>, secret: FileSecret): AsyncGenerator<Buffer> {
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
  yield* openSegments({ [Symbol.asyncIterator]: () => it } as AsyncIterable<Buffer>, key, h.prefix, h.segmentSize, q);
}

/**
 * Writes `produce` to `output` through a temporary file in the same folder (mode 0600), synced
 * and renamed into place at the end; on any failure the temporary file is removed, so no
 * partial output is ever left behind.
 */
export async function writeAtomically(output: string, produce: AsyncIterable<Buffer>): Promise<void> {
  const target = resolve(output);
  const tmp = join(dirname(target), `.${basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const fh = await open(tmp, 'wx', 0o600);
    try {
      // Gather about 1 MiB of pieces and write them with one writev: no stream machinery per piece.
      let batch: Buffer[] = [];
      let bytes = 0;
      for await (const piece of produce) {
        batch.push(piece);
        bytes += piece.length;
        if (bytes >= 1 << 20) { await writeAll(fh, batch); batch = []; bytes = 0; }
      }
      if (batch.length) await writeAll(fh, batch);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, target);
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    throw e;
  }
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

/** Reads the input in 1 MiB chunks, opening it only when the first chunk is wanted. */
async function* readChunks(input: string): AsyncGenerator<Buffer> {
  const fh = await open(input, 'r');
  try {
    for (;;) {
      const buf = Buffer.allocUnsafe(1 << 20);
      const { bytesRead } = await fh.read(buf, 0, buf.length, null);
      if (bytesRead === 0) return;
      yield bytesRead === buf.length ? buf : buf.subarray(0, bytesRead);
    }
  } finally {
    await fh.close();
  }
}

export async function encryptFile(input: string, output: string, secret: FileSecret, segmentSize = DEFAULT_SEGMENT): Promise<void> {
  await writeAtomically(output, encryptStream(readChunks(input), secret, segmentSize));
}

export async function decryptFile(input: string, output: string, secret: FileSecret): Promise<void> {
  await writeAtomically(output, decryptStream(readChunks(input), secret));
}
