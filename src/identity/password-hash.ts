import { randomBytes, timingSafeEqual } from 'node:crypto';
import { type Algorithm, hash as argonHash, hashRaw as argonHashRaw, type Options, type Version } from '@node-rs/argon2';
import bcrypt from 'bcryptjs';

/**
 * Password hashing: Argon2id in PHC format (parameters stored with the hash), computed off the
 * event loop: by an Argon2Engine — identity's own worker threads (hash-pool.ts), or by default
 * @node-rs/argon2's asynchronous calls. bcrypt hashes imported from elsewhere verify too and are
 * reported for rehashing.
 */
export interface Argon2Params { memoryCost: number; timeCost: number; parallelism: number }

/** Where Argon2 runs: `hash` makes a PHC string, `hashRaw` the bare hash for given salt and length. */
export interface Argon2Engine {
  hash(password: string, options: Options): Promise<string>;
  hashRaw(password: string, options: Options): Promise<Uint8Array>;
}

/** @node-rs/argon2's own asynchronous calls (the library's thread pool). */
export const libraryEngine: Argon2Engine = { hash: argonHash, hashRaw: argonHashRaw };

export interface VerifyResult {
  ok: boolean;
  /** The hash is bcrypt or weaker than the current parameters: store a fresh one. */
  needsRehash: boolean;
}

const ARGON2ID = /^\$argon2id\$v=19\$m=(\d{1,8}),t=(\d{1,4}),p=(\d{1,3})\$([A-Za-z0-9+/]{11,})\$([A-Za-z0-9+/]{6,})$/;
// The library's enum values (const enums cannot be imported by value here).
const ARGON2ID_ALGORITHM = 2 as Algorithm;
const VERSION_0X13 = 1 as Version;
const BCRYPT = /^\$2[aby]\$\d{2}\$[./A-Za-z0-9]{53}$/;

export async function hashPassword(password: string, params: Argon2Params, engine: Argon2Engine = libraryEngine): Promise<string> {
  const h = await engine.hash(password, {
    memoryCost: params.memoryCost, timeCost: params.timeCost, parallelism: params.parallelism, algorithm: ARGON2ID_ALGORITHM, version: VERSION_0X13,
  });
  if (!h.startsWith('$argon2id$')) throw new Error('argon2 produced a hash that is not Argon2id');
  return h;
}

export function isSupportedHash(stored: string): boolean {
  return parseArgon2id(stored) !== null || BCRYPT.test(stored);
}

/**
 * Bounds on the parameters of a hash we agree to compute: an imported hash asking for 90 GiB or
 * a thousand passes would turn every login attempt on that account into a denial of service.
 */
const MAX_MEMORY_KIB = 4_194_304; // 4 GiB, the most WARDEN_ARGON2_MEMORY_KIB accepts
const MAX_TIME_COST = 64; // as WARDEN_ARGON2_TIME_COST
const MAX_PARALLELISM = 16; // as WARDEN_ARGON2_PARALLELISM

/** A stored Argon2id hash taken apart: its parameters, salt and hash. */
function parseArgon2id(stored: string): (Argon2Params & { salt: Buffer; hash: Buffer }) | null {
  const m = ARGON2ID.exec(stored);
  if (!m) return null;
  const [mem, t, p] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (p < 1 || p > MAX_PARALLELISM || t < 1 || t > MAX_TIME_COST || mem < 8 * p || mem > MAX_MEMORY_KIB) return null;
  return { memoryCost: Number(m[1]), timeCost: Number(m[2]), parallelism: Number(m[3]), salt: Buffer.from(m[4], 'base64'), hash: Buffer.from(m[5], 'base64') };
}

/** True when the stored Argon2id hash uses weaker parameters than `params`. */
export function weakerThan(stored: string, params: Argon2Params): boolean {
  const o = parseArgon2id(stored);
  if (!o) return true;
  return o.memoryCost < params.memoryCost || o.timeCost < params.timeCost || o.parallelism < params.parallelism;
}

/**
 * Argon2id verification: the password hashed again with the stored parameters and salt, and
 * the two hashes compared in constant time. This is what the library's verify() does, but its
 * verify spends about 2 ms of the calling thread (the event loop) before it hands the work to
 * a worker thread, and it cannot run on an engine of our choosing.
 */
async function verifyArgon2id(stored: string, password: string, engine: Argon2Engine): Promise<boolean> {
  const o = parseArgon2id(stored);
  if (!o) return false;
  try {
    const h = await engine.hashRaw(password, {
      memoryCost: o.memoryCost, timeCost: o.timeCost, parallelism: o.parallelism, salt: o.salt,
      outputLen: o.hash.length, algorithm: ARGON2ID_ALGORITHM, version: VERSION_0X13,
    });
    return h.length === o.hash.length && timingSafeEqual(Buffer.from(h.buffer, h.byteOffset, h.byteLength), o.hash);
  } catch {
    return false;
  }
}

export async function verifyPassword(stored: string, password: string, params: Argon2Params, engine: Argon2Engine = libraryEngine): Promise<VerifyResult> {
  if (parseArgon2id(stored)) {
    const ok = await verifyArgon2id(stored, password, engine);
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
export async function decoyHash(params: Argon2Params, engine: Argon2Engine = libraryEngine): Promise<string> {
  return hashPassword(randomBytes(18).toString('base64'), params, engine);
}
