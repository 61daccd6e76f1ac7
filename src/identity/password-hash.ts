import { hash as argonHash, parseOptions, verify as argonVerify } from '@node-rs/argon2';
import bcrypt from 'bcryptjs';

/**
 * Password hashing: Argon2id in PHC format (parameters stored with the hash), computed on
 * @node-rs/argon2's worker threads so the event loop never waits. bcrypt hashes imported
 * from elsewhere verify too and are reported for rehashing.
 */
export interface Argon2Params { memoryCost: number; timeCost: number; parallelism: number }

export interface VerifyResult {
  ok: boolean;
  /** The hash is bcrypt or weaker than the current parameters: store a fresh one. */
  needsRehash: boolean;
}

const ARGON2ID = /^\$argon2id\$v=19\$m=\d+,t=\d+,p=\d+\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/;
const BCRYPT = /^\$2[aby]\$\d{2}\$[./A-Za-z0-9]{53}$/;

export async function hashPassword(password: string, params: Argon2Params): Promise<string> {
  // The default algorithm of @node-rs/argon2 is Argon2id (version 0x13).
  const h = await argonHash(password, { memoryCost: params.memoryCost, timeCost: params.timeCost, parallelism: params.parallelism });
  if (!h.startsWith('$argon2id$')) throw new Error('argon2 produced a hash that is not Argon2id');
  return h;
}

export function isSupportedHash(stored: string): boolean {
  return ARGON2ID.test(stored) || BCRYPT.test(stored);
}

/** True when the stored Argon2id hash uses weaker parameters than `params`. */
export function weakerThan(stored: string, params: Argon2Params): boolean {
  if (!ARGON2ID.test(stored)) return true;
  const o = parseOptions(stored);
  return o.memoryCost < params.memoryCost || o.timeCost < params.timeCost || o.parallelism < params.parallelism;
}

export async function verifyPassword(stored: string, password: string, params: Argon2Params): Promise<VerifyResult> {
  if (ARGON2ID.test(stored)) {
    let ok = false;
    try { ok = await argonVerify(stored, password); } catch { ok = false; }
    return { ok, needsRehash: ok && weakerThan(stored, params) };
  }
  if (BCRYPT.test(stored)) {
    // bcrypt looks at 72 bytes only; refuse longer inputs rather than accept a prefix.
    if (Buffer.byteLength(password, 'utf8') > 72) return { ok: false, needsRehash: false };
    const ok = await bcrypt.compare(password, stored);
    return { ok, needsRehash: ok };
  }
  return { ok: false, needsRehash: false };
}

/**
 * A hash of a random password with the current parameters: verifying against it costs what a
 * real verification costs, so an unknown email takes as long as a wrong password.
 */
export async function decoyHash(params: Argon2Params): Promise<string> {
  const { randomBytes } = await import('node:crypto');
  return hashPassword(randomBytes(18).toString('base64'), params);
}
