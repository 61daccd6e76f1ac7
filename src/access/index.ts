import type { Clock } from '../clock.js';
import type { Db, Queryable } from '../db/types.js';
import { BUILTIN_ROLES, type Classification, CLASSIFICATIONS, DOMAINS, PERMISSIONS, PROTECTION } from './catalogue.js';
import { type Decision, decide, type ResourceRef, type Subject } from './decide.js';
import { accessError } from './errors.js';
import { createPolicyHolder, createSubjectCache, type CurrentUser } from './live.js';
import { effectiveGrants, type Grants, permissionsOf, type Policy } from './policy.js';
import { type AccessAuditPort, type AccessEventsPort, recordDenial, type RequestContext } from './record.js';
import { buildReview } from './review.js';
import { createRoleAdmin } from './roles.js';
import * as store from './store.js';

export type { Decision, DecisionCode, ResourceRef, Subject } from './decide.js';
export type { Classification, Domain, PermissionDef, ProtectionLevel, RoleDef } from './catalogue.js';
export type { Policy, Grants } from './policy.js';
export type { CurrentUser } from './live.js';
export type { RequestContext, AccessAuditPort, AccessEventsPort } from './record.js';
export type { RoleRow } from './store.js';
export type { ReviewRow, Review } from './review.js';
export { BUILTIN_ROLES, CLASSIFICATIONS, DOMAINS, PERMISSIONS, PROTECTION } from './catalogue.js';
export { decide, resolvePermission } from './decide.js';
export { compilePolicy, effectiveGrants, hasPermission, permissionsOf } from './policy.js';
export { accessError } from './errors.js';
export { reviewCsv } from './review.js';

/** A user as the access review shows it. */
export interface AccessUser {
  id: string;
  email?: string | null;
  status: string;
  roles: string[];
  mfa_enabled: boolean;
  last_login_at: Date | string | null;
}

/** The small piece of the user directory (identity) access needs. */
export interface AccessUsers {
  /** The user's roles and whether it may act now; null when there is no such user. */
  getUser(id: string): Promise<CurrentUser | null>;
  listUsers(): Promise<AccessUser[]>;
  /**
   * Replaces the user's roles; `within` runs in the directory's transaction after the change (with the
   * roles before), so access's own audit entry and event commit or fail with it. Returns the roles
   * before, or null for no such user.
   */
  setRoles(id: string, roles: string[], actor: { type: AccessPrincipal['type']; id: string },
    within: (tx: Queryable, before: string[]) => Promise<void>): Promise<{ before: string[] } | null>;
}

/** The principal a check is about (the guard's Principal fits). */
export interface AccessPrincipal extends Subject { roles: readonly string[] }

export interface AccessDeps {
  db: Db;
  clock: Clock;
  audit: AccessAuditPort;
  events: AccessEventsPort;
  /** The user directory; without it, users' token roles are trusted as they are. */
  users?: AccessUsers;
  /** How long a user's roles and the policy version are cached (default 2000 ms). */
  cacheMs?: number;
}

export type Access = Awaited<ReturnType<typeof createAccess>>;

