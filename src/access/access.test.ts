import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../db/types.js';
import { isWardenError } from '../errors.js';
import { openTestDb } from '../../test/helpers/db.js';
import { auditRows, eventRows, fakeUsers, openAccess, user } from './fakes.test-helpers.js';
import { readVersion } from './store.js';

let db: Db;
let proc: Awaited<ReturnType<typeof openAccess>>;
const users = fakeUsers([
  user('alice', ['admin']), user('lena', ['legal_team']), user('mark', ['marketing_team']),
  user('gone', ['legal_team'], { status: 'disabled' }),
]);
const P = (id: string, roles: string[] = [], amr?: string[]) => ({ type: 'user' as const, id, roles, amr });

async function code(p: Promise<unknown>): Promise<string> {
  try { await p; return 'ok'; } catch (e) { if (isWardenError(e)) return e.code; throw e; }
}

beforeAll(async () => {
  db = await openTestDb();
  proc = await openAccess(db, { users });
});
afterAll(async () => { await db?.close(); });

describe('access: seeds and live decisions', () => {
  it('seeds the catalogue once; a second process does not bump the version', async () => {
    const v = await readVersion(db);
    expect(v).toBeGreaterThan(0);
    await openAccess(db, { users });
    expect(await readVersion(db)).toBe(v);
    expect([...proc.access.policy().roles.keys()].sort()).toEqual(['admin', 'legal_team', 'marketing_team', 'product_team', 'readonly_user']);
  });

  it('decides on the directory\'s current roles, not the roles the token carries', async () => {
    const d = await proc.access.check(P('mark', ['admin']), 'admin:system');
    expect(d).toMatchObject({ allowed: false, reason: 'denied: role marketing_team lacks admin:system' });
    expect((await proc.access.check(P('gone', ['legal_team']), 'read:compliance')).code).toBe('inactive');
    expect((await proc.access.check(P('nobody', ['admin']), 'read:compliance')).code).toBe('inactive');
    expect((await proc.access.check({ type: 'api_key', id: 'k1', roles: ['readonly_user'] }, 'read:feedback')).allowed).toBe(true);
  });

  it('a role change reaches live sessions within the cache time (2 s)', async () => {
    const lena = P('lena', ['legal_team']);
    expect((await proc.access.check(lena, 'write:compliance')).allowed).toBe(true);
    users.set('lena', ['readonly_user']); // changed elsewhere (another process, identity)
    proc.clock.advance(1000);
    expect((await proc.access.check(lena, 'write:compliance')).allowed).toBe(true);
    proc.clock.advance(1001);
    expect((await proc.access.check(lena, 'write:compliance')).reason).toBe('denied: role readonly_user lacks write:compliance');
    await proc.access.assignRoles(P('alice'), 'lena', ['legal_team']);
    expect((await proc.access.check(lena, 'write:compliance')).allowed).toBe(true); // local change: at once
  });

  it('every denial is an audit entry and an access.denied event (user 3003, API key 6003)', async () => {
    await expect(proc.access.enforce(P('mark'), 'admin:users', undefined, { ip: '192.0.2.7', method: 'GET', path: '/v1/x' }))
      .rejects.toMatchObject({ code: 'ACCESS_DENIED', status: 403, message: 'denied: role marketing_team lacks admin:users' });
    await expect(proc.access.enforce({ type: 'api_key', id: 'k9', roles: [] }, 'read', { type: 'document', id: 'd1', domain: 'compliance', classification: 'internal' }))
      .rejects.toMatchObject({ code: 'ACCESS_DENIED' });
    const audits = await auditRows(proc.audit, 'access.denied');
    expect(audits.slice(-2).map((a) => [a.actor_id, a.outcome, a.details.permission])).toEqual([['mark', 'denied', 'admin:users'], ['k9', 'denied', 'read:compliance']]);
    expect(audits.at(-1)!.target_id).toBe('d1');
    const evs = await eventRows(db, 'access.denied');
    expect(evs.slice(-2).map((e) => [e.class_uid, e.user_uid, e.event.unmapped?.permission])).toEqual([[3003, 'mark', 'admin:users'], [6003, 'k9', 'read:compliance']]);
    expect(evs.at(-2)!.event.message).toBe('denied: role marketing_team lacks admin:users');
  });
});

