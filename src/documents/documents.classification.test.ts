import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../db/types.js';
import { createKeys } from '../keys/index.js';
import { openTestDb } from '../../test/helpers/db.js';
import { auditRows, eventRows, fakeUsers, user } from '../access/fakes.test-helpers.js';
import { bearer, type Proc } from '../access/http.test-helpers.js';
import { buildDocsHttp } from './fakes.test-helpers.js';

let db: Db;
let app: FastifyInstance;
let proc: Proc;
let keys: Awaited<ReturnType<typeof createKeys>>;
const users = fakeUsers([user('root', ['admin']), user('lena', ['legal_team']), user('mark', ['marketing_team']), user('rita', ['readonly_user'])]);
const SECRET = 'Settlement terms: 1.2M, signed 2026-02-14';

beforeAll(async () => {
  db = await openTestDb();
  keys = await createKeys({
    db, clock: () => new Date('2026-03-01T12:00:00Z'), audit: async () => undefined,
    config: { masterKey: randomBytes(32).toString('base64'), masterKeyFile: null, dataDir: '/nonexistent', embedded: false, rotationDays: 90 },
    log: { info: () => undefined, warn: () => undefined },
  });
  ({ app, proc } = await buildDocsHttp(db, users, { encryptField: keys.encryptField, decryptField: keys.decryptField }));
});
afterAll(async () => { await app?.close(); await db?.close(); });

const create = (token: string, classification: string, body = SECRET, domain = 'compliance') =>
  app.inject({ method: 'POST', url: '/v1/documents', headers: bearer(token), payload: { domain, title: `${classification} doc`, body, classification, tags: ['q1'] } });
const raw = async (id: string) => (await db.query<{ body: string | null; body_ciphertext: string | null }>('SELECT body, body_ciphertext FROM documents WHERE id = $1', [id])).rows[0];

