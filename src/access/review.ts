import type { AccessUser } from './index.js';
import { effectiveGrants, permissionsOf, type Policy } from './policy.js';

/**
 * The access review (SOC 2 CC6.2, CC6.3): every user with roles, effective permissions, MFA
 * status, last login and status, as JSON or CSV. Pure: the caller gives the policy and users.
 */

export interface ReviewRow {
  user_id: string;
  email: string | null;
  status: string;
  roles: string[];
  /** Roles the user holds that the policy no longer defines (they grant nothing). */
  unknown_roles: string[];
  effective_permissions: string[];
  admin_permissions: boolean;
  mfa_enabled: boolean;
  last_login_at: string | null;
}

export interface Review { generated_at: string; policy_version: number; users: ReviewRow[] }

function iso(v: Date | string | null | undefined): string | null {
  if (v === null || v === undefined) return null;
  return v instanceof Date ? v.toISOString() : new Date(v).toISOString();
}

export function buildReview(policy: Policy, users: AccessUser[], now: Date): Review {
  const rows = users.map((u): ReviewRow => {
    const perms = permissionsOf(effectiveGrants(policy, u.roles));
    return {
      user_id: u.id,
      email: u.email ?? null,
      status: u.status,
      roles: [...u.roles].sort(),
      unknown_roles: u.roles.filter((r) => !policy.roles.has(r) && !policy.index.has(r)).sort(),
      effective_permissions: perms,
      admin_permissions: perms.some((p) => p.startsWith('admin:')),
      mfa_enabled: u.mfa_enabled,
      last_login_at: iso(u.last_login_at),
    };
  });
  rows.sort((a, b) => (a.email ?? a.user_id).localeCompare(b.email ?? b.user_id));
  return { generated_at: now.toISOString(), policy_version: policy.version, users: rows };
}

function cell(v: unknown): string {
  const s = v === null || v === undefined ? '' : Array.isArray(v) ? v.join(' ') : String(v);
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s; // no formula injection in spreadsheets
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

const COLUMNS: Array<keyof ReviewRow> = ['user_id', 'email', 'status', 'roles', 'unknown_roles', 'effective_permissions', 'admin_permissions', 'mfa_enabled', 'last_login_at'];

/** CSV with a header row; lists are space separated inside their cell. */
export function reviewCsv(review: Review): string {
  const lines = [COLUMNS.join(',')];
  for (const r of review.users) lines.push(COLUMNS.map((c) => cell(r[c])).join(','));
  return lines.join('\r\n') + '\r\n';
}
