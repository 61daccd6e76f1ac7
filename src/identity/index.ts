import type { FastifyRequest } from 'fastify';
import type { Actor, AuditEntryInput } from '../audit/index.js';
import type { Clock } from '../clock.js';
import type { Db, Queryable } from '../db/types.js';
import type { SecurityEvent } from '../events/types.js';
import type { Principal } from '../http/guard.js';
import { apiKeys } from './api-keys.js';
import type { IdentityConfig } from './config.js';
import { type Hashing, type IdentityContext, type MfaPort, NO_MFA, type RequestMeta } from './context.js';
import { createTokenSigner, type TokenKeyProvider } from './jwt.js';
import { createHashPool } from './hash-pool.js';
import { login } from './login.js';
import { createRevocationCache } from './revocation.js';
import { decoyHash, hashPassword, verifyPassword } from './password-hash.js';
import { looksLikeApiKey } from './secrets.js';
import { sessions } from './sessions.js';
import { setup } from './setup.js';
import { users } from './users.js';

export type { IdentityConfig, LockoutPolicy } from './config.js';
export { identityConfigFromEnv, testIdentityConfig, defaultHashConcurrency, ARGON2_MINIMUM } from './config.js';
export type { MfaPort, RequestMeta } from './context.js';
export type { User, UserPatch } from './users.js';
export type { TokenResponse, SessionView } from './sessions.js';
export type { LoginResult } from './login.js';
export type { ApiKeyView } from './api-keys.js';
export type { AccessClaims, SigningKeyPairLike } from './jwt.js';
export { identityError } from './errors.js';
export { checkPassword, PASSWORD_MAX_LENGTH } from './password-policy.js';
export { hashPassword, verifyPassword } from './password-hash.js';
export { identityRoutes } from './routes.js';
export { runSetupCli } from './cli.js';

/** The small part of the keys capability identity uses (tests pass a node:crypto fake). */
export type IdentityKeys = TokenKeyProvider;

export interface IdentityDeps {
  db: Db;
  clock: Clock;
  config: IdentityConfig;
  keys: IdentityKeys;
  audit: (tx: Queryable, entry: AuditEntryInput) => Promise<unknown>;
  emit: (tx: Queryable, e: SecurityEvent) => Promise<void>;
  /** The MFA capability's port; can also be plugged later with setMfa(). */
  mfa?: MfaPort;
  /** How often the guard's revocation set is refreshed from the database (ms). */
  revocationPollMs?: number;
}

export type Identity = ReturnType<typeof createIdentity>;

/**
 * The identity capability: users and passwords, login with lockout, sessions with rotating
 * refresh tokens, EdDSA access tokens, API keys, first-admin setup, and the guard's
 * authenticate().
 */
export function createIdentity(deps: IdentityDeps) {
  const { db, clock, config } = deps;
  let mfa: MfaPort = deps.mfa ?? NO_MFA;
  const tokens = createTokenSigner({ keys: deps.keys, keyName: config.signingKey, clock, issuer: config.issuer, audience: config.audience, ttl: config.accessTtl });
  const revocations = createRevocationCache({ db, clock, horizonMs: (config.accessTtl + 60) * 1000, pollMs: deps.revocationPollMs });
  const pool = createHashPool(config.hashConcurrency, { nice: config.hashNice });
  const hashing: Hashing = {
    hash: (password) => hashPassword(password, config.argon2, pool),
    verify: (stored, password) => verifyPassword(stored, password, config.argon2, pool),
    decoy: () => decoyHash(config.argon2, pool),
  };
  const ctx: IdentityContext = { db, clock, config, audit: deps.audit, emit: deps.emit, tokens, revocations, hashing, mfa: () => mfa };
  const sess = sessions(ctx);
  const usr = users(ctx, sess);
  const auth = login(ctx, sess);
  const keys = apiKeys(ctx);
  const first = setup(ctx, usr.createUser);

  /** The guard's authenticate: an access token (JWT) or a `wdn_` API key → principal, or null. */
  async function authenticate(credential: string, _req?: FastifyRequest): Promise<Principal | null> {
    if (looksLikeApiKey(credential)) return keys.authenticate(credential);
    const c = await tokens.verify(credential);
    if (!c) return null;
    await revocations.init();
    if (revocations.isRevoked(c.sid)) return null;
    return {
      type: 'user', id: c.sub, roles: c.roles, session_id: c.sid, amr: c.amr, auth_time: c.auth_time,
      ...(c.mfa_enroll ? { mfa_enrollment_only: true } : {}),
    };
  }

  /** Creates the first admin from WARDEN_ADMIN_EMAIL / WARDEN_ADMIN_PASSWORD when none exists yet. */
  async function ensureAdminFromEnv(env: Record<string, string | undefined> = process.env): Promise<'created' | 'exists' | 'unset'> {
    const email = env.WARDEN_ADMIN_EMAIL?.trim();
    const password = env.WARDEN_ADMIN_PASSWORD;
    if (!email || !password) return 'unset';
    if (!(await first.open())) return 'exists';
    try {
      await first.firstAdmin({ email, password }, { type: 'system', id: 'env' });
      return 'created';
    } catch (e) {
      if ((e as { code?: string }).code === 'SETUP_CLOSED') return 'exists';
      throw e;
    }
  }

  return {
    authenticate,
    bootstrapOpen: first.open,
    login: auth.passwordLogin,
    verifyMfa: auth.verifyMfa,
    refresh: sess.refresh,
    logout: sess.logout,
    listSessions: sess.list,
    revokeSession: sess.revokeOne,
    markSessionMfa: sess.markMfa,
    requiresMfa: sess.requiresMfa,
    createUser: (i: Parameters<typeof usr.createUser>[0], actor: Actor) => usr.createUser(i, actor),
    importUser: usr.importUser,
    getUser: usr.getUser,
    listUsers: usr.listUsers,
    updateUser: usr.updateUser,
    deleteUser: usr.deleteUser,
    unlockUser: usr.unlockUser,
    revokeUserSessions: usr.revokeSessionsOf,
    changePassword: usr.changePassword,
    /** Roles of a user (null when unknown). */
    userRoles: async (id: string) => (await usr.getUser(id))?.roles ?? null,
    createApiKey: keys.create,
    listApiKeys: keys.list,
    revokeApiKey: keys.revoke,
    jwks: tokens.jwks,
    issueSetupToken: first.issueToken,
    setupWithToken: first.withToken,
    createFirstAdmin: first.firstAdmin,
    ensureAdminFromEnv,
    setMfa(port: MfaPort) { mfa = port; },
    async start() { await revocations.init(); revocations.start(); },
    stop() { revocations.stop(); void pool.close(); },
    /** Re-reads revocations now (tests; otherwise every poll interval). */
    syncRevocations: revocations.refresh,
  };
}

/** Request metadata for sessions, audit and events. */
export function metaOf(req: FastifyRequest): RequestMeta {
  const ua = req.headers['user-agent'];
  return { ip: req.ip ?? null, user_agent: typeof ua === 'string' ? ua.slice(0, 512) : null };
}

export { actorOf } from '../http/guard.js';
