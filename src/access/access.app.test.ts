import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { identityTestApp } from '../identity/testing-app.js';

/** access and documents wired in the whole Warden (createApp): real identity tokens, real guard. */
let t: Awaited<ReturnType<typeof identityTestApp>>;
const SYSTEM = { type: 'system' as const, id: 'test' };
const PW = 'a long test passphrase 2026';
const ids: Record<string, string> = {};

async function token(email: string): Promise<string> {
  const r = await t.app.identity.login(email, PW, { ip: '10.0.0.9', user_agent: 'vitest' });
  if (!('access_token' in r)) throw new Error('expected tokens');
  return r.access_token;
}

beforeAll(async () => {
  t = await identityTestApp();
  await t.app.access.createRole({ type: 'bootstrap', id: 'test', roles: [] }, { name: 'user_admins', permissions: ['admin:users'] });
  for (const [name, roles] of [['mia', ['marketing_team']], ['uma', ['user_admins']]] as const) {
    ids[name] = (await t.app.identity.createUser({ email: `${name}@example.com`, password: PW, roles: [...roles] }, SYSTEM)).id;
  }
});
afterAll(async () => { await t?.close(); });

describe('access in the whole app', () => {
  it('every guarded route decides through access: reason, audit entry and event on denial', async () => {
    const mia = await token('mia@example.com');
    const users = await t.call('GET', '/v1/users', { token: mia });
    expect(users.body).toMatchObject({ status: 403, code: 'ACCESS_DENIED', detail: 'denied: role marketing_team lacks admin:users' });
    const doc = await t.call('POST', '/v1/documents', { token: mia, body: { domain: 'compliance', title: 't', body: 'b' } });
    expect(doc.body.detail).toBe('denied: role marketing_team lacks write:compliance');
    const { entries } = await t.app.audit.query({ action: 'access.denied' }, undefined, 10);
    expect(entries.map((e) => e.details.permission)).toEqual(['write:compliance', 'admin:users']);
  });

  it('a role change in the directory reaches a live token within seconds', async () => {
    const mia = await token('mia@example.com');
    await t.app.identity.updateUser(ids.mia, { roles: ['legal_team'] }, SYSTEM);
    t.clock.advance(2_100);
    const doc = await t.call('POST', '/v1/documents', { token: mia, body: { domain: 'compliance', title: 'Policy', body: 'text', classification: 'confidential' } });
    expect(doc.status).toBe(201);
    const raw = await t.app.db.query<{ body: string | null; body_ciphertext: string }>('SELECT body, body_ciphertext FROM documents WHERE id = $1', [doc.body.id]);
    expect(raw.rows[0].body).toBeNull();
    expect(await t.app.keys.decryptField(`documents:body:${doc.body.id}`, raw.rows[0].body_ciphertext)).toBe('text');
    expect((await t.call('GET', `/v1/documents/${doc.body.id}`, { token: mia })).body.body).toBe('text');
  });

  it('the access review lists users with MFA status and last login', async () => {
    const uma = await token('uma@example.com');
    const r = await t.call('GET', '/v1/access/review', { token: uma });
    expect(r.status).toBe(200);
    const mia = r.body.users.find((u: { email: string }) => u.email === 'mia@example.com');
    expect(mia).toMatchObject({ roles: ['legal_team'], mfa_enabled: false, status: 'active', effective_permissions: ['read:compliance', 'read:feedback', 'write:compliance'] });
    expect(mia.last_login_at).not.toBeNull();
    const csv = await t.call('GET', '/v1/access/review.csv', { token: uma });
    expect(csv.headers['content-type']).toContain('text/csv');
  });
});

