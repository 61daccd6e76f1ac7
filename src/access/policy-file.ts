import { parse } from 'yaml';
import { BUILTIN_ROLES, CLASSIFICATIONS, type Classification, PERMISSION_NAMES } from './catalogue.js';
import { decide, type ResourceRef } from './decide.js';
import { accessError } from './errors.js';
import { compilePolicy, effectiveGrants, type Policy, type RoleInput } from './policy.js';

/**
 * Policy tests as code: a YAML (or JSON) file of expectations checked against a policy.
 *
 *   roles:                       # optional what-if roles, added to the policy for this run
 *     - { name: auditor, permissions: [read:audit] }
 *   expectations:
 *     - role: legal_team         # or roles: [a, b]; amr: [pwd, otp] for an MFA session
 *       allow: [read:compliance]
 *       deny: [admin:users]
 *       exactly: [read:compliance, write:compliance, read:feedback]   # allowed set among all permissions
 *     - role: legal_team
 *       action: read             # a permission, or read|write|delete|export with a resource
 *       resource: { domain: compliance, classification: restricted }
 *       expect: deny
 *       reason: "denied: ..."    # optional, compared exactly
 */

export interface Expectation {
  roles: string[];
  amr?: string[];
  label: string;
  checks: Array<{ action: string; resource?: ResourceRef; expect: 'allow' | 'deny'; reason?: string }>;
  exactly?: string[];
}

export interface PolicyFile { roles: RoleInput[]; expectations: Expectation[] }
export interface Mismatch { label: string; action: string; resource?: ResourceRef; expected: string; got: string; reason: string }
export interface PolicyTestResult { ok: boolean; checks: number; mismatches: Mismatch[] }

const bad = (msg: string) => accessError('ACCESS_POLICY_FILE_INVALID', msg);
const strings = (v: unknown, where: string): string[] => {
  if (v === undefined) return [];
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw bad(`${where} must be a list of strings`);
  return v as string[];
};

function resourceOf(v: unknown, where: string): ResourceRef | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'object' || v === null) throw bad(`${where}.resource must be a mapping`);
  const r = v as Record<string, unknown>;
  if (r.classification !== undefined && !CLASSIFICATIONS.includes(r.classification as Classification)) {
    throw bad(`${where}.resource.classification must be one of ${CLASSIFICATIONS.join(', ')}`);
  }
  return { type: 'document', domain: r.domain as string | undefined, classification: r.classification as Classification | undefined };
}

export function parsePolicyFile(text: string): PolicyFile {
  let doc: unknown;
  try { doc = parse(text); } catch (e) { throw bad(`not valid YAML: ${(e as Error).message.split('\n')[0]}`); }
  if (typeof doc !== 'object' || doc === null) throw bad('the file must be a mapping with "expectations"');
  const d = doc as Record<string, unknown>;
  const roles = (Array.isArray(d.roles) ? d.roles : []).map((r, i): RoleInput => {
    const o = r as Record<string, unknown>;
    if (typeof o?.name !== 'string') throw bad(`roles[${i}].name is required`);
    return { name: o.name, permissions: strings(o.permissions, `roles[${i}].permissions`) };
  });
  if (!Array.isArray(d.expectations) || d.expectations.length === 0) throw bad('"expectations" must be a non-empty list');
  const expectations = d.expectations.map((e, i): Expectation => {
    const where = `expectations[${i}]`;
    const o = e as Record<string, unknown>;
    const subjectRoles = typeof o.role === 'string' ? [o.role] : strings(o.roles, `${where}.roles`);
    if (typeof o.role !== 'string' && o.roles === undefined) throw bad(`${where} needs "role" or "roles"`);
    const amr = o.amr === undefined ? undefined : strings(o.amr, `${where}.amr`);
    const checks: Expectation['checks'] = [
      ...strings(o.allow, `${where}.allow`).map((action) => ({ action, expect: 'allow' as const })),
      ...strings(o.deny, `${where}.deny`).map((action) => ({ action, expect: 'deny' as const })),
    ];
    if (o.action !== undefined) {
      if (typeof o.action !== 'string' || (o.expect !== 'allow' && o.expect !== 'deny')) throw bad(`${where}: "action" needs "expect: allow | deny"`);
      checks.push({ action: o.action, resource: resourceOf(o.resource, where), expect: o.expect, reason: typeof o.reason === 'string' ? o.reason : undefined });
    }
    const exactly = o.exactly === undefined ? undefined : strings(o.exactly, `${where}.exactly`);
    if (checks.length === 0 && !exactly) throw bad(`${where} checks nothing (allow, deny, exactly or action/expect)`);
    const label = `${subjectRoles.join('+') || '(no roles)'}${amr?.includes('otp') ? ' (MFA)' : ''}`;
    return { roles: subjectRoles, amr, label, checks, exactly };
  });
  return { roles, expectations };
}

/** The built-in policy (the catalogue) with the file's what-if roles added. */
export function withFileRoles(base: Policy | null, file: PolicyFile): Policy {
  const basePerms = base ? [...base.permissions] : PERMISSION_NAMES;
  const baseRoles: RoleInput[] = base ? [...base.roles.values()] : BUILTIN_ROLES;
  const names = new Set(file.roles.map((r) => r.name));
  return compilePolicy(basePerms, [...baseRoles.filter((r) => !names.has(r.name)), ...file.roles], base?.version ?? 0);
}

export function runPolicyTests(policy: Policy, file: PolicyFile): PolicyTestResult {
  const mismatches: Mismatch[] = [];
  let checks = 0;
  for (const e of file.expectations) {
    for (const r of e.roles) if (!policy.roles.has(r)) mismatches.push({ label: e.label, action: '(role)', expected: 'defined', got: 'undefined', reason: `role ${r} is not defined` });
    const grants = effectiveGrants(policy, e.roles);
    const subject = { type: 'user' as const, id: 'policy-test', amr: e.amr };
    for (const c of e.checks) {
      checks++;
      const d = decide(grants, subject, c.action, c.resource);
      const got = d.allowed ? 'allow' : 'deny';
      if (got !== c.expect || (c.reason !== undefined && c.reason !== d.reason)) {
        mismatches.push({ label: e.label, action: c.action, resource: c.resource, expected: c.reason ? `${c.expect} (${c.reason})` : c.expect, got, reason: d.reason });
      }
    }
    if (e.exactly) {
      checks++;
      const allowed = policy.permissions.filter((p) => decide(grants, subject, p).allowed);
      const want = new Set(e.exactly);
      for (const p of allowed) if (!want.has(p)) mismatches.push({ label: e.label, action: p, expected: 'deny (not in exactly)', got: 'allow', reason: decide(grants, subject, p).reason });
      for (const p of want) if (!allowed.includes(p)) mismatches.push({ label: e.label, action: p, expected: 'allow (in exactly)', got: 'deny', reason: decide(grants, subject, p).reason });
    }
  }
  return { ok: mismatches.length === 0, checks, mismatches };
}