/** The access capability: seeds the catalogue, then decides, explains, enforces and administers roles. */
export async function createAccess(deps: AccessDeps) {
  const { db, clock } = deps;
  const ttlMs = deps.cacheMs ?? 2000;
  await db.tx((tx) => store.syncBuiltins(tx, PERMISSIONS, BUILTIN_ROLES, clock()));
  const holder = createPolicyHolder({
    clock, ttlMs, initial: await store.loadPolicy(db), readVersion: () => store.readVersion(db), load: () => store.loadPolicy(db),
  });
  const users = deps.users;
  const cache = createSubjectCache({ clock, ttlMs, load: (id) => users!.getUser(id) });
  let byRoles = new Map<string, Grants>();
  let byRolesPolicy: Policy | null = null;

  /** Grants from the roles a token carries (API keys, bootstrap, or no directory), memoised per policy. */
  function tokenGrants(policy: Policy, roles: readonly string[]): Grants {
    if (byRolesPolicy !== policy) { byRoles = new Map(); byRolesPolicy = policy; }
    const key = roles.join(',');
    let g = byRoles.get(key);
    if (!g) { g = effectiveGrants(policy, roles); if (byRoles.size < 10_000) byRoles.set(key, g); }
    return g;
  }

  const inactive = (p: AccessPrincipal, permission: string): Decision => ({
    allowed: false, permission, code: 'inactive', granted_by: null, roles: [],
    reason: `denied: ${p.type} ${p.id} is disabled or no longer exists`,
  });

  /** The subject's current grants: users from the directory (cached), others from their token. */
  async function grantsFor(p: AccessPrincipal): Promise<Grants | null> {
    const policy = await holder.fresh();
    if (p.type !== 'user' || !users) return tokenGrants(policy, p.type === 'bootstrap' ? ['admin'] : p.roles);
    return (await cache.resolve(p.id, policy)).grants;
  }

  /** The one decision: may principal do action (a permission, or read/write/delete/export) on resource? */
  async function check(p: AccessPrincipal, action: string, resource?: ResourceRef): Promise<Decision> {
    const g = await grantsFor(p);
    return g ? decide(g, p, action, resource) : inactive(p, action);
  }

  /** check without I/O, on whatever is cached (token roles when nothing is): hot loops and the benchmark. */
  function checkCached(p: AccessPrincipal, action: string, resource?: ResourceRef): Decision {
    const policy = holder.current();
    let g: Grants | null;
    if (p.type === 'user' && users) {
      const hit = cache.peek(p.id, policy);
      g = hit === undefined ? tokenGrants(policy, p.roles) : hit;
    } else g = tokenGrants(policy, p.type === 'bootstrap' ? ['admin'] : p.roles);
    return g ? decide(g, p, action, resource) : inactive(p, action);
  }

  /** check, and on denial: audit entry + access.denied event, then a 403 with the reason. */
  async function enforce(p: AccessPrincipal, action: string, resource?: ResourceRef, ctx?: RequestContext): Promise<Decision> {
    const d = await check(p, action, resource);
    if (d.allowed) return d;
    await db.tx((tx) => recordDenial(tx, { audit: deps.audit, events: deps.events, clock }, p, d, resource, ctx));
    throw accessError('ACCESS_DENIED', d.reason, { permission: d.permission, reason: d.reason, decision: d.code });
  }

  /** The decision with everything that led to it. */
  async function explain(p: AccessPrincipal, action: string, resource?: ResourceRef) {
    const g = await grantsFor(p);
    const decision = g ? decide(g, p, action, resource) : inactive(p, action);
    const cls = resource?.classification;
    return {
      decision,
      subject: {
        type: p.type, id: p.id, token_roles: [...p.roles], current_roles: g ? [...g.roles] : [],
        roles_source: p.type === 'user' && users ? 'directory' : 'token', mfa: !!p.amr?.includes('otp'),
      },
      effective_permissions: g ? permissionsOf(g) : [],
      protection: cls && CLASSIFICATIONS.includes(cls) ? { classification: cls, ...PROTECTION[cls] } : null,
      policy_version: holder.current().version,
    };
  }

  /** A what-if decision for a set of roles (no directory, no audit): policy tests, admins' questions. */
  async function explainRoles(roles: string[], amr: string[] | undefined, action: string, resource?: ResourceRef) {
    const g = effectiveGrants(await holder.fresh(), roles);
    const cls = resource?.classification;
    return {
      decision: decide(g, { type: 'user', id: '(what-if)', amr }, action, resource),
      subject: { type: 'what-if', id: null, token_roles: roles, current_roles: roles, roles_source: 'request', mfa: !!amr?.includes('otp') },
      effective_permissions: permissionsOf(g),
      protection: cls && CLASSIFICATIONS.includes(cls) ? { classification: cls, ...PROTECTION[cls] } : null,
      policy_version: holder.current().version,
    };
  }

  /** Every (domain, classification) the principal may read: what a listing may show. */
  async function readable(p: AccessPrincipal): Promise<Array<{ domain: string; classification: Classification }>> {
    const g = await grantsFor(p);
    if (!g) return [];
    const out: Array<{ domain: string; classification: Classification }> = [];
    for (const domain of DOMAINS) for (const classification of CLASSIFICATIONS) {
      if (decide(g, p, 'read', { domain, classification }).allowed) out.push({ domain, classification });
    }
    return out;
  }

  const roles = createRoleAdmin({
    db, clock, audit: deps.audit, events: deps.events, users, holder, grantsFor,
    invalidate: (id) => cache.invalidate(id),
  });

  async function review() {
    if (!users) throw accessError('ACCESS_USERS_UNAVAILABLE', 'No user directory is configured');
    return buildReview(await holder.fresh(), await users.listUsers(), clock());
  }

  /** The review is itself evidence: who pulled it, when, how many users. */
  async function recordReview(p: AccessPrincipal, users: number, format: string, ctx?: RequestContext): Promise<void> {
    await db.tx((tx) => deps.audit.append(tx, { actor: { type: p.type, id: p.id, ip: ctx?.ip ?? null, user_agent: ctx?.user_agent ?? null },
      action: 'access.review', target: null, outcome: 'success', details: { users, format } }));
  }

  return {
    recordReview,
    check, checkCached, enforce, explain, explainRoles, readable, review,
    ...roles,
    /** The guard's authorize: enforce the permission with the request as context. */
    authorize: async (p: AccessPrincipal, permission: string, req?: { ip?: string; headers?: Record<string, unknown>; method?: string; url?: string }) => {
      await enforce(p, permission, undefined, req ? {
        ip: req.ip, user_agent: typeof req.headers?.['user-agent'] === 'string' ? req.headers['user-agent'] : undefined,
        method: req.method, path: req.url?.split('?')[0],
      } : undefined);
    },
    policy: () => holder.current(),
    refresh: () => holder.reload(),
    invalidate: (userId?: string) => cache.invalidate(userId),
    permissions: () => PERMISSIONS,
  };
}
