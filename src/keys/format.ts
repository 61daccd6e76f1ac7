import { createCipheriv, createDecipheriv, randomFillSync, type KeyObject } from 'node:crypto';
import { keyError } from './errors.js';

/**
 * The value ciphertext format, versioned and self-describing:
 *
 *   wdn:v1:<key>:<version>:<base64url(iv ‖ ciphertext ‖ tag)>
 *
 * AES-256-GCM with a fresh random 96-bit IV and a 128-bit tag. The associated data is
 * `wdn:v1:<key>:<version>:` followed by the encryption context (e.g. `users.email.42`), so a
 * ciphertext moved to another row, column or key, or relabelled, fails to decrypt.
 * Keyring names never start with `@`; `@<id>` names a per-subject key.
 */
export const FORMAT_PREFIX = 'wdn:v1:';
const IV_LEN = 12;
const TAG_LEN = 16;
const NAME = /^@?[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const VERSION = /^[1-9]\d{0,8}$/;

export interface ParsedCiphertext {
  key: string;
  version: number;
  /** `wdn:v1:<key>:<version>:` — the prefix that is also the start of the associated data. */
  header: string;
  data: Buffer;
}

/** The header a value sealed under key `name`, version `version` starts with. */
export function headerFor(name: string, version: number): string {
  return `${FORMAT_PREFIX}${name}:${version}:`;
}

// IVs come from a pool refilled from the CSPRNG in blocks: one syscall per 4,096 values.
let ivPool = Buffer.alloc(0);
let ivPos = 0;
function nextIv(): Buffer {
  if (ivPos + IV_LEN > ivPool.length) {
    ivPool = randomFillSync(Buffer.allocUnsafe(IV_LEN * 4096));
    ivPos = 0;
  }
  const iv = ivPool.subarray(ivPos, ivPos + IV_LEN);
  ivPos += IV_LEN;
  return iv;
}

// Scratch space for the associated data and the sealed bytes: OpenSSL copies the AAD when it is
// set and base64url reads the sealed bytes at once, so nothing here outlives one call (all of it
// synchronous). Values too large for it take freshly allocated buffers instead.
const SCRATCH = 16 * 1024;
const aadScratch = Buffer.allocUnsafe(SCRATCH);
const outScratch = Buffer.allocUnsafe(SCRATCH);

/** `header ‖ context` as UTF-8, in the scratch buffer when it fits (valid until the next call). */
function aad(header: string, context: string): Buffer {
  if ((header.length + context.length) * 3 > SCRATCH) return Buffer.from(header + context, 'utf8');
  const n = aadScratch.write(header, 0, 'utf8');
  return aadScratch.subarray(0, n + aadScratch.write(context, n, 'utf8'));
}

/** Seals plaintext under key (AES-256-GCM); `iv` only for known-answer tests. */
export function sealValue(key: KeyObject, header: string, plaintext: Buffer, context = '', iv: Buffer = nextIv()): string {
  const c = createCipheriv('aes-256-gcm', key, iv);
  c.setAAD(aad(header, context));
  const body = c.update(plaintext);
  const fin = c.final();
  const tag = c.getAuthTag();
  const len = IV_LEN + plaintext.length + TAG_LEN;
  const out = len <= SCRATCH ? outScratch : Buffer.allocUnsafe(len);
  iv.copy(out, 0);
  body.copy(out, IV_LEN);
  if (fin.length) fin.copy(out, IV_LEN + body.length);
  tag.copy(out, IV_LEN + plaintext.length);
  return header + out.toString('base64url', 0, len);
}

/** Splits a ciphertext into key name, version and bytes; CIPHERTEXT_INVALID when it is not one. */
export function parseCiphertext(ciphertext: string): ParsedCiphertext {
  if (typeof ciphertext !== 'string' || !ciphertext.startsWith(FORMAT_PREFIX)) {
    throw keyError('CIPHERTEXT_INVALID', 'not a Warden ciphertext (expected wdn:v1:<key>:<version>:<data>)');
  }
  const rest = ciphertext.slice(FORMAT_PREFIX.length);
  const a = rest.indexOf(':');
  const b = a < 0 ? -1 : rest.indexOf(':', a + 1);
  if (a < 0 || b < 0) throw keyError('CIPHERTEXT_INVALID', 'ciphertext lacks key name or version');
  const key = rest.slice(0, a);
  const v = rest.slice(a + 1, b);
  const body = rest.slice(b + 1);
  if (!NAME.test(key) || !VERSION.test(v) || !/^[A-Za-z0-9_-]+$/.test(body)) {
    throw keyError('CIPHERTEXT_INVALID', 'ciphertext is malformed');
  }
  const data = Buffer.from(body, 'base64url');
  if (data.length < IV_LEN + TAG_LEN) throw keyError('CIPHERTEXT_INVALID', 'ciphertext is too short');
  const version = Number(v);
  return { key, version, header: headerFor(key, version), data };
}

/** Opens a parsed ciphertext; DECRYPTION_FAILED on a wrong key or context or any tampering. */
export function openValue(key: KeyObject, p: ParsedCiphertext, context = ''): Buffer {
  try {
    const d = createDecipheriv('aes-256-gcm', key, p.data.subarray(0, IV_LEN));
    d.setAAD(aad(p.header, context));
    d.setAuthTag(p.data.subarray(p.data.length - TAG_LEN));
    const out = d.update(p.data.subarray(IV_LEN, p.data.length - TAG_LEN));
    const fin = d.final();
    return fin.length ? Buffer.concat([out, fin]) : out;
  } catch (e) {
    throw keyError('DECRYPTION_FAILED', 'decryption failed: wrong key or context, or the ciphertext was altered',
      { key: p.key, version: p.version }, e);
  }
}
