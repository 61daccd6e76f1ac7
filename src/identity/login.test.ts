import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb } from '../../test/helpers/db.js';
import type { Db } from '../db/types.js';
import { identityFixture, SYSTEM } from './testing.js';

let db: Db;
beforeAll(async () => { db = await openTestDb(); });
afterAll(async () => { await db.close(); });

describe('login and tokens', () => {
  it('creates a user, logs in, authenticates the access token and refreshes', async () => {
    const f = identityFixture(db);
    const u = await f.identity.createUser({ email: 'Ann@Example.com', name: 'Ann', password: 'correct horse battery', roles: ['analyst'] }, SYSTEM);
    expect(u).toMatchObject({ email: 'Ann@Example.com', status: 'active', roles: ['analyst'], mfa_enabled: false, last_login_at: null });
    const r = await f.identity.login('ann@example.COM', 'correct horse battery', { ip: '10.0.0.1', user_agent: 'vitest' });
    if (!('access_token' in r)) throw new Error('expected tokens');
    expect(r).toMatchObject({ token_type: 'Bearer', expires_in: 900 });
    expect(r.mfa_enrollment_required).toBeUndefined();
    const p = await f.identity.authenticate(r.access_token);
    expect(p).toMatchObject({ type: 'user', id: u.id, roles: ['analyst'], amr: ['pwd'] });
    expect((await f.identity.getUser(u.id))!.last_login_at).toBe('2026-01-01T00:00:00.000Z');
    f.clock.advance(60_000);
    const r2 = await f.identity.refresh(r.refresh_token, {});
    expect(r2.refresh_token).not.toBe(r.refresh_token);
    expect(await f.identity.authenticate(r2.access_token)).toMatchObject({ id: u.id, session_id: p!.session_id });
    expect(f.events.map((e) => e.type)).toContain('auth.login.success');
  });

  it('refuses a user who needs MFA but has none anything but enrollment', async () => {
    const f = identityFixture(db);
    await f.identity.createUser({ email: 'boss@example.com', password: 'a long admin passphrase', roles: ['admin'] }, SYSTEM);
    const r = await f.identity.login('boss@example.com', 'a long admin passphrase', {});
    if (!('access_token' in r)) throw new Error('expected tokens');
    expect(r.mfa_enrollment_required).toBe(true);
    expect(await f.identity.authenticate(r.access_token)).toMatchObject({ mfa_enrollment_only: true, roles: ['admin'] });
  });

  it('applies the password policy', async () => {
    const f = identityFixture(db);
    await expect(f.identity.createUser({ email: 'p@example.com', password: 'short' }, SYSTEM)).rejects.toMatchObject({ code: 'PASSWORD_POLICY' });
    await expect(f.identity.createUser({ email: 'peter.parker@example.com', password: 'xx peter.parker 2026' }, SYSTEM)).rejects.toMatchObject({ code: 'PASSWORD_POLICY' });
    await expect(f.identity.createUser({ email: 'q@example.com', password: 'x'.repeat(129) }, SYSTEM)).rejects.toMatchObject({ code: 'PASSWORD_POLICY' });
    await f.identity.createUser({ email: 'dup@example.com', password: 'a perfectly fine one' }, SYSTEM);
    await expect(f.identity.createUser({ email: 'DUP@example.com', password: 'a perfectly fine one' }, SYSTEM)).rejects.toMatchObject({ code: 'EMAIL_TAKEN' });
  });
});
