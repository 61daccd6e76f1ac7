import type { Clock } from '../clock.js';
import type { Db } from '../db/types.js';
import { BUILTIN_ROLE_NAMES, ROLE_PATTERN } from './catalogue.js';
import { accessError } from './errors.js';
import type { AccessPrincipal, AccessUsers } from './index.js';
import type { PolicyHolder } from './live.js';
import { type Grants, hasPermission } from './policy.js';
import { type AccessAuditPort, type AccessEventsPort, actorOf, type RequestContext } from './record.js';
import * as store from './store.js';

/**
 * Custom roles and role assignment (holders of admin:users). Built-in roles are protected;
 * nobody grants, revokes or hands out a permission they do not hold themselves; every change
 * is audited with its event in the same transaction and reaches live sessions within the cache time.
 */
export interface RoleAdminDeps {
  db: Db;
  clock: Clock;
  audit: AccessAuditPort;
  events: AccessEventsPort;
  users?: AccessUsers;
  holder: PolicyHolder;
  grantsFor(p: AccessPrincipal): Promise<Grants | null>;
  invalidate(userId?: string): void;
}

export interface RoleInputBody { name: string; description?: string; permissions: string[] }

export function createRoleAdmin(d: RoleAdminDeps) {
  const ports = { audit: d.audit, events: d.events };

  async function requireHeld(actor: AccessPrincipal, permissions: Iterable<string>, what: string): Promise<void> {
    const g = await d.grantsFor(actor);
    const missing = [...new Set(permissions)].filter((p) => !g || !hasPermission(g, p));
    if (missing.length) {
      throw accessError('ACCESS_ESCALATION', `${what} needs permissions you do not hold: ${missing.join(', ')}`, { missing });
    }
  }

  async function validPermissions(perms: string[]): Promise<string[]> {
    const policy = await d.holder.fresh();
    const unknown = perms.filter((p) => !policy.index.has(p));
    if (unknown.length) throw accessError('ACCESS_PERMISSION_UNKNOWN', `Unknown permissions: ${unknown.join(', ')}`, { unknown });
    return [...new Set(perms)].sort();
  }

  async function roleEvent(tx: Parameters<AccessEventsPort['emit']>[0], actor: AccessPrincipal, activity: number, name: string, message: string, extra: Record<string, unknown>) {
    await ports.events.emit(tx, {
      type: 'access.role_changed', class_uid: 6003, activity_id: activity, severity_id: 2, time: d.clock().toISOString(),
      status: 'success', user: { uid: actor.id }, source: 'warden', message, unmapped: { role: name, ...extra },
    });
  }

  async function listRoles() {
    return (await store.loadPolicy(d.db)).roles;
  }

  async function getRole(name: string) {
    const r = await store.getRole(d.db, name);
    if (!r) throw accessError('ACCESS_ROLE_NOT_FOUND', `No role "${name}"`, { role: name });
    return r;
  }

  async function createRole(actor: AccessPrincipal, body: RoleInputBody, ctx?: RequestContext) {
    if (!ROLE_PATTERN.test(body.name)) throw accessError('ACCESS_ROLE_INVALID', 'A role name is 2-48 characters: a-z, 0-9 and _, starting with a letter');
    if (BUILTIN_ROLE_NAMES.has(body.name)) throw accessError('ACCESS_ROLE_BUILTIN', `"${body.name}" is a built-in role`, { role: body.name });
    const permissions = await validPermissions(body.permissions);
    await requireHeld(actor, permissions, 'Creating this role');
    await d.db.tx(async (tx) => {
      if (!(await store.insertRole(tx, { name: body.name, description: body.description ?? '', permissions }, d.clock(), `${actor.type}:${actor.id}`))) {
        throw accessError('ACCESS_ROLE_EXISTS', `A role "${body.name}" already exists`, { role: body.name });
      }
      await store.bumpVersion(tx);
      await ports.audit.append(tx, { actor: actorOf(actor, ctx), action: 'access.role.create', target: { type: 'role', id: body.name }, outcome: 'success', details: { permissions } });
      await roleEvent(tx, actor, 1, body.name, `role ${body.name} created`, { permissions });
    });
    await d.holder.reload();
    return getRole(body.name);
  }

  async function editable(name: string) {
    const r = await store.getRole(d.db, name);
    if (!r) throw accessError('ACCESS_ROLE_NOT_FOUND', `No role "${name}"`, { role: name });
    if (r.builtin) throw accessError('ACCESS_ROLE_BUILTIN', `"${name}" is a built-in role and cannot be changed`, { role: name });
    return r;
  }

  async function updateRole(actor: AccessPrincipal, name: string, patch: { description?: string; permissions?: string[] }, ctx?: RequestContext) {
    const before = await editable(name);
    const permissions = patch.permissions ? await validPermissions(patch.permissions) : undefined;
    if (permissions) {
      const changed = [...permissions.filter((p) => !before.permissions.includes(p)), ...before.permissions.filter((p) => !permissions.includes(p))];
      await requireHeld(actor, changed, 'Changing these grants');
    }
    await d.db.tx(async (tx) => {
      await store.updateRole(tx, name, { description: patch.description, permissions }, d.clock(), `${actor.type}:${actor.id}`);
      await store.bumpVersion(tx);
      const details = { before: before.permissions, after: permissions ?? before.permissions, description_changed: patch.description !== undefined };
      await ports.audit.append(tx, { actor: actorOf(actor, ctx), action: 'access.role.update', target: { type: 'role', id: name }, outcome: 'success', details });
      await roleEvent(tx, actor, 3, name, `role ${name} changed`, details);
    });
    await d.holder.reload();
    return getRole(name);
  }

  async function deleteRole(actor: AccessPrincipal, name: string, ctx?: RequestContext) {
    const before = await editable(name);
    await requireHeld(actor, before.permissions, 'Deleting this role');
    if (d.users) {
      const holders = (await d.users.listUsers()).filter((u) => u.roles.includes(name)).length;
      if (holders) throw accessError('ACCESS_ROLE_IN_USE', `${holders} user(s) still hold role "${name}"; reassign them first`, { role: name, holders });
    }
    await d.db.tx(async (tx) => {
      await store.deleteRole(tx, name);
      await store.bumpVersion(tx);
      await ports.audit.append(tx, { actor: actorOf(actor, ctx), action: 'access.role.delete', target: { type: 'role', id: name }, outcome: 'success', details: { permissions: before.permissions } });
      await roleEvent(tx, actor, 4, name, `role ${name} deleted`, { permissions: before.permissions });
    });
    await d.holder.reload();
  }

  /** Replaces a user's roles. The actor must hold every permission of each role added or removed. */
  async function assignRoles(actor: AccessPrincipal, userId: string, roles: string[], ctx?: RequestContext) {
    const users = d.users;
    if (!users) throw accessError('ACCESS_USERS_UNAVAILABLE', 'No user directory is configured');
    const policy = await d.holder.fresh();
    const wanted = [...new Set(roles)].sort();
    const unknown = wanted.filter((r) => !policy.roles.has(r));
    if (unknown.length) throw accessError('ACCESS_ROLE_NOT_FOUND', `Unknown roles: ${unknown.join(', ')}`, { roles: unknown });
    const current = await users.getUser(userId);
    if (!current) throw accessError('ACCESS_USER_NOT_FOUND', `No user ${userId}`, { user_id: userId });
    const touched = [...wanted.filter((r) => !current.roles.includes(r)), ...current.roles.filter((r) => !wanted.includes(r))];
    await requireHeld(actor, touched.flatMap((r) => [...(policy.roles.get(r)?.permissions ?? [])]), 'Assigning or removing these roles');
    // One transaction: the directory's change, its audit entry, and access's own record of the decision.
    const r = await users.setRoles(userId, wanted, { type: actor.type, id: actor.id }, async (tx, before) => {
      const details = { before, after: wanted };
      await ports.audit.append(tx, { actor: actorOf(actor, ctx), action: 'access.roles.assign', target: { type: 'user', id: userId }, outcome: 'success', details });
      await ports.events.emit(tx, {
        type: 'account.roles_changed', class_uid: 3001, activity_id: 7, severity_id: wanted.includes('admin') && !before.includes('admin') ? 3 : 2,
        time: d.clock().toISOString(), status: 'success', user: { uid: userId }, source: 'warden',
        message: `roles of ${userId} set to ${wanted.join(', ') || '(none)'} by ${actor.type}:${actor.id}`, unmapped: { ...details, actor: actor.id },
      });
    });
    if (!r) throw accessError('ACCESS_USER_NOT_FOUND', `No user ${userId}`, { user_id: userId });
    d.invalidate(userId);
    return { user_id: userId, roles: wanted };
  }

  /**
   * Refuses handing out roles (to a new user, a changed user or an API key) that are unknown or
   * carry permissions the actor does not hold. `current` are the roles the target has now: only
   * what changes is checked. With `permissionsAsRoles` a known permission stands for itself
   * (an API key's direct grant).
   */
  async function assertMayAssign(actor: AccessPrincipal, wanted: string[], current: string[] = [], opts: { permissionsAsRoles?: boolean } = {}): Promise<void> {
    const policy = await d.holder.fresh();
    const known = (r: string) => policy.roles.has(r) || (!!opts.permissionsAsRoles && policy.index.has(r));
    const unknown = [...new Set(wanted)].filter((r) => !known(r));
    if (unknown.length) throw accessError('ACCESS_ROLE_NOT_FOUND', `Unknown roles: ${unknown.join(', ')}`, { roles: unknown });
    const touched = [...wanted.filter((r) => !current.includes(r)), ...current.filter((r) => !wanted.includes(r))];
    const perms = touched.flatMap((r) => (policy.roles.has(r) ? [...(policy.roles.get(r)?.permissions ?? [])] : policy.index.has(r) ? [r] : []));
    await requireHeld(actor, perms, 'Assigning or removing these roles');
  }

  return { listRoles, getRole, createRole, updateRole, deleteRole, assignRoles, assertMayAssign };
}
