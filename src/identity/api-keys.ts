import type { Actor } from '../audit/index.js';
import type { Principal } from '../http/guard.js';
import { type IdentityContext, recordAuth } from './context.js';
import { identityError } from './errors.js';
import { apiKeyDisplayPrefix, looksLikeApiKey, newApiKey, newId, secretHash } from './secrets.js';
import * as store from './store-sessions.js';
import { validRoles } from './users.js';

export interface ApiKeyView {
  id: string; name: string; prefix: string; roles: string[]; created_by: string | null;
  created_at: string; expires_at: string | null; revoked_at: string | null; last_used_at: string | null;
}

function view(k: store.ApiKeyRow): ApiKeyView {
  return {
    id: k.id, name: k.name, prefix: k.prefix, roles: k.roles, created_by: k.created_by,
    created_at: k.created_at.toISOString(), expires_at: k.expires_at?.toISOString() ?? null,
    revoked_at: k.revoked_at?.toISOString() ?? null, last_used_at: k.last_used_at?.toISOString() ?? null,
  };
}

const CACHE_MS = 2000;
const TOUCH_MS = 60_000;

/**
 * API keys for machines: `wdn_` + 256 random bits, shown once, stored as SHA-256. Lookups are
 * cached for 2 s (a revocation elsewhere is honoured within that); last use is written at
 * most once a minute per key.
 */
export function apiKeys(ctx: IdentityContext) {
  const { db, clock } = ctx;
  const cache = new Map<string, { row: (store.ApiKeyRow & { creator_status: string | null }) | null; at: number }>();
  const touched = new Map<string, number>();

  /**
   * Creates a key. Without `rolesChecked` (no access policy wired) a key may carry only roles its
   * creator holds by name; the HTTP edge passes `rolesChecked` once access has checked the grant
   * permission by permission.
   */
  async function create(input: { name: string; roles: string[]; expires_at?: string | null }, creator: Principal, actor: Actor,
    opts: { rolesChecked?: boolean } = {}): Promise<ApiKeyView & { key: string }> {
    const roles = validRoles(input.roles);
    const mayGrantAny = opts.rolesChecked || creator.type === 'bootstrap' || creator.roles.includes('admin');
    if (!mayGrantAny && roles.some((r) => !creator.roles.includes(r))) {
      throw identityError('API_KEY_ROLES', 'An API key may only carry roles its creator holds');
    }
    const expires = input.expires_at ? new Date(input.expires_at) : null;
    if (expires && (Number.isNaN(expires.getTime()) || expires <= clock())) throw identityError('API_KEY_ROLES', 'expires_at must be a future date-time');
    const key = newApiKey();
    const row: store.ApiKeyRow = {
      id: newId('key'), name: input.name.trim(), prefix: apiKeyDisplayPrefix(key), key_hash: secretHash(key), roles,
      created_by: creator.type === 'bootstrap' ? null : creator.id, created_at: clock(), expires_at: expires, revoked_at: null, last_used_at: null,
    };
    await db.tx(async (tx) => {
      await store.insertApiKey(tx, row);
      await recordAuth(ctx, tx, { action: 'api_key.create', outcome: 'success', actor, details: { api_key_id: row.id, name: row.name, roles } });
    });
    return { ...view(row), key };
  }

  async function list(): Promise<ApiKeyView[]> {
    return (await store.listApiKeys(db)).map(view);
  }

  async function revoke(id: string, actor: Actor): Promise<ApiKeyView> {
    const row = await db.tx(async (tx) => {
      const r = await store.revokeApiKey(tx, id, clock());
      if (!r) throw identityError('API_KEY_NOT_FOUND', 'No such API key');
      await recordAuth(ctx, tx, { action: 'api_key.revoke', outcome: 'success', actor, details: { api_key_id: id } });
      return r;
    });
    cache.delete(row.key_hash);
    return view(row);
  }

  /** The principal of a live API key, or null. */
  async function authenticate(key: string): Promise<Principal | null> {
    if (!looksLikeApiKey(key)) return null;
    const hash = secretHash(key);
    const now = Date.now();
    let hit = cache.get(hash);
    if (!hit || now - hit.at > CACHE_MS) {
      hit = { row: await store.getApiKeyByHash(db, hash), at: now };
      if (cache.size > 10_000) cache.clear();
      cache.set(hash, hit);
    }
    const k = hit.row;
    if (!k || k.revoked_at || (k.expires_at && k.expires_at <= clock())) return null;
    // a key dies with its creator: disabled or deleted users' keys stop working (a lockout does not)
    if (k.created_by && k.creator_status !== 'active' && k.creator_status !== 'locked') return null;
    if (now - (touched.get(k.id) ?? 0) > TOUCH_MS) {
      touched.set(k.id, now);
      void store.touchApiKey(db, k.id, clock()).catch(() => undefined);
    }
    return { type: 'api_key', id: k.id, roles: k.roles };
  }

  return { create, list, revoke, authenticate };
}