describe('no privilege escalation through user or API-key administration', () => {
  it('a user admin cannot hand out roles or permissions they do not hold', async () => {
    await t.app.access.createRole({ type: 'bootstrap', id: 'test', roles: [] }, { name: 'key_admins', permissions: ['admin:users', 'admin:api_keys', 'read:feedback'] });
    const kai = (await t.app.identity.createUser({ email: 'kai@example.com', password: PW, roles: ['key_admins'] }, SYSTEM)).id;
    const tok = await token('kai@example.com');

    const create = await t.call('POST', '/v1/users', { token: tok, body: { email: 'evil@example.com', password: PW, roles: ['admin'] } });
    expect(create.status).toBe(403);
    expect(create.body.code).toBe('ACCESS_ESCALATION');
    const self = await t.call('PATCH', `/v1/users/${kai}`, { token: tok, body: { roles: ['key_admins', 'admin'] } });
    expect(self.body.code).toBe('ACCESS_ESCALATION');
    const other = await t.call('PATCH', `/v1/users/${ids.mia}`, { token: tok, body: { roles: ['marketing_team'] } });
    expect(other.body.code).toBe('ACCESS_ESCALATION'); // neither legal_team (removed) nor marketing_team (added) is kai's to hand out
    const ghost = await t.call('PATCH', `/v1/users/${ids.mia}`, { token: tok, body: { roles: ['no_such_role'] } });
    expect(ghost.body.code).toBe('ACCESS_ROLE_NOT_FOUND');
    const key = await t.call('POST', '/v1/api-keys', { token: tok, body: { name: 'k', roles: ['admin'] } });
    expect(key.body.code).toBe('ACCESS_ESCALATION');
    const direct = await t.call('POST', '/v1/api-keys', { token: tok, body: { name: 'k', roles: ['use:keys'] } });
    expect(direct.body.code).toBe('ACCESS_ESCALATION');
    expect((await t.app.identity.getUser(kai))!.roles).toEqual(['key_admins']);

    // what kai holds, kai may hand out
    const ok = await t.call('POST', '/v1/api-keys', { token: tok, body: { name: 'feedback-reader', roles: ['read:feedback'] } });
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
  });
});

describe('API keys die with their creator', () => {
  it('a key made by a user stops working once that user is disabled', async () => {
    await t.app.access.createRole({ type: 'bootstrap', id: 'test', roles: [] }, { name: 'key_makers', permissions: ['admin:api_keys', 'read:feedback'] });
    const kim = (await t.app.identity.createUser({ email: 'kim@example.com', password: PW, roles: ['key_makers'] }, SYSTEM)).id;
    const made = await t.call('POST', '/v1/api-keys', { token: await token('kim@example.com'), body: { name: 'reader', roles: ['read:feedback'] } });
    expect(made.status).toBe(201);
    const other = await t.call('POST', '/v1/api-keys', { token: await token('kim@example.com'), body: { name: 'reader2', roles: ['read:feedback'] } });
    expect((await t.call('GET', '/v1/me', { token: other.body.key })).status).toBe(200);
    await t.app.identity.updateUser(kim, { status: 'disabled' }, SYSTEM);
    const r = await t.call('GET', '/v1/me', { token: made.body.key });
    expect(r.status).toBe(401);
  });
});

describe('keys Warden encrypts with itself stay out of the transit API', () => {
  it('use:keys cannot decrypt a PII value (that needs restore:pii) nor a field ciphertext', async () => {
    await t.app.access.createRole({ type: 'bootstrap', id: 'test', roles: [] }, { name: 'transit_users', permissions: ['use:keys', 'use:pii', 'admin:keys'] });
    await t.app.identity.createUser({ email: 'tia@example.com', password: PW, roles: ['transit_users'] }, SYSTEM);
    const tok = await token('tia@example.com');
    const anon = await t.call('POST', '/v1/pii/anonymize', { token: tok, body: { text: 'Mail john.smith@example.com today', operators: { EMAIL_ADDRESS: { type: 'encrypt' } } } });
    expect(anon.status, JSON.stringify(anon.body)).toBe(200);
    // the operator writes <enc:TYPE:base64url(ciphertext)>
    const ciphertext = Buffer.from(/<enc:EMAIL_ADDRESS:([^>]+)>/.exec(anon.body.text)?.[1] ?? '', 'base64url').toString();
    expect(ciphertext).toMatch(/^wdn:v1:pii-encrypt:/);
    for (const op of ['decrypt', 'rewrap', 'encrypt', 'datakey']) {
      const body = op === 'encrypt' ? { plaintext: 'aGk=' } : op === 'datakey' ? {} : { ciphertext, context: 'pii:EMAIL_ADDRESS' };
      for (const key of ['pii-encrypt', 'pii-restore', 'warden-fields']) {
        const r = await t.call('POST', `/v1/keys/${key}/${op}`, { token: tok, body });
        expect([r.status, r.body.code], `${op} ${key}`).toEqual([403, 'KEY_RESERVED']);
        expect(JSON.stringify(r.body)).not.toContain(Buffer.from('john.smith@example.com').toString('base64'));
      }
    }
    // the transit API itself still works on the caller's own keys
    expect((await t.call('POST', '/v1/keys', { token: tok, body: { name: 'app-data', type: 'aes256-gcm' } })).status).toBe(201);
    const enc = await t.call('POST', '/v1/keys/app-data/encrypt', { token: tok, body: { plaintext: 'aGk=' } });
    const dec = await t.call('POST', '/v1/keys/app-data/decrypt', { token: tok, body: { ciphertext: enc.body.ciphertext } });
    expect(dec.body.plaintext).toBe('aGk=');
  });
});
