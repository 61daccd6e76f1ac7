import { describe, expect, it } from 'vitest';
import { BUILTIN_ROLES, PERMISSIONS } from './catalogue.js';
import { decide, resolvePermission } from './decide.js';
import { compilePolicy, effectiveGrants, permissionsOf } from './policy.js';

const policy = compilePolicy(PERMISSIONS.map((p) => p.name), BUILTIN_ROLES);
const GUIDE = ['read:compliance', 'write:compliance', 'delete:compliance', 'read:marketing', 'write:marketing', 'read:feedback', 'write:feedback', 'admin:users', 'admin:system'];
/** The guide's matrix, written out by hand (not derived from the catalogue it checks). */
const MATRIX: Record<string, string[]> = {
  admin: GUIDE,
  legal_team: ['read:compliance', 'write:compliance', 'read:feedback'],
  marketing_team: ['read:marketing', 'write:marketing', 'read:feedback'],
  product_team: ['read:feedback', 'write:feedback', 'read:marketing'],
  readonly_user: ['read:compliance', 'read:marketing', 'read:feedback'],
};
const user = (amr?: string[]) => ({ type: 'user' as const, id: 'u1', amr });
const as = (...roles: string[]) => effectiveGrants(policy, roles);

describe('decide: the guide matrix (5 roles × 9 permissions)', () => {
  for (const [role, allowed] of Object.entries(MATRIX)) {
    for (const perm of GUIDE) {
      const expected = allowed.includes(perm);
      it(`${role} ${expected ? 'may' : 'may not'} ${perm}`, () => {
        const d = decide(as(role), user(), perm);
        expect(d.allowed).toBe(expected);
        expect(d.reason).toBe(expected
          ? (role === 'admin' ? `allowed: role admin grants every permission` : `allowed: role ${role} grants ${perm}`)
          : `denied: role ${role} lacks ${perm}`);
      });
    }
  }
  it('effective permissions of a non-admin role are exactly its guide row', () => {
    for (const [role, allowed] of Object.entries(MATRIX)) {
      if (role !== 'admin') expect(permissionsOf(as(role)).sort()).toEqual([...allowed].sort());
    }
  });
  it('several roles: the union, and the reason names every role', () => {
    expect(decide(as('legal_team', 'marketing_team'), user(), 'write:marketing').granted_by).toBe('marketing_team');
    expect(decide(as('legal_team', 'marketing_team'), user(), 'admin:users').reason).toBe('denied: roles legal_team, marketing_team lack admin:users');
    expect(decide(as(), user(), 'read:feedback').reason).toBe('denied: the principal has no role, so nothing grants read:feedback');
    expect(decide(as('ghost_role'), user(), 'read:feedback').allowed).toBe(false);
  });
  it('a known permission in the roles list is a direct grant (least-privilege API keys)', () => {
    const key = { type: 'api_key' as const, id: 'k1' };
    expect(decide(as('ingest:events'), key, 'ingest:events').reason).toBe('allowed: direct grant of ingest:events');
    expect(decide(as('ingest:events'), key, 'read:alerts').allowed).toBe(false);
    expect(decide(as('read:everything'), key, 'read:everything').allowed).toBe(false);
  });
});

describe('decide: actions on documents and classification', () => {
  const doc = (domain: string, classification: 'public' | 'internal' | 'confidential' | 'restricted') => ({ type: 'document', domain, classification });
  it('maps actions to permissions; delete outside compliance needs admin:system', () => {
    const known = (p: string) => policy.index.has(p);
    expect(resolvePermission('read', { domain: 'marketing' }, known)).toBe('read:marketing');
    expect(resolvePermission('export', { domain: 'feedback' }, known)).toBe('read:feedback');
    expect(resolvePermission('delete', { domain: 'compliance' }, known)).toBe('delete:compliance');
    expect(resolvePermission('delete', { domain: 'feedback' }, known)).toBe('admin:system');
    expect(resolvePermission('drop', { domain: 'feedback' }, known)).toBeNull();
    expect(resolvePermission('read', undefined, known)).toBeNull();
    expect(decide(as('product_team'), user(), 'delete', doc('feedback', 'internal')).reason).toBe('denied: role product_team lacks admin:system');
    expect(decide(as('admin'), user(), 'delete', doc('feedback', 'internal')).allowed).toBe(true);
  });
  it('public is readable by anyone authenticated, but writing it still needs the permission', () => {
    expect(decide(as(), user(), 'read', doc('compliance', 'public'))).toMatchObject({ allowed: true, code: 'public' });
    expect(decide(as('marketing_team'), user(), 'write', doc('compliance', 'public')).allowed).toBe(false);
    expect(decide(as('marketing_team'), user(), 'read', doc('compliance', 'internal')).reason).toBe('denied: role marketing_team lacks read:compliance');
    expect(decide(as('marketing_team'), user(), 'read', doc('compliance', 'confidential')).allowed).toBe(false);
  });
  it('restricted needs MFA (amr otp) even for admin; API keys never have it', () => {
    const r = decide(as('legal_team'), user(['pwd']), 'read', doc('compliance', 'restricted'));
    expect(r).toMatchObject({ allowed: false, code: 'mfa_required', granted_by: 'legal_team' });
    expect(r.reason).toMatch(/^denied: restricted data needs a session signed in with MFA/);
    expect(decide(as('legal_team'), user(['pwd', 'otp']), 'read', doc('compliance', 'restricted')).allowed).toBe(true);
    expect(decide(as('admin'), user(['pwd']), 'write', doc('compliance', 'restricted')).code).toBe('mfa_required');
    expect(decide(as('admin'), { type: 'api_key', id: 'k' }, 'read', doc('compliance', 'restricted')).allowed).toBe(false);
    expect(decide(as('marketing_team'), user(['otp']), 'read', doc('compliance', 'restricted')).code).toBe('missing_permission');
  });
  it('unknown permissions are denied, except to the admin role ("everything")', () => {
    expect(decide(as('readonly_user'), user(), 'read:secrets').code).toBe('unknown_permission');
    expect(decide(as('admin'), user(), 'read:secrets').allowed).toBe(true);
    expect(decide(as('admin'), user(), 'not a permission').code).toBe('invalid_action');
    expect(decide(as('admin'), user(), 'read', { domain: 'x', classification: 'secret' as never }).allowed).toBe(false);
  });
});
