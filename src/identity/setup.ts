import type { Actor } from '../audit/index.js';
import type { IdentityContext } from './context.js';
import { identityError } from './errors.js';
import { newSecret, secretHash } from './secrets.js';
import * as store from './store.js';
import type { User } from './users.js';

export const SETUP_TOKEN_TTL_MS = 3_600_000;

/**
 * The first administrator: by CLI, by WARDEN_ADMIN_EMAIL/PASSWORD, or by a one-time setup
 * token (1 hour) the server prints while no user exists. Once an admin exists, setup is
 * closed for good and the bootstrap token stops working.
 */
export function setup(ctx: IdentityContext, createUser: (i: { email: string; name?: string; password: string; roles?: string[] }, a: Actor, o: { firstAdmin?: boolean }) => Promise<User>) {
  const { db, clock } = ctx;
  let closed = false;
  let checkedAt = 0;

  /** True while no administrator exists (cached: once closed, closed forever). */
  async function open(): Promise<boolean> {
    if (closed) return false;
    if (Date.now() - checkedAt < 1000) return true;
    closed = await store.adminExists(db);
    checkedAt = Date.now();
    return !closed;
  }

  /** A new setup token when no user exists yet (null otherwise); only its hash is stored. */
  async function issueToken(): Promise<{ token: string; expires_at: string } | null> {
    if (!(await open())) return null;
    const token = `wdn_setup_${newSecret(24)}`;
    const expires = new Date(clock().getTime() + SETUP_TOKEN_TTL_MS);
    await store.putSetupToken(db, secretHash(token), expires);
    return { token, expires_at: expires.toISOString() };
  }

  async function withToken(token: string, input: { email: string; password: string; name?: string }, actor: Actor): Promise<User> {
    if (!(await open())) throw identityError('SETUP_CLOSED', 'Setup is closed: an administrator exists');
    // The admin's creation (one transaction under the setup lock) clears the token: single use.
    const ok = await store.setupTokenValid(db, secretHash(token), clock());
    if (!ok) throw identityError('SETUP_TOKEN_INVALID', 'The setup token is invalid or expired');
    const u = await createUser({ ...input, roles: ['admin'] }, actor, { firstAdmin: true });
    closed = true;
    return u;
  }

  /** CLI and environment: creates the first admin; SETUP_CLOSED when one exists. */
  async function firstAdmin(input: { email: string; password: string; name?: string }, actor: Actor): Promise<User> {
    const u = await createUser({ ...input, roles: ['admin'] }, actor, { firstAdmin: true });
    closed = true;
    return u;
  }

  return { open, issueToken, withToken, firstAdmin };
}