describe('classification as policy', () => {
  it('confidential and restricted bodies are encrypted at rest (raw row), bound to their document', async () => {
    const pub = (await create('lena', 'internal')).json();
    expect(await raw(pub.id)).toEqual({ body: SECRET, body_ciphertext: null });
    for (const cls of ['confidential', 'restricted']) {
      const doc = (await create('lena+otp', cls)).json();
      expect(doc).toMatchObject({ classification: cls, encrypted_at_rest: true, body: SECRET });
      const row = await raw(doc.id);
      expect(row.body).toBeNull();
      expect(row.body_ciphertext).not.toContain('Settlement');
      expect(Buffer.from(row.body_ciphertext!.split(/[:.]/).pop()!, 'base64').toString('latin1')).not.toContain('Settlement');
      expect(await keys.decryptField(`documents:body:${doc.id}`, row.body_ciphertext!)).toBe(SECRET);
      await expect(keys.decryptField(`documents:body:${pub.id}`, row.body_ciphertext!)).rejects.toThrow(); // bound to its id
      expect((await app.inject({ method: 'GET', url: `/v1/documents/${doc.id}`, headers: bearer('lena+otp') })).json().body).toBe(SECRET);
    }
  });

  it('moving a document between clear and encrypted levels re-seals its body', async () => {
    const doc = (await create('lena', 'internal', 'was internal')).json();
    await app.inject({ method: 'PATCH', url: `/v1/documents/${doc.id}`, headers: bearer('lena'), payload: { classification: 'confidential' } });
    expect((await raw(doc.id)).body).toBeNull();
    const back = await app.inject({ method: 'PATCH', url: `/v1/documents/${doc.id}`, headers: bearer('lena'), payload: { classification: 'internal' } });
    expect(back.statusCode).toBe(200);
    expect(await raw(doc.id)).toEqual({ body: 'was internal', body_ciphertext: null });
  });

  it('restricted needs an MFA session for every action; every read is audited', async () => {
    const refused = await create('lena', 'restricted');
    expect(refused.statusCode).toBe(403);
    expect(refused.json().detail).toMatch(/^denied: restricted data needs a session signed in with MFA/);
    const doc = (await create('lena+otp', 'restricted')).json();
    expect((await app.inject({ method: 'GET', url: `/v1/documents/${doc.id}`, headers: bearer('lena') })).statusCode).toBe(403);
    expect((await app.inject({ method: 'GET', url: `/v1/documents/${doc.id}`, headers: bearer('root') })).statusCode).toBe(403);
    expect((await app.inject({ method: 'GET', url: `/v1/documents/${doc.id}`, headers: bearer('mark+otp') })).json().detail).toBe('denied: role marketing_team lacks read:compliance');
    const before = (await auditRows(proc.audit, 'documents.read')).length;
    expect((await app.inject({ method: 'GET', url: `/v1/documents/${doc.id}`, headers: bearer('lena+otp') })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: `/v1/documents/${doc.id}`, headers: bearer('rita+otp') })).statusCode).toBe(200);
    const reads = (await auditRows(proc.audit, 'documents.read')).slice(before);
    expect(reads.map((r) => [r.actor_id, r.target_id])).toEqual([['lena', doc.id], ['rita', doc.id]]);
    const denials = (await auditRows(proc.audit, 'access.denied')).filter((a) => a.target_id === doc.id).map((a) => a.details.decision);
    expect(denials).toEqual(['mfa_required', 'mfa_required', 'missing_permission']);
    // lists without MFA leave restricted out
    const list = (await app.inject({ method: 'GET', url: '/v1/documents?domain=compliance&limit=200', headers: bearer('lena') })).json();
    expect(list.documents.some((d: { classification: string }) => d.classification === 'restricted')).toBe(false);
    expect(list.documents.every((d: { body?: string }) => d.body === undefined)).toBe(true);
  });

  it('public is readable by every authenticated caller; internal only with read:<domain>', async () => {
    const pub = (await create('lena', 'public', 'hello')).json();
    const int = (await create('lena', 'internal', 'inside')).json();
    expect((await app.inject({ method: 'GET', url: `/v1/documents/${pub.id}`, headers: bearer('mark') })).json().body).toBe('hello');
    expect((await app.inject({ method: 'GET', url: `/v1/documents/${int.id}`, headers: bearer('mark') })).statusCode).toBe(403);
    expect((await app.inject({ method: 'GET', url: `/v1/documents/${pub.id}` })).statusCode).toBe(401);
  });

  it('exports stream what the caller may read, audited; confidential/restricted count as data.export events', async () => {
    const evBefore = (await eventRows(db, 'data.export')).length;
    const r = await app.inject({ method: 'GET', url: '/v1/documents/export?domain=compliance', headers: bearer('lena') });
    expect(r.headers['content-type']).toContain('application/x-ndjson');
    const lines = r.body.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.length).toBe(Number(r.headers['x-export-count']));
    expect(lines.some((d) => d.classification === 'restricted')).toBe(false);
    expect(lines.filter((d) => d.classification === 'confidential').every((d) => d.body === SECRET)).toBe(true);
    const audit = (await auditRows(proc.audit, 'documents.export')).at(-1)!;
    expect(audit).toMatchObject({ actor_id: 'lena', target_id: 'compliance', details: { total: lines.length } });
    const evs = (await eventRows(db, 'data.export')).slice(evBefore);
    expect(evs).toHaveLength(1);
    expect(evs[0]).toMatchObject({ class_uid: 6005, user_uid: 'lena' });
    expect(evs[0].event.unmapped).toMatchObject({ domain: 'compliance', sensitive: 1 });

    const withMfa = await app.inject({ method: 'GET', url: '/v1/documents/export?domain=compliance', headers: bearer('lena+otp') });
    expect(withMfa.body.trim().split('\n').some((l) => JSON.parse(l).classification === 'restricted')).toBe(true);
    // only public compliance data for marketing: audited, but not a data export
    const mk = await app.inject({ method: 'GET', url: '/v1/documents/export?domain=compliance', headers: bearer('mark') });
    expect(mk.body.trim().split('\n').map((l) => JSON.parse(l).classification)).toEqual(['public']);
    expect((await eventRows(db, 'data.export')).length).toBe(evBefore + 2);
    expect((await auditRows(proc.audit, 'documents.export')).length).toBe(3);
  });
});
