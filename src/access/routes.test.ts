import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../db/types.js';
import { openTestDb } from '../../test/helpers/db.js';
import { auditRows, eventRows, fakeUsers, user } from './fakes.test-helpers.js';
import { bearer, buildHttp, type Proc } from './http.test-helpers.js';

let db: Db;
let app: FastifyInstance;
let proc: Proc;
const users = fakeUsers([user('root', ['admin']), user('lena', ['legal_team']), user('mark', ['marketing_team']), user('pat', ['product_team'])]);

beforeAll(async () => {
  db = await openTestDb();
  ({ app, proc } = await buildHttp(db, users));
});
afterAll(async () => { await app?.close(); await db?.close(); });

const post = (url: string, token: string, payload: unknown) => app.inject({ method: 'POST', url, headers: bearer(token), payload: payload as object });

describe('access routes', () => {
  it('check and explain return the decision with its reason', async () => {
    const c = await post('/v1/access/check', 'mark', { action: 'write:compliance' });
    expect(c.statusCode).toBe(200);
    expect(c.json().decision).toMatchObject({ allowed: false, reason: 'denied: role marketing_team lacks write:compliance', permission: 'write:compliance' });
    const e = await post('/v1/access/explain', 'lena', { action: 'read', resource: { type: 'document', domain: 'compliance', classification: 'restricted' } });
    expect(e.json()).toMatchObject({
      decision: { allowed: false, code: 'mfa_required' },
      subject: { id: 'lena', current_roles: ['legal_team'], roles_source: 'directory', mfa: false },
      effective_permissions: ['read:compliance', 'read:feedback', 'write:compliance'],
      protection: { classification: 'restricted', level: 'maximum', encryptedAtRest: true, mfaRequired: true },
    });
    expect((await post('/v1/access/explain', 'lena+otp', { action: 'read', resource: { domain: 'compliance', classification: 'restricted' } })).json().decision.allowed).toBe(true);
    expect((await post('/v1/access/check', 'mark', { action: 'x', bogus: 1 })).json().code).toBe('VALIDATION_FAILED');
    expect((await app.inject({ method: 'POST', url: '/v1/access/check', payload: { action: 'read:feedback' } })).statusCode).toBe(401);
  });

  it('asking about others needs admin:users (and the refusal is a denial)', async () => {
    const denied = await post('/v1/access/check', 'pat', { action: 'admin:system', user_id: 'root' });
    expect(denied.statusCode).toBe(403);
    expect(denied.json()).toMatchObject({ code: 'ACCESS_DENIED', permission: 'admin:users', detail: 'denied: role product_team lacks admin:users' });
    const r = await post('/v1/access/explain', 'root', { action: 'write:feedback', roles: ['product_team', 'readonly_user'] });
    expect(r.json().decision.reason).toBe('allowed: role product_team grants write:feedback');
    const u = await post('/v1/access/check', 'root', { action: 'write:marketing', user_id: 'lena' });
    expect(u.json().decision.reason).toBe('denied: role legal_team lacks write:marketing');
  });

  it('custom roles and assignment over HTTP; built-ins protected; changes audited and live at once', async () => {
    const created = await post('/v1/access/roles', 'root', { name: 'support', description: 'Reads feedback and alerts', permissions: ['read:feedback', 'read:alerts'] });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ name: 'support', builtin: false, permissions: ['read:alerts', 'read:feedback'] });
    expect((await post('/v1/access/roles', 'mark', { name: 'mine', permissions: [] })).statusCode).toBe(403);
    const patchBuiltin = await app.inject({ method: 'PATCH', url: '/v1/access/roles/legal_team', headers: bearer('root'), payload: { permissions: ['admin:system'] } });
    expect(patchBuiltin.json()).toMatchObject({ status: 409, code: 'ACCESS_ROLE_BUILTIN' });
    expect((await post('/v1/access/check', 'mark', { action: 'read:alerts' })).json().decision.allowed).toBe(false);
    const put = await app.inject({ method: 'PUT', url: '/v1/access/users/mark/roles', headers: bearer('root'), payload: { roles: ['marketing_team', 'support'] } });
    expect(put.json()).toEqual({ user_id: 'mark', roles: ['marketing_team', 'support'] });
    // mark's token still says marketing_team only; the decision follows the directory
    expect((await post('/v1/access/check', 'mark', { action: 'read:alerts' })).json().decision.reason).toBe('allowed: role support grants read:alerts');
    const patched = await app.inject({ method: 'PATCH', url: '/v1/access/roles/support', headers: bearer('root'), payload: { permissions: ['read:feedback'] } });
    expect(patched.json().permissions).toEqual(['read:feedback']);
    expect((await post('/v1/access/check', 'mark', { action: 'read:alerts' })).json().decision.allowed).toBe(false);
    expect((await app.inject({ method: 'DELETE', url: '/v1/access/roles/support', headers: bearer('root') })).json().code).toBe('ACCESS_ROLE_IN_USE');
    await app.inject({ method: 'PUT', url: '/v1/access/users/mark/roles', headers: bearer('root'), payload: { roles: ['marketing_team'] } });
    expect((await app.inject({ method: 'DELETE', url: '/v1/access/roles/support', headers: bearer('root') })).statusCode).toBe(204);
    expect((await auditRows(proc.audit, 'access.roles.assign')).map((a) => a.details.after)).toEqual([['marketing_team', 'support'], ['marketing_team']]);
    expect((await eventRows(db, 'account.roles_changed')).length).toBe(2);
  });

  it('guarded routes deny through check: audit entry and access.denied event per denial', async () => {
    const before = (await eventRows(db, 'access.denied')).length;
    for (let i = 0; i < 3; i++) expect((await app.inject({ method: 'GET', url: '/v1/access/roles', headers: bearer('pat') })).statusCode).toBe(403);
    const evs = (await eventRows(db, 'access.denied')).slice(before);
    expect(evs.map((e) => [e.user_uid, e.event.unmapped?.permission, e.class_uid])).toEqual(Array(3).fill(['pat', 'admin:users', 3003]));
    const audits = (await auditRows(proc.audit, 'access.denied')).filter((a) => a.actor_id === 'pat');
    expect(audits.at(-1)!.details).toMatchObject({ method: 'GET', path: '/v1/access/roles', reason: 'denied: role product_team lacks admin:users' });
    expect((await app.inject({ method: 'GET', url: '/v1/access/roles', headers: bearer('key:k1:readonly_user') })).statusCode).toBe(403);
    expect((await eventRows(db, 'access.denied')).at(-1)!.class_uid).toBe(6003);
  });

  it('access review as JSON and CSV, itself audited', async () => {
    const j = await app.inject({ method: 'GET', url: '/v1/access/review', headers: bearer('root') });
    expect(j.json().users.find((u: { user_id: string }) => u.user_id === 'lena')).toMatchObject({ roles: ['legal_team'], mfa_enabled: false, status: 'active' });
    const c = await app.inject({ method: 'GET', url: '/v1/access/review?format=csv', headers: bearer('root') });
    expect(c.headers['content-type']).toContain('text/csv');
    expect(c.body.split('\r\n')[0]).toBe('user_id,email,status,roles,unknown_roles,effective_permissions,admin_permissions,mfa_enabled,last_login_at');
    expect((await app.inject({ method: 'GET', url: '/v1/access/review.csv', headers: bearer('lena') })).statusCode).toBe(403);
    expect((await auditRows(proc.audit, 'access.review')).map((a) => a.details.format)).toEqual(['json', 'csv']);
  });
});
