import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { identityTestApp } from './testing-app.js';

let t: Awaited<ReturnType<typeof identityTestApp>>;
const ADMIN_PW = 'the admin passphrase for tests';
let admin = '';
const secrets: string[] = [ADMIN_PW];

beforeAll(async () => {
  t = await identityTestApp({ env: { WARDEN_RATE_LIMIT_STRICT: '60' }, identity: { mfaRequiredRoles: ['legal_team'], ipFailureMax: 10_000 } });
});
afterAll(async () => {
  // No secret in any log line after the whole suite.
  const all = t.logs.join('\n');
  for (const s of secrets) expect(all.includes(s), `a secret reached the log: ${s.slice(0, 6)}…`).toBe(false);
  await t.close();
});

const login = (email: string, password: string, ip?: string) => t.call('POST', '/v1/auth/login', { body: { email, password }, ip });

describe('identity over HTTP', () => {
  it('setup: a one-time token creates the first admin; then setup is closed', async () => {
    expect((await t.call('GET', '/v1/setup')).body).toEqual({ open: true });
    const st = (await t.app.identity.issueSetupToken())!;
    secrets.push(st.token);
    expect((await t.call('POST', '/v1/setup', { body: { token: 'wdn_setup_wrong', email: 'root@example.com', password: ADMIN_PW } })).body.code).toBe('SETUP_TOKEN_INVALID');
    expect((await t.call('POST', '/v1/setup', { body: { token: st.token, email: 'root@example.com', password: '1qaz2wsx3edc' } })).body.code).toBe('PASSWORD_POLICY');
    const r = await t.call('POST', '/v1/setup', { body: { token: st.token, email: 'root@example.com', password: ADMIN_PW } });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ email: 'root@example.com', roles: ['admin'] });
    expect((await t.call('POST', '/v1/setup', { body: { token: st.token, email: 'x@example.com', password: ADMIN_PW } })).body.code).toBe('SETUP_CLOSED');
    expect((await t.call('GET', '/v1/setup')).body).toEqual({ open: false });
    expect(await t.app.identity.issueSetupToken()).toBeNull();
    expect(await t.app.identity.ensureAdminFromEnv({ WARDEN_ADMIN_EMAIL: 'e@example.com', WARDEN_ADMIN_PASSWORD: ADMIN_PW })).toBe('exists');
    const l = await login('root@example.com', ADMIN_PW);
    expect(l.status).toBe(200);
    admin = l.body.access_token;
    secrets.push(admin, l.body.refresh_token);
  });

  it('no user enumeration: unknown email and wrong password look the same', async () => {
    await t.call('POST', '/v1/users', { token: admin, body: { email: 'known@example.com', password: 'a quiet user passphrase' } });
    const a = await login('unknown@example.com', 'whatever password 1');
    const b = await login('known@example.com', 'whatever password 1');
    expect(a.status).toBe(401);
    expect(b.status).toBe(401);
    const strip = (x: Record<string, unknown>) => ({ ...x, request_id: undefined });
    expect(strip(a.body)).toEqual(strip(b.body));
    const hdr = (h: Record<string, unknown>) => Object.keys(h).filter((k) => !['x-request-id', 'date', 'content-length'].includes(k)).sort().map((k) => `${k}=${k === 'x-request-id' ? '' : h[k]}`);
    expect(hdr(a.headers)).toEqual(hdr(b.headers));
    // A locked account looks the same too.
    for (let i = 0; i < 10; i++) await login('known@example.com', 'whatever password 1');
    const c = await login('known@example.com', 'a quiet user passphrase');
    expect(strip(c.body)).toEqual(strip(a.body));
    expect(hdr(c.headers)).toEqual(hdr(a.headers));
  });

  it('the strict per-IP limit applies to login', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 62; i++) codes.push((await login('a@example.com', 'x', '10.3.3.3')).status);
    expect(codes.slice(0, 60).every((c) => c === 401)).toBe(true);
    expect(codes.slice(60)).toEqual([429, 429]);
    expect((await login('a@example.com', 'x', '10.3.3.4')).status).toBe(401);
  });

  it('refresh by cookie needs the CSRF header; logout clears the session', async () => {
    const l = await login('root@example.com', ADMIN_PW);
    const cookies = Object.fromEntries(l.cookies.map((c) => [c.name, c.value]));
    expect(cookies.refresh_token).toBe(l.body.refresh_token);
    expect(cookies.warden_csrf).toBeTruthy();
    secrets.push(l.body.refresh_token, l.body.access_token);
    const setCookie = String(l.headers['set-cookie']);
    expect(setCookie).toMatch(/refresh_token=[^;]+;.*Path=\/v1\/auth/);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    const noCsrf = await t.call('POST', '/v1/auth/refresh', { cookies: { refresh_token: cookies.refresh_token, warden_csrf: cookies.warden_csrf } });
    expect([noCsrf.status, noCsrf.body.code]).toEqual([403, 'CSRF_FAILED']);
    const wrong = await t.call('POST', '/v1/auth/refresh', { cookies, headers: { 'x-warden-csrf': 'guess' } });
    expect(wrong.body.code).toBe('CSRF_FAILED');
    const ok = await t.call('POST', '/v1/auth/refresh', { cookies, headers: { 'x-warden-csrf': cookies.warden_csrf } });
    expect(ok.status).toBe(200);
    secrets.push(ok.body.refresh_token, ok.body.access_token);
    const out = await t.call('POST', '/v1/auth/logout', { body: { refresh_token: ok.body.refresh_token } });
    expect(out.status).toBe(204);
    expect((await t.call('GET', '/v1/me', { token: ok.body.access_token })).status).toBe(401);
  });

  it('admin API: users, roles, disable, unlock, sessions; /v1/me; JWKS', async () => {
    const c = await t.call('POST', '/v1/users', { token: admin, body: { email: 'bob@example.com', name: 'Bob', password: 'builder passphrase 2026', roles: ['readonly_user'] } });
    expect(c.status).toBe(201);
    const id = c.body.id;
    expect((await t.call('GET', `/v1/users/${id}`, { token: admin })).body).toMatchObject({ email: 'bob@example.com', mfa_enabled: false, status: 'active' });
    expect((await t.call('GET', '/v1/users?limit=1', { token: admin })).body.next_cursor).toBeTruthy();
    const bl = await login('bob@example.com', 'builder passphrase 2026');
    expect((await t.call('GET', '/v1/me', { token: bl.body.access_token })).body).toMatchObject({ id, roles: ['readonly_user'], amr: ['pwd'] });
    expect((await t.call('GET', '/v1/users', { token: bl.body.access_token })).status).toBe(403);
    expect((await t.call('GET', '/v1/me/sessions', { token: bl.body.access_token })).body.sessions).toHaveLength(1);
    const p = await t.call('PATCH', `/v1/users/${id}`, { token: admin, body: { roles: ['readonly_user', 'legal_team'] } });
    expect(p.body).toMatchObject({ roles: ['readonly_user', 'legal_team'], mfa_required: true });
    // legal_team requires MFA: Bob's next login gets an enrollment-only token.
    const bl2 = await login('bob@example.com', 'builder passphrase 2026');
    expect(bl2.body.mfa_enrollment_required).toBe(true);
    expect((await t.call('GET', '/v1/me/sessions', { token: bl2.body.access_token })).status).toBe(403);
    expect((await t.call('POST', `/v1/users/${id}/sessions/revoke`, { token: admin })).body).toEqual({ revoked: 2 });
    expect((await t.call('GET', '/v1/me', { token: bl.body.access_token })).status).toBe(401);
    const d = await t.call('PATCH', `/v1/users/${id}`, { token: admin, body: { status: 'disabled' } });
    expect(d.body.status).toBe('disabled');
    expect((await login('bob@example.com', 'builder passphrase 2026')).status).toBe(401);
    expect((await t.call('POST', `/v1/users/${id}/unlock`, { token: admin })).status).toBe(200);
    expect((await t.call('DELETE', `/v1/users/${id}`, { token: admin })).status).toBe(204);
    expect((await t.call('GET', `/v1/users/${id}`, { token: admin })).status).toBe(404);
    const jwks = await t.call('GET', '/.well-known/jwks.json');
    expect(jwks.body.keys[0]).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', kid: 'warden-jwt:1' });
    expect(JSON.stringify(jwks.body)).not.toMatch(/"d"/);
  });

  it('API keys: shown once, hashed, authenticate, record last use, revocable', async () => {
    const c = await t.call('POST', '/v1/api-keys', { token: admin, body: { name: 'ci', roles: ['admin'] } });
    expect(c.status).toBe(201);
    const key: string = c.body.key;
    secrets.push(key);
    expect(key).toMatch(/^wdn_[A-Za-z0-9_-]{43}$/);
    const list = await t.call('GET', '/v1/api-keys', { token: admin });
    expect(JSON.stringify(list.body)).not.toContain(key);
    expect(list.body.api_keys[0]).toMatchObject({ name: 'ci', prefix: key.slice(0, 10), last_used_at: null });
    const stored = await t.app.db.query<{ key_hash: string }>('SELECT key_hash FROM api_keys');
    expect(JSON.stringify(stored.rows)).not.toContain(key.slice(4));
    expect((await t.call('GET', '/v1/users', { token: key })).status).toBe(200);
    expect((await t.call('GET', '/v1/me', { token: key })).body).toMatchObject({ principal_type: 'api_key' });
    await new Promise((r) => setTimeout(r, 50));
    expect((await t.call('GET', '/v1/api-keys', { token: admin })).body.api_keys[0].last_used_at).not.toBeNull();
    expect((await t.call('DELETE', `/v1/api-keys/${c.body.id}`, { token: admin })).body.revoked_at).not.toBeNull();
    expect((await t.call('GET', '/v1/users', { token: key })).status).toBe(401);
    expect((await t.call('GET', '/v1/users', { token: 'wdn_' + 'A'.repeat(43) })).status).toBe(401);
  });

  it('changing my password revokes my other sessions', async () => {
    const other = await login('root@example.com', ADMIN_PW);
    const r = await t.call('POST', '/v1/me/password', { token: admin, body: { current_password: ADMIN_PW, new_password: 'a fresh admin passphrase' } });
    secrets.push('a fresh admin passphrase');
    expect(r.status).toBe(200);
    expect(r.body.revoked_sessions).toBeGreaterThanOrEqual(1);
    expect((await t.call('GET', '/v1/me', { token: other.body.access_token })).status).toBe(401);
    expect((await t.call('GET', '/v1/me', { token: admin })).status).toBe(200);
  });
});
