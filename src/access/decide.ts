import { type Classification, CLASSIFICATIONS, PERMISSION_PATTERN, PROTECTION } from './catalogue.js';
import { type Grants, grantingRole, hasPermission } from './policy.js';

/**
 * The one RBAC decision: a pure function of the subject's effective grants, its session
 * (amr), the action and the resource. No I/O, no clock; every route reaches it through
 * access.check.
 */

/** The part of a principal a decision reads. */
export interface Subject {
  type: 'user' | 'api_key' | 'bootstrap';
  id: string;
  amr?: readonly string[];
}

/** What the action is done to: a document (domain and classification) or nothing (a plain permission). */
export interface ResourceRef {
  type?: string;
  id?: string;
  domain?: string;
  classification?: Classification;
}

export type DecisionCode =
  | 'granted' | 'superuser' | 'public'
  | 'missing_permission' | 'unknown_permission' | 'mfa_required' | 'invalid_action' | 'inactive';

export interface Decision {
  allowed: boolean;
  /** The permission the action needs (e.g. `write:compliance`). */
  permission: string;
  code: DecisionCode;
  /** "denied: role marketing_team lacks write:compliance" */
  reason: string;
  /** The role that granted it, when allowed through a role. */
  granted_by: string | null;
  roles: readonly string[];
}

const VERBS = new Set(['read', 'write', 'delete', 'export']);

/**
 * The permission an action on a resource needs. `read`/`export` → `read:<domain>`, `write` →
 * `write:<domain>`, `delete` → `delete:<domain>` where the catalogue defines it (compliance),
 * else `admin:system`. An action that already is a permission (`admin:users`) stands for itself.
 */
export function resolvePermission(action: string, resource: ResourceRef | undefined, known: (p: string) => boolean): string | null {
  if (action.includes(':')) return known(action) || PERMISSION_PATTERN.test(action) ? action : null;
  if (!VERBS.has(action) || !resource?.domain) return null;
  const verb = action === 'export' ? 'read' : action;
  const p = `${verb}:${resource.domain}`;
  if (!PERMISSION_PATTERN.test(p)) return null;
  if (verb === 'delete' && !known(p)) return 'admin:system';
  return p;
}

function rolesPhrase(roles: readonly string[], verb: 'lacks' | 'grants'): string {
  if (roles.length === 0) return verb === 'lacks' ? 'the principal has no role, so nothing grants' : 'no role grants';
  if (roles.length === 1) return `role ${roles[0]} ${verb}`;
  return `roles ${roles.join(', ')} ${verb === 'lacks' ? 'lack' : 'grant'}`;
}

function allowedBy(grants: Grants, permission: string): Decision {
  const by = grantingRole(grants, permission);
  const su = grants.superuser && by !== null && grants.policy.roles.get(by)?.superuser === true;
  return { allowed: true, permission, code: su ? 'superuser' : 'granted', granted_by: by, roles: grants.roles,
    reason: su ? `allowed: role ${by} grants every permission`
      : by === permission ? `allowed: direct grant of ${permission}` : `allowed: role ${by} grants ${permission}` };
}

function lacking(grants: Grants, permission: string): Decision {
  grants.lacks ??= `denied: ${rolesPhrase(grants.roles, 'lacks')} `; // once per subject, not per check
  return { allowed: false, permission, code: 'missing_permission', granted_by: null, roles: grants.roles, reason: grants.lacks + permission };
}

export function decide(grants: Grants, subject: Subject, action: string, resource?: ResourceRef): Decision {
  if (resource === undefined) { // the hot path: a known permission, one bit test
    const i = grants.policy.index.get(action);
    if (i !== undefined) return (grants.bits[i >>> 5] & (1 << (i & 31))) !== 0 ? allowedBy(grants, action) : lacking(grants, action);
  }
  const roles = grants.roles;
  const permission = resolvePermission(action, resource, (p) => grants.policy.index.has(p));
  if (permission === null) {
    return { allowed: false, permission: action, code: 'invalid_action', granted_by: null, roles,
      reason: `denied: "${action}" is not a permission or an action (read, write, delete, export) on a resource with a domain` };
  }
  const cls = resource?.classification;
  if (cls !== undefined && !CLASSIFICATIONS.includes(cls)) {
    return { allowed: false, permission, code: 'invalid_action', granted_by: null, roles, reason: `denied: unknown classification "${String(cls)}"` };
  }
  const level = cls ? PROTECTION[cls] : null;
  const isRead = action === 'read' || action === 'export';
  if (level && isRead && !level.readNeedsPermission) {
    return { allowed: true, permission, code: 'public', granted_by: null, roles,
      reason: `allowed: ${cls} data is readable by every authenticated principal` };
  }
  if (!hasPermission(grants, permission)) {
    if (!grants.policy.index.has(permission)) {
      return { allowed: false, permission, code: 'unknown_permission', granted_by: null, roles, reason: `denied: unknown permission ${permission}` };
    }
    return lacking(grants, permission);
  }
  const by = grantingRole(grants, permission);
  if (level?.mfaRequired && !subject.amr?.includes('otp')) {
    return { allowed: false, permission, code: 'mfa_required', granted_by: by, roles,
      reason: `denied: ${cls} data needs a session signed in with MFA (amr otp); role ${by} grants ${permission}` };
  }
  return allowedBy(grants, permission);
}
