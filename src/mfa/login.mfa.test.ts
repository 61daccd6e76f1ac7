import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { identityTestApp } from '../identity/testing-app.js';
import { totpAt } from './totp.js';

let t: Awaited<ReturnType<typeof identityTestApp>>;
const PW = 'an admin passphrase 2026';
let secret = '';
let backup: string[] = [];

beforeAll(async () => {
  t = await identityTestApp();
  const setup = await t.app.identity.issueSetupToken();
  const r = await t.call('POST', '/v1/setup', { body: { token: setup!.token, email: 'root@example.com', password: PW } });
  expect(r.status).toBe(201);
});
afterAll(async () => { await t.close(); });

const code = (dt = 0) => totpAt({ secret, timestamp: t.clock().getTime() + dt });

describe('MFA over HTTP', () => {
  it('an admin without MFA gets an enrollment-only token, enrolls, and the session counts as MFA', async () => {
    const login = await t.call('POST', '/v1/auth/login', { body: { email: 'root@example.com', password: PW } });
    expect(login.status).toBe(200);
    expect(login.body.mfa_enrollment_required).toBe(true);
    const tok = login.body.access_token;
    expect((await t.call('GET', '/v1/users', { token: tok })).body.code).toBe('FORBIDDEN');
    expect((await t.call('GET', '/v1/me', { token: tok })).body).toMatchObject({ email: 'root@example.com', mfa_enrollment_only: true });

    const en = await t.call('POST', '/v1/me/mfa/totp', { token: tok });
    expect(en.status).toBe(200);
    expect(en.body.otpauth_uri).toMatch(/^otpauth:\/\/totp\/Warden:root%40example\.com\?/);
    expect(en.body.qr_code).toMatch(/^data:image\/png;base64,/);
    secret = en.body.secret;
    // Not active before a first valid code.
    expect((await t.call('GET', '/v1/me/mfa', { token: tok })).body).toMatchObject({ totp: false, pending: true });
    expect((await t.call('POST', '/v1/me/mfa/totp/confirm', { token: tok, body: { code: '000000' } })).status).toBe(400);
    const conf = await t.call('POST', '/v1/me/mfa/totp/confirm', { token: tok, body: { code: code() } });
    expect(conf.status).toBe(200);
    backup = conf.body.backup_codes;
    expect(backup).toHaveLength(10);

    // The confirming session refreshes into a full token with amr pwd+otp.
    t.clock.advance(1000);
    const ref = await t.call('POST', '/v1/auth/refresh', { body: { refresh_token: login.body.refresh_token } });
    expect(ref.status).toBe(200);
    expect(ref.body.mfa_enrollment_required).toBeUndefined();
    expect((await t.call('GET', '/v1/me', { token: ref.body.access_token })).body.amr).toEqual(['pwd', 'otp']);
    expect((await t.call('GET', '/v1/users', { token: ref.body.access_token })).status).toBe(200);
  });

  it('login needs the second factor; a TOTP code works once (replay refused)', async () => {
    t.clock.advance(30_000);
    const l1 = await t.call('POST', '/v1/auth/login', { body: { email: 'root@example.com', password: PW } });
    expect(l1.body).toEqual({ mfa_required: true, mfa_token: expect.any(String) });
    const c = code();
    const v1 = await t.call('POST', '/v1/auth/mfa/verify', { body: { mfa_token: l1.body.mfa_token, code: c } });
    expect(v1.status).toBe(200);
    expect(v1.body).toMatchObject({ token_type: 'Bearer', expires_in: 900 });
    // The mfa_token is single-use.
    expect((await t.call('POST', '/v1/auth/mfa/verify', { body: { mfa_token: l1.body.mfa_token, code: c } })).body.code).toBe('MFA_TOKEN_INVALID');
    // Same code, new login: refused as a replay.
    const l2 = await t.call('POST', '/v1/auth/login', { body: { email: 'root@example.com', password: PW } });
    const v2 = await t.call('POST', '/v1/auth/mfa/verify', { body: { mfa_token: l2.body.mfa_token, code: c } });
    expect([v2.status, v2.body.code]).toEqual([401, 'MFA_CODE_INVALID']);
    expect(t.app.identity).toBeDefined();
  });

  it('at most 5 attempts per mfa_token', async () => {
    const l = await t.call('POST', '/v1/auth/login', { body: { email: 'root@example.com', password: PW } });
    for (let i = 0; i < 4; i++) {
      expect((await t.call('POST', '/v1/auth/mfa/verify', { body: { mfa_token: l.body.mfa_token, code: '000000' } })).body.code).toBe('MFA_CODE_INVALID');
    }
    expect((await t.call('POST', '/v1/auth/mfa/verify', { body: { mfa_token: l.body.mfa_token, code: '000000' } })).body.code).toBe('MFA_TOKEN_INVALID');
    t.clock.advance(30_000);
    expect((await t.call('POST', '/v1/auth/mfa/verify', { body: { mfa_token: l.body.mfa_token, code: code() } })).body.code).toBe('MFA_TOKEN_INVALID');
  });

  it('backup codes are single-use and the response says how many remain; regeneration kills the old ones', async () => {
    const l = await t.call('POST', '/v1/auth/login', { body: { email: 'root@example.com', password: PW } });
    const v = await t.call('POST', '/v1/auth/mfa/verify', { body: { mfa_token: l.body.mfa_token, backup_code: backup[0].toLowerCase() } });
    expect(v.status).toBe(200);
    expect(v.body.backup_codes_remaining).toBe(9);
    const l2 = await t.call('POST', '/v1/auth/login', { body: { email: 'root@example.com', password: PW } });
    expect((await t.call('POST', '/v1/auth/mfa/verify', { body: { mfa_token: l2.body.mfa_token, backup_code: backup[0] } })).status).toBe(401);

    t.clock.advance(30_000);
    const regen = await t.call('POST', '/v1/me/mfa/backup-codes', { token: v.body.access_token, body: { code: code() } });
    expect(regen.status).toBe(200);
    const l3 = await t.call('POST', '/v1/auth/login', { body: { email: 'root@example.com', password: PW } });
    expect((await t.call('POST', '/v1/auth/mfa/verify', { body: { mfa_token: l3.body.mfa_token, backup_code: backup[1] } })).status).toBe(401);
    const ok = await t.call('POST', '/v1/auth/mfa/verify', { body: { mfa_token: l3.body.mfa_token, backup_code: regen.body.backup_codes[0] } });
    expect(ok.body.backup_codes_remaining).toBe(9);
    const audit = await t.app.audit.query({ action: 'mfa.backup_code.use' }, undefined, 10);
    expect(audit.entries.length).toBe(2);
  });

  it('step-up: a route can demand a recent MFA', async () => {
    const { createGuard } = await import('../http/guard.js');
    const g = createGuard({ bootstrapToken: null, authenticate: t.app.identity.authenticate, now: () => t.clock() });
    const l = await t.call('POST', '/v1/auth/login', { body: { email: 'root@example.com', password: PW } });
    t.clock.advance(30_000);
    const v = await t.call('POST', '/v1/auth/mfa/verify', { body: { mfa_token: l.body.mfa_token, code: code() } });
    const req = () => ({ headers: { authorization: `Bearer ${v.body.access_token}` } }) as never;
    await expect(g.require('admin:users', { stepUpMinutes: 5 })(req(), {} as never)).resolves.toBeUndefined();
    t.clock.advance(6 * 60_000);
    await expect(g.require('admin:users', { stepUpMinutes: 5 })(req(), {} as never)).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('removing the authenticator needs a current code; an admin can reset MFA', async () => {
    const l = await t.call('POST', '/v1/auth/login', { body: { email: 'root@example.com', password: PW } });
    t.clock.advance(30_000);
    const v = await t.call('POST', '/v1/auth/mfa/verify', { body: { mfa_token: l.body.mfa_token, code: code() } });
    const tok = v.body.access_token;
    expect((await t.call('DELETE', '/v1/me/mfa/totp', { token: tok, body: { code: '123456' } })).status).toBe(400);
    const me = (await t.call('GET', '/v1/me', { token: tok })).body;
    const reset = await t.call('DELETE', `/v1/users/${me.id}/mfa`, { token: tok });
    expect(reset.body).toEqual({ reset: true });
    expect((await t.call('GET', '/v1/me/mfa', { token: tok })).body.totp).toBe(false);
    const audit = await t.app.audit.query({ action: 'mfa.reset' }, undefined, 10);
    expect(audit.entries[0]).toMatchObject({ target: { type: 'user', id: me.id }, outcome: 'success' });
  });
});