describe('access: custom roles', () => {
  it('create, use, edit, delete; audited; built-ins protected', async () => {
    const alice = P('alice', ['admin']);
    const role = await proc.access.createRole(alice, { name: 'auditor', description: 'Reads the audit log', permissions: ['read:audit', 'read:compliance'] });
    expect(role).toMatchObject({ name: 'auditor', builtin: false, permissions: ['read:audit', 'read:compliance'] });
    expect(await code(proc.access.createRole(alice, { name: 'auditor', permissions: [] }))).toBe('ACCESS_ROLE_EXISTS');
    expect(await code(proc.access.createRole(alice, { name: 'legal_team', permissions: [] }))).toBe('ACCESS_ROLE_BUILTIN');
    expect(await code(proc.access.createRole(alice, { name: 'Bad Name', permissions: [] }))).toBe('ACCESS_ROLE_INVALID');
    expect(await code(proc.access.createRole(alice, { name: 'x_role', permissions: ['read:everything'] }))).toBe('ACCESS_PERMISSION_UNKNOWN');
    expect(await code(proc.access.updateRole(alice, 'admin', { permissions: [] }))).toBe('ACCESS_ROLE_BUILTIN');
    expect(await code(proc.access.deleteRole(alice, 'readonly_user'))).toBe('ACCESS_ROLE_BUILTIN');

    users.users.set('ann', user('ann', ['auditor']));
    const ann = P('ann', ['auditor']);
    expect((await proc.access.check(ann, 'read:audit')).reason).toBe('allowed: role auditor grants read:audit');
    await proc.access.updateRole(alice, 'auditor', { permissions: ['read:compliance'] });
    expect((await proc.access.check(ann, 'read:audit')).reason).toBe('denied: role auditor lacks read:audit');
    expect(await code(proc.access.deleteRole(alice, 'auditor'))).toBe('ACCESS_ROLE_IN_USE');
    await proc.access.assignRoles(alice, 'ann', []);
    await proc.access.deleteRole(alice, 'auditor');
    expect(await code(proc.access.getRole('auditor'))).toBe('ACCESS_ROLE_NOT_FOUND');
    expect((await auditRows(proc.audit, 'access.role.update')).at(-1)!.details).toMatchObject({ before: ['read:audit', 'read:compliance'], after: ['read:compliance'] });
    expect((await auditRows(proc.audit, 'access.role.delete')).length).toBe(1);
    expect((await eventRows(db, 'access.role_changed')).length).toBe(3);
  });

  it('nobody grants or hands out what they do not hold (no self-escalation)', async () => {
    const alice = P('alice', ['admin']);
    await proc.access.createRole(alice, { name: 'user_admins', permissions: ['admin:users', 'read:feedback'] });
    users.users.set('uma', user('uma', ['user_admins']));
    users.users.set('fay', user('fay', []));
    const uma = P('uma', ['user_admins']);
    expect(await code(proc.access.createRole(uma, { name: 'sneaky', permissions: ['admin:system'] }))).toBe('ACCESS_ESCALATION');
    expect(await code(proc.access.assignRoles(uma, 'uma', ['user_admins', 'admin']))).toBe('ACCESS_ESCALATION');
    expect(await code(proc.access.assignRoles(uma, 'alice', []))).toBe('ACCESS_ESCALATION');
    expect(await code(proc.access.assignRoles(uma, 'mark', ['marketing_team', 'ghost']))).toBe('ACCESS_ROLE_NOT_FOUND');
    expect(await code(proc.access.assignRoles(uma, 'nobody', []))).toBe('ACCESS_USER_NOT_FOUND');
    await proc.access.createRole(uma, { name: 'feedback_readers', permissions: ['read:feedback'] });
    expect(await proc.access.assignRoles(uma, 'fay', ['feedback_readers'])).toEqual({ user_id: 'fay', roles: ['feedback_readers'] });
    expect(await code(proc.access.assignRoles(uma, 'mark', ['feedback_readers']))).toBe('ACCESS_ESCALATION'); // removing marketing_team needs its permissions
  });

  it('a role defined in one process reaches another within the cache time', async () => {
    const other = await openAccess(db, { users, clock: proc.clock });
    await proc.access.createRole(P('alice', ['admin']), { name: 'fb_writers', permissions: ['write:feedback'] });
    users.users.set('fred', user('fred', ['fb_writers']));
    expect((await other.access.check(P('fred'), 'write:feedback')).allowed).toBe(false);
    proc.clock.advance(2000);
    expect((await other.access.check(P('fred'), 'write:feedback')).allowed).toBe(true);
  });
});

describe('access review', () => {
  it('every user with roles, effective permissions, MFA, last login and status; CSV too', async () => {
    users.users.set('zed', user('zed', ['product_team', 'retired_role'], { mfa_enabled: true, last_login_at: new Date('2026-02-01T00:00:00Z'), email: '=cmd@example.test' }));
    const r = await proc.access.review();
    const zed = r.users.find((u) => u.user_id === 'zed')!;
    expect(zed).toMatchObject({ roles: ['product_team', 'retired_role'], unknown_roles: ['retired_role'], mfa_enabled: true,
      last_login_at: '2026-02-01T00:00:00.000Z', effective_permissions: ['read:feedback', 'read:marketing', 'write:feedback'], admin_permissions: false, status: 'active' });
    expect(r.users.find((u) => u.user_id === 'gone')!.status).toBe('disabled');
    const { reviewCsv } = await import('./review.js');
    const csv = reviewCsv(r).split('\r\n');
    expect(csv[0]).toBe('user_id,email,status,roles,unknown_roles,effective_permissions,admin_permissions,mfa_enabled,last_login_at');
    expect(csv.find((l) => l.startsWith('zed,'))).toBe("zed,'=cmd@example.test,active,product_team retired_role,retired_role,read:feedback read:marketing write:feedback,false,true,2026-02-01T00:00:00.000Z");
  });
});
