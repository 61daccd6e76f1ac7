import { availableParallelism } from 'node:os';
import { WardenError } from '../errors.js';

/** Identity settings: WARDEN_* variables, validated when read. Tests pass their own values. */
export interface IdentityConfig {
  /** JWT `iss` and `aud`. */
  issuer: string;
  audience: string;
  /** Access-token lifetime, seconds. */
  accessTtl: number;
  /** Refresh: absolute and idle lifetimes, and the grace for concurrent use of a just-rotated token, seconds. */
  refreshTtl: number;
  refreshIdleTtl: number;
  refreshGrace: number;
  /** Argon2id parameters for new hashes (memory in KiB). */
  argon2: { memoryCost: number; timeCost: number; parallelism: number };
  /** Password hashes computed at once at most (the rest queue); see defaultHashConcurrency. */
  hashConcurrency: number;
  /** Nice levels the hashing threads run below the event loop (Linux; 0 = same priority). */
  hashNice: number;
  passwordMinLength: number;
  lockout: LockoutPolicy;
  /** Failed logins per IP per 15 minutes before that IP is throttled. */
  ipFailureMax: number;
  /** Roles whose users must use MFA. */
  mfaRequiredRoles: string[];
  /** Lifetime of the mfa_token that follows a password, seconds; attempts per token. */
  mfaTokenTtl: number;
  mfaTokenAttempts: number;
  /** Keyring key that signs access tokens. */
  signingKey: string;
  /** Cookies get the Secure flag. */
  secureCookies: boolean;
}

export interface LockoutPolicy {
  /** Consecutive failures that lock the account. */
  threshold: number;
  /** First lock, doubling for each further failure, up to max (ms). */
  baseMs: number;
  maxMs: number;
  /** Password checks per account per hour, at most. */
  hourlyMax: number;
}

type Env = Record<string, string | undefined>;

function bad(name: string, why: string): WardenError {
  return new WardenError('CONFIG_INVALID', `${name} ${why}`, 500, { variable: name });
}

function int(env: Env, name: string, def: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const raw = env[name]?.trim();
  if (!raw) return def;
  if (!/^\d+$/.test(raw)) throw bad(name, `must be a whole number, got "${raw}"`);
  const n = Number(raw);
  if (n < min || n > max) throw bad(name, `must be between ${min} and ${max}, got ${n}`);
  return n;
}

function list(env: Env, name: string, def: string[]): string[] {
  const raw = env[name];
  if (raw === undefined) return def;
  return raw.split(',').map((s) => s.trim()).filter(Boolean);
}

/**
 * Default WARDEN_ARGON2_CONCURRENCY: one core fewer than the machine has (at least one).
 * The trade-off: a login flood can use at most (cores - 1) cores for Argon2, so peak logins/s
 * are about (cores - 1) / cores of what unbounded hashing would reach (half on 2 cores), and
 * in exchange one core stays for the event loop: token checks, other routes and the login
 * bookkeeping itself keep their latency while logins saturate the hashing slots. Logins beyond
 * the bound wait for a slot (a pending promise, not a blocked loop). Set the variable to the
 * core count for a login-only node.
 */
export function defaultHashConcurrency(cores = availableParallelism()): number {
  return Math.max(1, cores - 1);
}

export const ARGON2_MINIMUM = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/** Reads identity's settings from the environment (defaults documented in the README table). */
export function identityConfigFromEnv(env: Env = process.env, opts: { publicUrl?: string | null; tls?: boolean } = {}): IdentityConfig {
  const accessTtl = int(env, 'WARDEN_ACCESS_TOKEN_TTL', 900, 60, 86_400);
  const refreshTtl = int(env, 'WARDEN_REFRESH_TOKEN_TTL', 14 * 86_400, 300);
  const refreshIdleTtl = int(env, 'WARDEN_REFRESH_IDLE_TTL', 7 * 86_400, 300);
  if (refreshIdleTtl > refreshTtl) throw bad('WARDEN_REFRESH_IDLE_TTL', 'must not exceed WARDEN_REFRESH_TOKEN_TTL');
  return {
    issuer: env.WARDEN_JWT_ISSUER?.trim() || opts.publicUrl || 'warden',
    audience: env.WARDEN_JWT_AUDIENCE?.trim() || 'warden',
    accessTtl,
    refreshTtl,
    refreshIdleTtl,
    refreshGrace: int(env, 'WARDEN_REFRESH_REUSE_GRACE', 10, 0, 120),
    argon2: {
      memoryCost: int(env, 'WARDEN_ARGON2_MEMORY_KIB', ARGON2_MINIMUM.memoryCost, ARGON2_MINIMUM.memoryCost, 4_194_304),
      timeCost: int(env, 'WARDEN_ARGON2_TIME_COST', ARGON2_MINIMUM.timeCost, ARGON2_MINIMUM.timeCost, 64),
      parallelism: int(env, 'WARDEN_ARGON2_PARALLELISM', ARGON2_MINIMUM.parallelism, 1, 16),
    },
    hashConcurrency: int(env, 'WARDEN_ARGON2_CONCURRENCY', defaultHashConcurrency(), 1, 256),
    hashNice: int(env, 'WARDEN_ARGON2_NICE', 10, 0, 19),
    passwordMinLength: int(env, 'WARDEN_PASSWORD_MIN_LENGTH', 12, 8, 128),
    lockout: {
      threshold: int(env, 'WARDEN_LOCKOUT_THRESHOLD', 10, 1, 1000),
      baseMs: int(env, 'WARDEN_LOCKOUT_BASE_SECONDS', 60, 1) * 1000,
      maxMs: int(env, 'WARDEN_LOCKOUT_MAX_SECONDS', 3600, 1) * 1000,
      hourlyMax: int(env, 'WARDEN_LOCKOUT_HOURLY_MAX', 100, 1, 100),
    },
    ipFailureMax: int(env, 'WARDEN_LOGIN_IP_FAILURES', 50, 1),
    mfaRequiredRoles: list(env, 'WARDEN_MFA_REQUIRED_ROLES', ['admin', 'legal_team']),
    mfaTokenTtl: int(env, 'WARDEN_MFA_TOKEN_TTL', 300, 30, 1800),
    mfaTokenAttempts: 5,
    signingKey: env.WARDEN_JWT_SIGNING_KEY?.trim() || 'warden-jwt',
    secureCookies: opts.tls ?? false,
  };
}

/** Defaults with cheap hashing, for tests whose subject is not the hashing parameters. */
export function testIdentityConfig(over: Partial<IdentityConfig> = {}): IdentityConfig {
  return { ...identityConfigFromEnv({}), argon2: { memoryCost: 1024, timeCost: 1, parallelism: 1 }, ...over };
}
