import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb } from '../../test/helpers/db.js';
import type { Db } from '../db/types.js';
import { createPii } from './index.js';
import { createEphemeralPiiCrypto } from './ephemeral-crypto.js';

let db: Db;
beforeAll(async () => {
  db = await openTestDb();
});
afterAll(async () => {
  await db?.close();
});

describe('restore mappings in the database', () => {
  it('round-trips through the pii_restore_mappings table, encrypted, and purges expired rows', async () => {
    let now = new Date('2030-01-01T00:00:00Z');
    const pii = createPii({ crypto: createEphemeralPiiCrypto(), store: db, clock: () => now, config: { restoreTtlMs: 1000 } });
    const r = await pii.anonymize('Customer Joe Bloggs, joe@example.com', { operators: { DEFAULT: 'pseudonymize' } });
    const { rows } = await db.query<{ ciphertext: string }>('SELECT ciphertext FROM pii_restore_mappings');
    expect(rows).toHaveLength(1);
    expect(rows[0].ciphertext).not.toMatch(/Bloggs|joe@/);
    expect((await pii.restore('Hello <PERSON_1> at <EMAIL_ADDRESS_1>', r.restoreToken)).text).toBe('Hello Joe Bloggs at joe@example.com');
    now = new Date(now.getTime() + 5000);
    expect(await pii.purgeExpired()).toBe(1);
    await expect(pii.restore('<PERSON_1>', r.restoreToken)).rejects.toMatchObject({ code: 'PII_TOKEN_NOT_FOUND' });
  });
  it('each continuation extends a session, but never past its longest lifetime from the first save', async () => {
    const t0 = new Date('2031-01-01T00:00:00Z').getTime();
    let now = t0;
    const pii = createPii({ crypto: createEphemeralPiiCrypto(), store: db, clock: () => new Date(now), config: { restoreTtlMs: 1000, restoreMaxLifetimeMs: 2500 } });
    const ops = { operators: { DEFAULT: 'pseudonymize' as const } };
    const first = await pii.anonymize('Customer Joe Bloggs', ops);
    const expiries: number[] = [];
    for (const at of [900, 1800, 2400]) {
      now = t0 + at;
      const r = await pii.anonymize('and Maria Garcia', { ...ops, restoreToken: first.restoreToken });
      expiries.push(r.expiresAt!.getTime() - t0);
    }
    expect(expiries).toEqual([1900, 2500, 2500]);
    now = t0 + 2499;
    expect((await pii.restore('<PERSON_1>, <PERSON_2>', first.restoreToken)).text).toBe('Joe Bloggs, Maria Garcia');
    now = t0 + 2500;
    await expect(pii.restore('<PERSON_1>', first.restoreToken)).rejects.toMatchObject({ code: 'PII_TOKEN_EXPIRED' });
  });
  it('replaces a mapping only from the version it was read', async () => {
    const pii = createPii({ crypto: createEphemeralPiiCrypto(), store: db });
    const ops = { operators: { DEFAULT: 'pseudonymize' as const } };
    const { restoreToken } = await pii.anonymize('Customer Joe Bloggs', ops);
    const [a, b] = await Promise.allSettled([
      pii.anonymize('Customer Anna Schmidt', { ...ops, restoreToken }),
      pii.anonymize('Customer Joe Bloggs again', { ...ops, restoreToken }),
    ]);
    expect([a.status, b.status]).toEqual(['fulfilled', 'fulfilled']);
    expect((await pii.restore('<PERSON_1>, <PERSON_2>', restoreToken)).text).toBe('Joe Bloggs, Anna Schmidt');
  });
});
