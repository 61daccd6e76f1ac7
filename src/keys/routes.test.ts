import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb } from '../../test/helpers/db.js';
import type { Db } from '../db/types.js';
import { isWardenError } from '../errors.js';
import { keysFixture } from './fixture.js';
import { keysRoutes } from './routes.js';

let db: Db;
let app: FastifyInstance;
let f: ReturnType<typeof keysFixture>;

// A trivial guard: the x-perms header lists the caller's permissions.
const guard = {
  require: (perm: string) => async (req: FastifyRequest) => {
    const perms = String(req.headers['x-perms'] ?? '').split(',');
    if (!perms.includes(perm)) throw Object.assign(new Error('forbidden'), { statusCode: 403 });
    (req as FastifyRequest & { principal?: unknown }).principal = { type: 'user', id: 'u1', roles: [] };
  },
};
const ADMIN = { 'x-perms': 'admin:keys' };
const USE = { 'x-perms': 'use:keys' };
const b64 = (s: string) => Buffer.from(s).toString('base64');

beforeAll(async () => {
  db = await openTestDb();
  f = keysFixture(db);
  const keys = await f.start();
  app = Fastify({ ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true } } });
  app.setErrorHandler((e, _req, reply) => {
    if (isWardenError(e)) return reply.code(e.status).type('application/problem+json').send({ code: e.code, detail: e.message });
    const status = (e as { statusCode?: number }).statusCode ?? 500;
    return reply.code(status).send({ code: status === 400 ? 'VALIDATION' : 'ERROR' });
  });
  await app.register(keysRoutes({ keys, guard }));
  await app.ready();
});
afterAll(async () => { await app.close(); await db.close(); });

describe('keys HTTP', () => {
  it('admin routes: create, list, get, rotate, patch, delete', async () => {
    let r = await app.inject({ method: 'POST', url: '/v1/keys', headers: ADMIN, payload: { name: 'app', type: 'aes256-gcm' } });
    expect(r.statusCode).toBe(201);
    expect(r.json()).toMatchObject({ name: 'app', latest_version: 1, deletion_protection: true });
    r = await app.inject({ method: 'POST', url: '/v1/keys', headers: ADMIN, payload: { name: 'app', type: 'aes256-gcm' } });
    expect([r.statusCode, r.json().code]).toEqual([409, 'KEY_EXISTS']);
    r = await app.inject({ method: 'POST', url: '/v1/keys', headers: ADMIN, payload: { name: 'x', type: 'aes256-gcm', extra: 1 } });
    expect(r.statusCode).toBe(400);
    r = await app.inject({ method: 'GET', url: '/v1/keys', headers: ADMIN });
    expect(r.json().keys.map((k: { name: string }) => k.name)).toContain('app');
    r = await app.inject({ method: 'POST', url: '/v1/keys/app/rotate', headers: ADMIN });
    expect(r.json().latest_version).toBe(2);
    r = await app.inject({ method: 'GET', url: '/v1/keys/app', headers: ADMIN });
    expect(r.json().versions).toHaveLength(2);
    expect(r.body).not.toMatch(/wk1\./);
    r = await app.inject({ method: 'DELETE', url: '/v1/keys/app', headers: ADMIN });
    expect([r.statusCode, r.json().code]).toEqual([409, 'KEY_DELETION_PROTECTED']);
    r = await app.inject({ method: 'PATCH', url: '/v1/keys/app', headers: ADMIN, payload: { deletion_protection: false } });
    expect(r.json().deletion_protection).toBe(false);
    r = await app.inject({ method: 'DELETE', url: '/v1/keys/app', headers: ADMIN });
    expect(r.statusCode).toBe(204);
    expect(f.audits.filter((a) => a.actor.id === 'u1').map((a) => a.action)).toEqual(['keys.create', 'keys.rotate', 'keys.update', 'keys.delete']);
  });

  it('permissions: use:keys cannot administer, admin:keys cannot decrypt', async () => {
    expect((await app.inject({ method: 'GET', url: '/v1/keys', headers: USE })).statusCode).toBe(403);
    expect((await app.inject({ method: 'POST', url: '/v1/keys/x/encrypt', headers: ADMIN, payload: { plaintext: '' } })).statusCode).toBe(403);
  });

  it('encrypt, decrypt, rewrap and datakey round trip', async () => {
    await app.inject({ method: 'POST', url: '/v1/keys', headers: ADMIN, payload: { name: 'tr', type: 'aes256-gcm' } });
    let r = await app.inject({ method: 'POST', url: '/v1/keys/tr/encrypt', headers: USE, payload: { plaintext: b64('hello'), context: 'c1' } });
    const ct = r.json().ciphertext as string;
    expect(ct).toMatch(/^wdn:v1:tr:1:/);
    await app.inject({ method: 'POST', url: '/v1/keys/tr/rotate', headers: ADMIN });
    r = await app.inject({ method: 'POST', url: '/v1/keys/tr/rewrap', headers: USE, payload: { ciphertext: ct, context: 'c1' } });
    expect(r.json()).toEqual({ ciphertext: expect.stringMatching(/^wdn:v1:tr:2:/) });
    r = await app.inject({ method: 'POST', url: '/v1/keys/tr/decrypt', headers: USE, payload: { ciphertext: r.json().ciphertext, context: 'c1' } });
    expect(Buffer.from(r.json().plaintext, 'base64').toString()).toBe('hello');
    r = await app.inject({ method: 'POST', url: '/v1/keys/tr/decrypt', headers: USE, payload: { ciphertext: ct, context: 'c2' } });
    expect([r.statusCode, r.json().code]).toEqual([400, 'DECRYPTION_FAILED']);
    r = await app.inject({ method: 'POST', url: '/v1/keys/tr/datakey', headers: USE });
    expect(Buffer.from(r.json().plaintext, 'base64')).toHaveLength(32);
    expect(r.json().ciphertext).toMatch(/^wdn:v1:tr:2:/);
    expect(JSON.stringify(f.audits)).not.toContain(b64('hello'));
  });

  it('batches answer per item with an error where one fails', async () => {
    let r = await app.inject({ method: 'POST', url: '/v1/keys/tr/encrypt', headers: USE,
      payload: { batch: [{ plaintext: b64('a'), context: 'x' }, { plaintext: b64('b') }] } });
    const [a, b] = r.json().batch as Array<{ ciphertext: string }>;
    r = await app.inject({ method: 'POST', url: '/v1/keys/tr/decrypt', headers: USE,
      payload: { batch: [{ ciphertext: a.ciphertext, context: 'x' }, { ciphertext: b.ciphertext, context: 'wrong' }] } });
    expect(r.json().batch).toEqual([{ plaintext: b64('a') }, { error: { code: 'DECRYPTION_FAILED', message: expect.any(String) } }]);
    r = await app.inject({ method: 'POST', url: '/v1/keys/tr/decrypt', headers: USE, payload: { ciphertext: a.ciphertext, batch: [] } });
    expect(r.statusCode).toBe(400);
  });
});
