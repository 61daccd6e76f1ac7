import { hashRaw, type Algorithm } from '@node-rs/argon2';
import { keyError } from './errors.js';
import type { Argon2Params } from './file-header.js';

/** Algorithm.Argon2id (a const enum, not importable under isolatedModules). */
const ARGON2ID = 2 as Algorithm;

/** Default Argon2id cost for file passwords: 64 MiB, 3 passes, 1 lane (above OWASP's 19 MiB, t=2, p=1 floor). */
export const DEFAULT_ARGON2: Argon2Params = { m: 65536, t: 3, p: 1 };
/** OWASP's minimum; anything weaker is refused, on writing and on reading. */
export const MIN_ARGON2: Argon2Params = { m: 19456, t: 2, p: 1 };
/** Upper bounds so a hostile header cannot make us allocate gigabytes or spin for minutes. */
const MAX_ARGON2: Argon2Params = { m: 1_048_576, t: 64, p: 16 };

export function checkArgon2(k: Argon2Params): Argon2Params {
  const ok = (['m', 't', 'p'] as const).every((f) => Number.isInteger(k[f]) && k[f] >= MIN_ARGON2[f] && k[f] <= MAX_ARGON2[f]);
  if (!ok) {
    throw keyError('KDF_PARAMS_INVALID', `Argon2id parameters out of range (m ${MIN_ARGON2.m}-${MAX_ARGON2.m} KiB, t ${MIN_ARGON2.t}-${MAX_ARGON2.t}, p ${MIN_ARGON2.p}-${MAX_ARGON2.p})`);
  }
  return k;
}

/** Argon2id(password, salt) → 32 raw bytes. */
export async function passwordKey(password: Buffer, salt: Buffer, k: Argon2Params): Promise<Buffer> {
  checkArgon2(k);
  if (password.length === 0) throw keyError('PASSWORD_INVALID', 'the password is empty');
  return hashRaw(password, { algorithm: ARGON2ID, memoryCost: k.m, timeCost: k.t, parallelism: k.p, salt, outputLen: 32 });
}
