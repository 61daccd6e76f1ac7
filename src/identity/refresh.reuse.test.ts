import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb } from '../../test/helpers/db.js';
import type { Db } from '../db/types.js';
import { identityFixture, SYSTEM } from './testing.js';

let db: Db;
beforeAll(async () => { db = await openTestDb(); });
afterAll(async () => { await db.close(); });

type Tokens = { access_token: string; refresh_token: string };

describe('refresh-token families', () => {
  it('rotates on every use; an old token presented after the grace window revokes the whole family', async () => {
    const f = identityFixture(db);
    const u = await f.identity.createUser({ email: 'fam@example.com', password: 'correct horse battery' }, SYSTEM);
    const t0 = (await f.identity.login('fam@example.com', 'correct horse battery', { ip: '10.0.0.7' })) as Tokens;
    f.clock.advance(20_000);
    const t1 = await f.identity.refresh(t0.refresh_token, {});
    f.clock.advance(20_000);
    const t2 = await f.identity.refresh(t1.refresh_token, {});
    expect(await f.identity.authenticate(t2.access_token)).not.toBeNull();
    // An attacker replays t0 (used 40 s ago): the family dies.
    await expect(f.identity.refresh(t0.refresh_token, { ip: '203.0.113.5' })).rejects.toMatchObject({ code: 'REFRESH_TOKEN_REUSED', status: 401 });
    await expect(f.identity.refresh(t2.refresh_token, {})).rejects.toMatchObject({ code: 'REFRESH_TOKEN_INVALID' });
    expect(await f.identity.authenticate(t2.access_token)).toBeNull();
    expect(await f.identity.authenticate(t0.access_token)).toBeNull();
    const ev = f.events.find((e) => e.type === 'token.refresh_reuse')!;
    expect(ev).toMatchObject({ class_uid: 3002, severity_id: 4, status: 'failure', user: { uid: u.id }, src_endpoint: { ip: '203.0.113.5' } });
    expect(f.audits.find((a) => a.action === 'auth.refresh_reuse')).toBeTruthy();
    expect(await f.identity.listSessions(u.id)).toEqual([]);
  });

  it('two tabs refreshing at once (within the grace) both succeed', async () => {
    const f = identityFixture(db, { refreshGrace: 10 });
    await f.identity.createUser({ email: 'tabs@example.com', password: 'correct horse battery' }, SYSTEM);
    const t0 = (await f.identity.login('tabs@example.com', 'correct horse battery', {})) as Tokens;
    const a = await f.identity.refresh(t0.refresh_token, {});
    f.clock.advance(5_000);
    const b = await f.identity.refresh(t0.refresh_token, {});
    expect(a.refresh_token).not.toBe(b.refresh_token);
    expect(await f.identity.refresh(a.refresh_token, {})).toBeTruthy();
    expect(await f.identity.refresh(b.refresh_token, {})).toBeTruthy();
    expect(f.events.some((e) => e.type === 'token.refresh_reuse')).toBe(false);
  });

  it('idle and absolute lifetimes', async () => {
    const f = identityFixture(db, { refreshIdleTtl: 3600, refreshTtl: 3 * 3600 });
    await f.identity.createUser({ email: 'life@example.com', password: 'correct horse battery' }, SYSTEM);
    let t = (await f.identity.login('life@example.com', 'correct horse battery', {})) as Tokens;
    for (let i = 0; i < 3; i++) {
      f.clock.advance(50 * 60_000);
      t = await f.identity.refresh(t.refresh_token, {});
    }
    // 200 minutes in: past the 3-hour absolute end although never idle for an hour.
    f.clock.advance(50 * 60_000);
    await expect(f.identity.refresh(t.refresh_token, {})).rejects.toMatchObject({ code: 'REFRESH_TOKEN_INVALID' });
    const t2 = (await f.identity.login('life@example.com', 'correct horse battery', {})) as Tokens;
    f.clock.advance(61 * 60_000);
    await expect(f.identity.refresh(t2.refresh_token, {})).rejects.toMatchObject({ code: 'REFRESH_TOKEN_INVALID' });
  });

  it('an access token never outlives its session', async () => {
    const f = identityFixture(db, { refreshIdleTtl: 300, refreshTtl: 300 });
    await f.identity.createUser({ email: 'short@example.com', password: 'correct horse battery' }, SYSTEM);
    const t = await f.identity.login('short@example.com', 'correct horse battery', {});
    expect('expires_in' in t && t.expires_in).toBe(300);
  });
});

