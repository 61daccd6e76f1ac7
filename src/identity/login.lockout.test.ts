import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb } from '../../test/helpers/db.js';
import type { Db } from '../db/types.js';
import { lockDuration } from './lockout.js';
import { identityFixture, SYSTEM } from './testing.js';

let db: Db;
beforeAll(async () => { db = await openTestDb(); });
afterAll(async () => { await db.close(); });

const PW = 'correct horse battery';
const policy = { threshold: 10, baseMs: 60_000, maxMs: 3_600_000, hourlyMax: 100 };

async function tries(f: ReturnType<typeof identityFixture>, email: string, n: number, password = 'wrong password!!', ip = '10.1.1.1') {
  const codes: string[] = [];
  for (let i = 0; i < n; i++) {
    try { await f.identity.login(email, password, { ip }); codes.push('OK'); } catch (e) { codes.push((e as { code: string }).code); }
  }
  return codes;
}

describe('lockout', () => {
  it('doubles from 1 minute to at most 1 hour', () => {
    expect([9, 10, 11, 12, 13, 15, 16, 17, 40].map((n) => lockDuration(n, policy) / 60_000)).toEqual([0, 1, 2, 4, 8, 32, 60, 60, 60]);
  });

  it('10 consecutive failures lock the account; the right password is refused until the lock passes; backoff doubles', async () => {
    const f = identityFixture(db, { ipFailureMax: 1000 });
    const u = await f.identity.createUser({ email: 'lock@example.com', password: PW }, SYSTEM);
    expect(await tries(f, 'lock@example.com', 10)).toEqual(Array(10).fill('INVALID_CREDENTIALS'));
    expect((await f.identity.getUser(u.id))!.status).toBe('locked');
    expect(await tries(f, 'lock@example.com', 1, PW)).toEqual(['INVALID_CREDENTIALS']);
    f.clock.advance(61_000);
    expect(await tries(f, 'lock@example.com', 1)).toEqual(['INVALID_CREDENTIALS']); // 11th failure: 2 minutes
    f.clock.advance(61_000);
    expect(await tries(f, 'lock@example.com', 1, PW)).toEqual(['INVALID_CREDENTIALS']);
    f.clock.advance(60_000);
    expect(await tries(f, 'lock@example.com', 1, PW)).toEqual(['OK']);
    // Success resets: the next 9 failures do not lock.
    expect(await tries(f, 'lock@example.com', 9)).toEqual(Array(9).fill('INVALID_CREDENTIALS'));
    expect(await tries(f, 'lock@example.com', 1, PW)).toEqual(['OK']);

    const failures = f.events.filter((e) => e.type === 'auth.login.failure');
    expect(failures.length).toBe(10 + 1 + 1 + 1 + 9);
    expect(failures[0]).toMatchObject({ class_uid: 3002, status: 'failure', user: { uid: u.id, email: 'lock@example.com' }, src_endpoint: { ip: '10.1.1.1' } });
    const locks = f.events.filter((e) => e.type === 'auth.lockout');
    expect(locks.map((e) => e.unmapped?.locked_seconds)).toEqual([60, 120]);
    expect(f.audits.filter((a) => a.action === 'auth.lockout')).toHaveLength(2);
    expect(f.audits.filter((a) => a.action === 'auth.login.failure')).toHaveLength(failures.length);
  });

  it('an admin unlocks (audited, with a security event)', async () => {
    const f = identityFixture(db, { ipFailureMax: 1000 });
    const u = await f.identity.createUser({ email: 'unlock@example.com', password: PW }, SYSTEM);
    await tries(f, 'unlock@example.com', 10);
    expect(await tries(f, 'unlock@example.com', 1, PW)).toEqual(['INVALID_CREDENTIALS']);
    expect((await f.identity.unlockUser(u.id, { type: 'user', id: 'admin1' })).status).toBe('active');
    expect(await tries(f, 'unlock@example.com', 1, PW)).toEqual(['OK']);
    expect(f.events.find((e) => e.type === 'auth.unlock')).toMatchObject({ class_uid: 3002, user: { uid: u.id } });
    expect(f.audits.find((a) => a.action === 'auth.unlock')).toMatchObject({ actor: { id: 'admin1' }, target: { id: u.id } });
  });

  it('never more than 100 password checks per account per hour, whatever the threshold', async () => {
    const f = identityFixture(db, { ipFailureMax: 100_000, lockout: { ...policy, threshold: 1000 } });
    await f.identity.createUser({ email: 'hourly@example.com', password: PW }, SYSTEM);
    await tries(f, 'hourly@example.com', 100);
    const checked = () => f.audits.filter((a) => a.action === 'auth.login.failure' && a.details?.reason === 'bad_password').length;
    expect(checked()).toBe(100);
    expect(await tries(f, 'hourly@example.com', 5, PW)).toEqual(Array(5).fill('INVALID_CREDENTIALS'));
    expect(checked()).toBe(100);
    expect(f.audits.filter((a) => a.details?.reason === 'hourly_limit')).toHaveLength(5);
    f.clock.advance(3_600_000);
    expect(await tries(f, 'hourly@example.com', 1, PW)).toEqual(['OK']);
  });

  it('throttles an address after repeated failures, across accounts', async () => {
    const f = identityFixture(db, { ipFailureMax: 5 });
    await f.identity.createUser({ email: 'ipa@example.com', password: PW }, SYSTEM);
    expect(await tries(f, 'nobody@example.com', 5, 'x', '10.9.9.9')).toEqual(Array(5).fill('INVALID_CREDENTIALS'));
    expect(await tries(f, 'ipa@example.com', 1, PW, '10.9.9.9')).toEqual(['LOGIN_THROTTLED']);
    expect(await tries(f, 'ipa@example.com', 1, PW, '10.9.9.10')).toEqual(['OK']);
    f.clock.advance(15 * 60_000 + 1000);
    expect(await tries(f, 'ipa@example.com', 1, PW, '10.9.9.9')).toEqual(['OK']);
  });

  it('wrong MFA codes count like wrong passwords', async () => {
    const port = { enrolled: async () => true, verifyLogin: async () => ({ ok: false, method: 'otp' as const }) };
    const f = identityFixture(db, { ipFailureMax: 1000 }, port);
    const u = await f.identity.createUser({ email: 'mfa-lock@example.com', password: PW }, SYSTEM);
    for (let i = 0; i < 2; i++) {
      const r = await f.identity.login('mfa-lock@example.com', PW, {});
      if (!('mfa_token' in r)) throw new Error('expected an MFA challenge');
      for (let j = 0; j < 5; j++) await expect(f.identity.verifyMfa(r.mfa_token, { code: '123456' }, {})).rejects.toBeTruthy();
    }
    expect((await f.identity.getUser(u.id))!.status).toBe('locked');
    expect(f.events.filter((e) => e.type === 'auth.mfa.failure')).toHaveLength(10);
    expect(await tries(f, 'mfa-lock@example.com', 1, PW)).toEqual(['INVALID_CREDENTIALS']);
  });
});
