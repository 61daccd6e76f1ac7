/**
 * The compiled policy: every permission gets a bit, every role a bitset of its permissions,
 * and a subject's effective permissions are the OR of its roles' bitsets. Pure and immutable:
 * a change to roles compiles a new policy; checks read whichever one they were handed.
 */

export interface RoleInput { name: string; permissions: readonly string[]; superuser?: boolean; builtin?: boolean; description?: string }

export interface CompiledRole {
  name: string;
  bits: Uint32Array;
  superuser: boolean;
  builtin: boolean;
  description: string;
  permissions: readonly string[];
}

export interface Policy {
  version: number;
  /** Bit index → permission name. */
  permissions: readonly string[];
  index: ReadonlyMap<string, number>;
  words: number;
  roles: ReadonlyMap<string, CompiledRole>;
}

/** A subject's effective permissions under one policy. */
export interface Grants {
  policy: Policy;
  roles: readonly string[];
  bits: Uint32Array;
  superuser: boolean;
  /** The start of this subject's denial reason, memoised by decide. */
  lacks?: string;
}

export function compilePolicy(permissions: readonly string[], roles: readonly RoleInput[], version = 0): Policy {
  const index = new Map<string, number>();
  const names: string[] = [];
  for (const p of permissions) if (!index.has(p)) { index.set(p, names.length); names.push(p); }
  const words = Math.max(1, Math.ceil(names.length / 32));
  const compiled = new Map<string, CompiledRole>();
  for (const r of roles) {
    const bits = new Uint32Array(words);
    const kept: string[] = [];
    for (const p of r.superuser ? names : r.permissions) {
      const i = index.get(p);
      if (i === undefined) continue; // a grant of a permission no longer in the catalogue grants nothing
      bits[i >>> 5] |= 1 << (i & 31);
      kept.push(p);
    }
    compiled.set(r.name, {
      name: r.name, bits, superuser: !!r.superuser, builtin: !!r.builtin, description: r.description ?? '', permissions: kept,
    });
  }
  return { version, permissions: names, index, words, roles: compiled };
}

/**
 * ORs the bitsets of the roles. An entry that is a permission the policy knows (`ingest:events`)
 * is a direct grant of it (least-privilege API keys); anything else unknown grants nothing.
 */
export function effectiveGrants(policy: Policy, roles: readonly string[]): Grants {
  const bits = new Uint32Array(policy.words);
  let superuser = false;
  for (const name of roles) {
    const r = policy.roles.get(name);
    if (!r) {
      const i = policy.index.get(name);
      if (i !== undefined) bits[i >>> 5] |= 1 << (i & 31);
      continue;
    }
    if (r.superuser) superuser = true;
    for (let w = 0; w < bits.length; w++) bits[w] |= r.bits[w];
  }
  return { policy, roles, bits, superuser };
}

/** One bit test. False for a permission the policy does not know (except for a superuser). */
export function hasPermission(grants: Grants, permission: string): boolean {
  const i = grants.policy.index.get(permission);
  if (i === undefined) return grants.superuser;
  return (grants.bits[i >>> 5] & (1 << (i & 31))) !== 0;
}

/** Every permission name in the grants, in catalogue order. */
export function permissionsOf(grants: Grants): string[] {
  const out: string[] = [];
  const names = grants.policy.permissions;
  for (let i = 0; i < names.length; i++) if (grants.bits[i >>> 5] & (1 << (i & 31))) out.push(names[i]);
  return out;
}

/** The first of the subject's roles that grants the permission (for the decision's reason). */
export function grantingRole(grants: Grants, permission: string): string | null {
  const i = grants.policy.index.get(permission);
  for (const name of grants.roles) {
    const r = grants.policy.roles.get(name);
    if (!r) {
      if (name === permission && i !== undefined) return name; // a direct grant
      continue;
    }
    if (r.superuser) return name;
    if (i !== undefined && (r.bits[i >>> 5] & (1 << (i & 31))) !== 0) return name;
  }
  return null;
}
