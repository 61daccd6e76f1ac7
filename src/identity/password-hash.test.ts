import { hash as argonHash, verify as argonVerify } from '@node-rs/argon2';
import bcrypt from 'bcryptjs';
import { describe, expect, it } from 'vitest';
import { hashPassword, isSupportedHash, verifyPassword } from './password-hash.js';

const current = { memoryCost: 1024, timeCost: 1, parallelism: 1 };

describe('password hashes', () => {
  it('Argon2id verification agrees with the library on right, wrong and tampered input', async () => {
    const cases: Array<[string, string]> = [];
    for (const params of [current, { memoryCost: 2048, timeCost: 2, parallelism: 2 }, { memoryCost: 1024, timeCost: 3, parallelism: 1 }]) {
      const h = await argonHash('correct horse battery', params);
      cases.push([h, 'correct horse battery'], [h, 'correct horse batterY'], [h, ''], [h, 'correct horse battery ']);
      // One character of the hash, the salt and a parameter changed.
      const parts = h.split('$');
      const flip = (s: string) => (s[0] === 'A' ? 'B' : 'A') + s.slice(1);
      cases.push([[...parts.slice(0, 5), flip(parts[5])].join('$'), 'correct horse battery']);
      cases.push([[...parts.slice(0, 4), flip(parts[4]), parts[5]].join('$'), 'correct horse battery']);
      cases.push([h.replace(/t=(\d)/, (_, t) => `t=${Number(t) + 1}`), 'correct horse battery']);
    }
    const unicode = await argonHash('pässwörd ünïcödé ✓', current);
    cases.push([unicode, 'pässwörd ünïcödé ✓'], [unicode, 'passwörd ünïcödé ✓']);
    const outcomes: boolean[] = [];
    for (const [h, pw] of cases) {
      const expected = await argonVerify(h, pw).catch(() => false);
      expect((await verifyPassword(h, pw, current)).ok, `${h} / ${pw}`).toBe(expected);
      outcomes.push(expected);
    }
    expect(outcomes.filter(Boolean)).toHaveLength(4);
  });

  it('refuses hashes whose parameters would make each login attempt a denial of service', async () => {
    const salt = 'c29tZXNhbHRzb21lc2FsdA';
    const h = 'aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g';
    for (const params of ['m=99999999,t=2,p=1', 'm=19456,t=65,p=1', 'm=19456,t=2,p=64', 'm=4,t=2,p=1', 'm=19456,t=0,p=1']) {
      const stored = `$argon2id$v=19$${params}$${salt}$${h}`;
      expect(isSupportedHash(stored), params).toBe(false);
      expect(await verifyPassword(stored, 'whatever', current), params).toEqual({ ok: false, needsRehash: false });
    }
    expect(isSupportedHash(`$argon2id$v=19$m=65536,t=3,p=4$${salt}$${h}`)).toBe(true);
  });

  it('a hash made here verifies; weaker parameters ask for a rehash; bcrypt verifies and asks for one', async () => {
    const h = await hashPassword('correct horse battery', current);
    expect(await verifyPassword(h, 'correct horse battery', current)).toEqual({ ok: true, needsRehash: false });
    expect(await verifyPassword(h, 'wrong', current)).toEqual({ ok: false, needsRehash: false });
    expect(await verifyPassword(h, 'correct horse battery', { ...current, memoryCost: 4096 })).toEqual({ ok: true, needsRehash: true });
    const b = await bcrypt.hash('correct horse battery', 4);
    expect(await verifyPassword(b, 'correct horse battery', current)).toEqual({ ok: true, needsRehash: true });
    expect((await verifyPassword('$argon2i$v=19$m=1024,t=1,p=1$c29tZXNhbHQ$aGFzaGhhc2g', 'x', current)).ok).toBe(false);
  });
});