describe('sessions', () => {
  it('lists mine with device and IP, revokes one, and a password change revokes the others', async () => {
    const f = identityFixture(db);
    const u = await f.identity.createUser({ email: 'sess@example.com', password: 'correct horse battery' }, SYSTEM);
    const a = (await f.identity.login('sess@example.com', 'correct horse battery', { ip: '10.0.0.1', user_agent: 'Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0' })) as Tokens;
    const b = (await f.identity.login('sess@example.com', 'correct horse battery', { ip: '10.0.0.2', user_agent: 'curl/8.0' })) as Tokens;
    const c = (await f.identity.login('sess@example.com', 'correct horse battery', { ip: '10.0.0.3' })) as Tokens;
    const pa = (await f.identity.authenticate(a.access_token))!;
    const list = await f.identity.listSessions(u.id, pa.session_id);
    expect(list).toHaveLength(3);
    expect(list.find((s) => s.current)).toMatchObject({ ip: '10.0.0.1', device: 'Firefox on Linux' });
    const pb = (await f.identity.authenticate(b.access_token))!;
    await f.identity.revokeSession(u.id, pb.session_id!, SYSTEM);
    expect(await f.identity.authenticate(b.access_token)).toBeNull();
    await expect(f.identity.revokeSession('usr_other', pa.session_id!, SYSTEM)).rejects.toMatchObject({ code: 'SESSION_NOT_FOUND' });

    await expect(f.identity.changePassword(u.id, pa.session_id!, 'not my password', 'a brand new passphrase', SYSTEM)).rejects.toMatchObject({ code: 'PASSWORD_INCORRECT' });
    expect(await f.identity.changePassword(u.id, pa.session_id!, 'correct horse battery', 'a brand new passphrase', SYSTEM)).toEqual({ revoked_sessions: 1 });
    expect(await f.identity.authenticate(c.access_token)).toBeNull();
    expect(await f.identity.authenticate(a.access_token)).not.toBeNull();
    await expect(f.identity.login('sess@example.com', 'correct horse battery', {})).rejects.toMatchObject({ code: 'INVALID_CREDENTIALS' });
    expect(await f.identity.login('sess@example.com', 'a brand new passphrase', {})).toHaveProperty('access_token');
  });

  it('admin: revoke all of a user\'s sessions; the last admin cannot be disabled', async () => {
    const f = identityFixture(db);
    const u = await f.identity.createUser({ email: 'victim@example.com', password: 'correct horse battery' }, SYSTEM);
    const t = (await f.identity.login('victim@example.com', 'correct horse battery', {})) as Tokens;
    expect(await f.identity.revokeUserSessions(u.id, SYSTEM)).toBe(1);
    expect(await f.identity.authenticate(t.access_token)).toBeNull();
    const admins = await f.identity.listUsers({ role: 'admin' });
    for (const a of admins.users) await f.identity.updateUser(a.id, { roles: [] }, SYSTEM).catch(() => undefined);
    const only = await f.identity.createUser({ email: `only-${Date.now()}@example.com`, password: 'correct horse battery', roles: ['admin'] }, SYSTEM);
    const others = (await f.identity.listUsers({ role: 'admin', limit: 500 })).users.filter((x) => x.id !== only.id && x.status === 'active');
    if (others.length === 0) {
      await expect(f.identity.updateUser(only.id, { status: 'disabled' }, SYSTEM)).rejects.toMatchObject({ code: 'LAST_ADMIN' });
      await expect(f.identity.deleteUser(only.id, SYSTEM)).rejects.toMatchObject({ code: 'LAST_ADMIN' });
    }
  });
});

describe('password hashes', () => {
  it('rehashes a weaker Argon2id hash and an imported bcrypt hash at the next login', async () => {
    const bcrypt = (await import('bcryptjs')).default;
    const f = identityFixture(db);
    const imported = await f.identity.importUser({ email: 'legacy@example.com', password_hash: bcrypt.hashSync('legacy passphrase 1', 4) }, SYSTEM);
    const stored = async () => (await db.query<{ password_hash: string }>('SELECT password_hash FROM users WHERE id = $1', [imported.id])).rows[0].password_hash;
    expect(await stored()).toMatch(/^\$2[ab]\$/);
    await f.identity.login('legacy@example.com', 'legacy passphrase 1', {});
    expect(await stored()).toMatch(/^\$argon2id\$v=19\$m=1024,t=1,p=1\$/);
    const g = identityFixture(db, { argon2: { memoryCost: 2048, timeCost: 2, parallelism: 1 } });
    await g.identity.login('legacy@example.com', 'legacy passphrase 1', {});
    expect(await stored()).toMatch(/^\$argon2id\$v=19\$m=2048,t=2,p=1\$/);
    await expect(f.identity.importUser({ email: 'md5@example.com', password_hash: '5f4dcc3b5aa765d61d8327deb882cf99' }, SYSTEM)).rejects.toMatchObject({ code: 'PASSWORD_POLICY' });
  });
});
