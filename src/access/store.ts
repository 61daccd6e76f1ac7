import type { Queryable } from '../db/types.js';
import type { PermissionDef, RoleDef } from './catalogue.js';

/** access's SQL: permissions, roles, grants and the policy version. */

export interface RoleRow {
  name: string;
  description: string;
  builtin: boolean;
  superuser: boolean;
  permissions: string[];
  created_at: Date;
  updated_at: Date;
  updated_by: string | null;
}

export interface PolicyRows { version: number; permissions: PermissionDef[]; roles: RoleRow[] }

const SYNC_LOCK = 7_423_005;

export async function readVersion(q: Queryable): Promise<number> {
  const r = await q.query<{ version: number }>('SELECT version FROM access_meta WHERE id = 1');
  return Number(r.rows[0]?.version ?? 0);
}

export async function bumpVersion(tx: Queryable): Promise<number> {
  const r = await tx.query<{ version: number }>('UPDATE access_meta SET version = version + 1 WHERE id = 1 RETURNING version');
  return Number(r.rows[0].version);
}

export async function loadPolicy(q: Queryable): Promise<PolicyRows> {
  const version = await readVersion(q);
  const perms = await q.query<PermissionDef>('SELECT name, description FROM access_permissions ORDER BY name');
  const roles = await q.query<Omit<RoleRow, 'permissions'>>(
    'SELECT name, description, builtin, superuser, created_at, updated_at, updated_by FROM access_roles ORDER BY name');
  const grants = await q.query<{ role: string; permission: string }>('SELECT role, permission FROM access_role_permissions ORDER BY role, permission');
  const by = new Map<string, string[]>();
  for (const g of grants.rows) (by.get(g.role) ?? by.set(g.role, []).get(g.role)!).push(g.permission);
  return {
    version,
    permissions: perms.rows,
    roles: roles.rows.map((r) => ({ ...r, permissions: by.get(r.name) ?? [] })),
  };
}

/**
 * Makes the built-in permissions and roles equal the code's catalogue (idempotent, under an
 * advisory lock so processes starting together do it once). Returns whether anything changed.
 */
export async function syncBuiltins(tx: Queryable, permissions: PermissionDef[], roles: RoleDef[], now: Date): Promise<boolean> {
  await tx.query('SELECT pg_advisory_xact_lock($1)', [SYNC_LOCK]);
  let changed = false;
  for (const p of permissions) {
    const r = await tx.query(
      `INSERT INTO access_permissions (name, description, builtin) VALUES ($1, $2, true)
       ON CONFLICT (name) DO UPDATE SET description = EXCLUDED.description, builtin = true
       WHERE access_permissions.description IS DISTINCT FROM EXCLUDED.description OR NOT access_permissions.builtin`,
      [p.name, p.description]);
    if (r.rowCount > 0) changed = true;
  }
  for (const role of roles) {
    const r = await tx.query(
      `INSERT INTO access_roles (name, description, builtin, superuser, created_at, updated_at) VALUES ($1, $2, true, $3, $4, $4)
       ON CONFLICT (name) DO UPDATE SET description = EXCLUDED.description, builtin = true, superuser = EXCLUDED.superuser, updated_at = EXCLUDED.updated_at
       WHERE access_roles.description IS DISTINCT FROM EXCLUDED.description OR NOT access_roles.builtin OR access_roles.superuser <> EXCLUDED.superuser`,
      [role.name, role.description, !!role.superuser, now]);
    if (r.rowCount > 0) changed = true;
    const del = await tx.query('DELETE FROM access_role_permissions WHERE role = $1 AND NOT (permission = ANY($2::text[]))', [role.name, role.permissions]);
    const ins = await tx.query(
      `INSERT INTO access_role_permissions (role, permission) SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING`, [role.name, role.permissions]);
    if (del.rowCount > 0 || ins.rowCount > 0) changed = true;
  }
  if (changed) await bumpVersion(tx);
  return changed;
}

export async function getRole(q: Queryable, name: string, lock = false): Promise<RoleRow | null> {
  const r = await q.query<Omit<RoleRow, 'permissions'>>(
    `SELECT name, description, builtin, superuser, created_at, updated_at, updated_by FROM access_roles WHERE name = $1${lock ? ' FOR UPDATE' : ''}`, [name]);
  if (!r.rows[0]) return null;
  const g = await q.query<{ permission: string }>('SELECT permission FROM access_role_permissions WHERE role = $1 ORDER BY permission', [name]);
  return { ...r.rows[0], permissions: g.rows.map((x) => x.permission) };
}

export async function insertRole(tx: Queryable, role: { name: string; description: string; permissions: string[] }, now: Date, by: string): Promise<boolean> {
  const r = await tx.query(
    `INSERT INTO access_roles (name, description, builtin, superuser, created_at, updated_at, updated_by)
     VALUES ($1, $2, false, false, $3, $3, $4) ON CONFLICT (name) DO NOTHING`, [role.name, role.description, now, by]);
  if (r.rowCount === 0) return false;
  await setGrants(tx, role.name, role.permissions);
  return true;
}

export async function updateRole(tx: Queryable, name: string, patch: { description?: string; permissions?: string[] }, now: Date, by: string): Promise<void> {
  await tx.query('UPDATE access_roles SET description = COALESCE($2, description), updated_at = $3, updated_by = $4 WHERE name = $1',
    [name, patch.description ?? null, now, by]);
  if (patch.permissions) await setGrants(tx, name, patch.permissions);
}

async function setGrants(tx: Queryable, role: string, permissions: string[]): Promise<void> {
  await tx.query('DELETE FROM access_role_permissions WHERE role = $1', [role]);
  if (permissions.length) {
    await tx.query('INSERT INTO access_role_permissions (role, permission) SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING', [role, permissions]);
  }
}

export async function deleteRole(tx: Queryable, name: string): Promise<boolean> {
  const r = await tx.query('DELETE FROM access_roles WHERE name = $1 AND NOT builtin', [name]);
  return r.rowCount > 0;
}
