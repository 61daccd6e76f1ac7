import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb } from '../../test/helpers/db.js';
import type { Db } from '../db/types.js';
import { keysFixture } from './fixture.js';
import type { Keys } from './index.js';

let db: Db;
let f: ReturnType<typeof keysFixture>;
let keys: Keys;
const dpo = { type: 'user' as const, id: 'u-dpo' };

beforeAll(async () => { db = await openTestDb(); f = keysFixture(db); keys = await f.start(); });
afterAll(async () => { await db.close(); });

describe('crypto-shredding', () => {
  it('gives each subject its own key; the subject id is not in the ciphertext', async () => {
    const a = await keys.subjectEncrypt('alice-42', 'notes.body.1', 'alice note');
    const b = await keys.subjectEncrypt('bob-7', 'notes.body.1', 'bob note');
    expect(a).toMatch(/^wdn:v1:@s[0-9a-f]{32}:1:/);
    expect(a.split(':')[2]).not.toBe(b.split(':')[2]);
    expect(a).not.toContain('alice');
    expect(await keys.subjectDecrypt('alice-42', 'notes.body.1', a)).toBe('alice note');
    await expect(keys.subjectDecrypt('bob-7', 'notes.body.1', a)).rejects.toMatchObject({ code: 'CIPHERTEXT_KEY_MISMATCH' });
    await expect(keys.subjectDecrypt('alice-42', 'notes.body.2', a)).rejects.toMatchObject({ code: 'DECRYPTION_FAILED' });
  });

  it('shredding makes every value under the key unreadable, also from a restarted process', async () => {
    const a = await keys.subjectEncrypt('alice-42', 'notes.body.2', 'second note');
    const r = await keys.shredSubject('alice-42', dpo);
    expect(r).toMatchObject({ subject_id: 'alice-42', already: false });
    await expect(keys.subjectDecrypt('alice-42', 'notes.body.2', a)).rejects.toMatchObject({ code: 'SUBJECT_KEY_SHREDDED', status: 410 });
    await expect(keys.subjectEncrypt('alice-42', 'notes.body.3', 'new')).rejects.toMatchObject({ code: 'SUBJECT_KEY_SHREDDED' });
    const fresh = await f.start();
    await expect(fresh.subjectDecrypt('alice-42', 'notes.body.2', a)).rejects.toMatchObject({ code: 'SUBJECT_KEY_SHREDDED' });
    const row = (await db.query<{ wrapped: string | null }>('SELECT wrapped FROM subject_keys WHERE subject_id = $1', ['alice-42'])).rows[0];
    expect(row.wrapped).toBeNull();
    // Other subjects are untouched.
    const b = await keys.subjectEncrypt('bob-7', 'x', 'still here');
    expect(await fresh.subjectDecrypt('bob-7', 'x', b)).toBe('still here');
  });

  it('is audited and cannot be undone; shredding again is a no-op that is still recorded', async () => {
    const entries = f.audits.filter((e) => e.action === 'keys.subject.shred');
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ actor: dpo, outcome: 'success' });
    expect(JSON.stringify(entries)).not.toContain('note');
    const again = await keys.shredSubject('alice-42', dpo);
    expect(again.already).toBe(true);
    expect(f.events.some((e) => e.type === 'key.subject_shredded')).toBe(true);
  });

  it('shredding a subject that never had a key leaves a tombstone', async () => {
    await keys.shredSubject('carol-1', dpo);
    await expect(keys.subjectEncrypt('carol-1', 'x', 'y')).rejects.toMatchObject({ code: 'SUBJECT_KEY_SHREDDED' });
  });
});
