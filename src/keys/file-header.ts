import { keyError } from './errors.js';
import { NONCE_PREFIX_LEN } from './stream.js';

/**
 * The encrypted file header (all integers big-endian):
 *
 *   "WDNF" ‖ format version (u8 = 1) ‖ header length (u16) ‖ kind (u8: 1 keyring, 2 password)
 *   ‖ segment size (u32) ‖ nonce prefix (7) ‖ salt (16)
 *   ‖ kind 1: wrapped file key length (u16) ‖ wrapped file key (`wdn:v1:<key>:<version>:…`, UTF-8)
 *   ‖ kind 2: KDF (u8: 1 = Argon2id) ‖ memory KiB (u32) ‖ iterations (u32) ‖ parallelism (u8)
 *
 * The whole header is HKDF info for the segment key, so changing any byte of it fails.
 */
export const MAGIC = Buffer.from('WDNF');
export const FORMAT_VERSION = 1;
export const PREAMBLE_LEN = 7;
export const SALT_LEN = 16;
export const MAX_HEADER = 4096;
export const MIN_SEGMENT = 4096;
export const MAX_SEGMENT = 8 * 1024 * 1024;

export interface Argon2Params { m: number; t: number; p: number }
export type FileHeader =
  | { kind: 'key'; segmentSize: number; prefix: Buffer; salt: Buffer; wrappedKey: string }
  | { kind: 'password'; segmentSize: number; prefix: Buffer; salt: Buffer; kdf: Argon2Params };

export function encodeHeader(h: FileHeader): Buffer {
  const tail = h.kind === 'key'
    ? (() => { const w = Buffer.from(h.wrappedKey, 'utf8'); const l = Buffer.alloc(2); l.writeUInt16BE(w.length); return Buffer.concat([l, w]); })()
    : (() => { const b = Buffer.alloc(10); b[0] = 1; b.writeUInt32BE(h.kdf.m, 1); b.writeUInt32BE(h.kdf.t, 5); b[9] = h.kdf.p; return b; })();
  const len = PREAMBLE_LEN + 1 + 4 + NONCE_PREFIX_LEN + SALT_LEN + tail.length;
  if (len > MAX_HEADER) throw keyError('FILE_FORMAT_INVALID', 'file header too large');
  const out = Buffer.alloc(len);
  MAGIC.copy(out, 0);
  out[4] = FORMAT_VERSION;
  out.writeUInt16BE(len, 5);
  out[7] = h.kind === 'key' ? 1 : 2;
  out.writeUInt32BE(h.segmentSize, 8);
  h.prefix.copy(out, 12);
  h.salt.copy(out, 12 + NONCE_PREFIX_LEN);
  tail.copy(out, 12 + NONCE_PREFIX_LEN + SALT_LEN);
  return out;
}

/** Header length from the first 7 bytes; FILE_FORMAT_INVALID when it is not a Warden file. */
export function headerLength(preamble: Buffer): number {
  if (preamble.length < PREAMBLE_LEN || !preamble.subarray(0, 4).equals(MAGIC)) {
    throw keyError('FILE_FORMAT_INVALID', 'not a Warden encrypted file');
  }
  if (preamble[4] !== FORMAT_VERSION) throw keyError('FILE_FORMAT_INVALID', `unsupported file format version ${preamble[4]}`);
  const len = preamble.readUInt16BE(5);
  if (len < PREAMBLE_LEN + 1 + 4 + NONCE_PREFIX_LEN + SALT_LEN || len > MAX_HEADER) throw keyError('FILE_FORMAT_INVALID', 'bad header length');
  return len;
}

export function decodeHeader(buf: Buffer): FileHeader {
  const len = headerLength(buf);
  if (buf.length !== len) throw keyError('FILE_FORMAT_INVALID', 'header length mismatch');
  const kind = buf[7];
  const segmentSize = buf.readUInt32BE(8);
  if (segmentSize < MIN_SEGMENT || segmentSize > MAX_SEGMENT) throw keyError('FILE_FORMAT_INVALID', 'segment size out of range');
  const prefix = Buffer.from(buf.subarray(12, 12 + NONCE_PREFIX_LEN));
  const salt = Buffer.from(buf.subarray(12 + NONCE_PREFIX_LEN, 12 + NONCE_PREFIX_LEN + SALT_LEN));
  const at = 12 + NONCE_PREFIX_LEN + SALT_LEN;
  if (kind === 1) {
    if (len < at + 2 || buf.readUInt16BE(at) !== len - at - 2) throw keyError('FILE_FORMAT_INVALID', 'bad wrapped key length');
    return { kind: 'key', segmentSize, prefix, salt, wrappedKey: buf.subarray(at + 2).toString('utf8') };
  }
  if (kind === 2) {
    if (len !== at + 10 || buf[at] !== 1) throw keyError('FILE_FORMAT_INVALID', 'unknown password KDF');
    return { kind: 'password', segmentSize, prefix, salt, kdf: { m: buf.readUInt32BE(at + 1), t: buf.readUInt32BE(at + 5), p: buf[at + 9] } };
  }
  throw keyError('FILE_FORMAT_INVALID', `unknown key kind ${kind}`);
}
