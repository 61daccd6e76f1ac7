import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../db/types.js';
import { openTestDb } from '../../test/helpers/db.js';
import { fakeUsers, user } from '../access/fakes.test-helpers.js';
import { bearer } from '../access/http.test-helpers.js';
import { buildDocsHttp } from './fakes.test-helpers.js';

/**
 * The guide's whole matrix (5 roles × 9 permissions) over the real HTTP routes: each permission
 * is exercised by the route that needs it, for a user holding exactly one role.
 */
const MATRIX: Record<string, string[]> = {
  admin: ['read:compliance', 'write:compliance', 'delete:compliance', 'read:marketing', 'write:marketing', 'read:feedback', 'write:feedback', 'admin:users', 'admin:system'],
  legal_team: ['read:compliance', 'write:compliance', 'read:feedback'],
  marketing_team: ['read:marketing', 'write:marketing', 'read:feedback'],
  product_team: ['read:feedback', 'write:feedback', 'read:marketing'],
  readonly_user: ['read:compliance', 'read:marketing', 'read:feedback'],
};
const PERMS = MATRIX.admin;

let db: Db;
let app: FastifyInstance;
const users = fakeUsers([user('root', ['admin']), ...Object.keys(MATRIX).map((r) => user(`u_${r}`, [r]))]);

beforeAll(async () => {
  db = await openTestDb();
  ({ app } = await buildDocsHttp(db, users));
});
afterAll(async () => { await app?.close(); await db?.close(); });

async function seed(domain: string): Promise<string> {
  const r = await app.inject({ method: 'POST', url: '/v1/documents', headers: bearer('root'), payload: { domain, title: `${domain} doc`, body: 'text', classification: 'internal' } });
  expect(r.statusCode).toBe(201);
  return r.json().id;
}

/** Exercises one permission as `token`; returns the HTTP status. */
async function exercise(token: string, perm: string): Promise<number> {
  const [verb, noun] = perm.split(':');
  if (perm === 'admin:users') return (await app.inject({ method: 'GET', url: '/v1/access/roles', headers: bearer(token) })).statusCode;
  if (perm === 'admin:system') return (await app.inject({ method: 'DELETE', url: `/v1/documents/${await seed('marketing')}`, headers: bearer(token) })).statusCode;
  if (verb === 'read') return (await app.inject({ method: 'GET', url: `/v1/documents/${await seed(noun)}`, headers: bearer(token) })).statusCode;
  if (verb === 'write') {
    return (await app.inject({ method: 'POST', url: '/v1/documents', headers: bearer(token), payload: { domain: noun, title: 't', body: 'b', classification: 'internal' } })).statusCode;
  }
  return (await app.inject({ method: 'DELETE', url: `/v1/documents/${await seed(noun)}`, headers: bearer(token) })).statusCode;
}

const OK: Record<string, number> = { read: 200, write: 201, delete: 204, admin: 200 };

describe('the guide matrix over HTTP', () => {
  for (const [role, allowed] of Object.entries(MATRIX)) {
    it(`${role}: exactly ${allowed.length} of the 9 permissions`, async () => {
      const got: Record<string, number> = {};
      const want: Record<string, number> = {};
      for (const perm of PERMS) {
        got[perm] = await exercise(`u_${role}`, perm);
        want[perm] = allowed.includes(perm) ? (perm === 'admin:system' ? 204 : OK[perm.split(':')[0]]) : 403;
      }
      expect(got).toEqual(want);
    });
  }

  it('a denial on a document says why', async () => {
    const id = await seed('compliance');
    const r = await app.inject({ method: 'PATCH', url: `/v1/documents/${id}`, headers: bearer('u_marketing_team'), payload: { title: 'mine now' } });
    expect(r.json()).toMatchObject({ status: 403, code: 'ACCESS_DENIED', detail: 'denied: role marketing_team lacks write:compliance', permission: 'write:compliance' });
    const d = await app.inject({ method: 'DELETE', url: `/v1/documents/${await seed('feedback')}`, headers: bearer('u_product_team') });
    expect(d.json().detail).toBe('denied: role product_team lacks admin:system');
  });
});
