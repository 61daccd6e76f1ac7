import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb } from '../../test/helpers/db.js';
import type { Db } from '../db/types.js';
import { identityFixture, SYSTEM } from './testing.js';

let db: Db;
beforeAll(async () => { db = await openTestDb(); });
afterAll(async () => { await db.close(); });

describe('a user change with the caller\'s own record (access\'s role assignment)', () => {
  it('runs the caller\'s work in the same transaction: it sees the change, and its failure undoes it', async () => {
    const f = identityFixture(db);
    const u = await f.identity.createUser({ email: 'roles-tx@example.com', password: 'correct horse battery' }, SYSTEM);
    let seen: unknown = null;
    let before: string[] | null = null;
    await f.identity.updateUser(u.id, { roles: ['support'] }, SYSTEM, {
      within: async (tx, was) => {
        before = was.roles;
        seen = (await tx.query<{ roles: string[] }>('SELECT roles FROM users WHERE id = $1', [u.id])).rows[0].roles;
      },
    });
    expect(before).toEqual([]);
    expect(seen).toEqual(['support']);
    expect((await f.identity.getUser(u.id))?.roles).toEqual(['support']);

    // The caller's record fails (say its audit append): the roles stay as they were.
    await expect(f.identity.updateUser(u.id, { roles: ['admin'] }, SYSTEM, {
      within: async () => { throw new Error('audit unavailable'); },
    })).rejects.toThrow('audit unavailable');
    expect((await f.identity.getUser(u.id))?.roles).toEqual(['support']);
  });
});
