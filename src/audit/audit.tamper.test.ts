import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { manualClock } from '../clock.js';
import type { Db } from '../db/types.js';
import { openTestDb } from '../../test/helpers/db.js';
import { testSigner } from '../../test/helpers/signer.js';
import { canonicalEntry, chainHash } from './chain.js';
import { createAudit } from './index.js';

const actor = { type: 'user' as const, id: 'u1' };

describe.each([
  ['in the database (default)', false],
  ['walking every row in process', true],
])('audit chain under attack, verified %s: direct database tampering is detected at the right seq', (_name, exact) => {
  let db: Db;
  let audit: ReturnType<typeof createAudit>;
  const entryOf = async (seq: number) => (await db.query<{ entry: string; hash: string }>('SELECT entry, hash FROM audit_entries WHERE seq = $1', [seq])).rows[0];

  beforeEach(async () => {
    db = await openTestDb();
    audit = createAudit({ db, signer: testSigner(), clock: manualClock(), config: { checkpointEvery: 8, checkpointSeconds: 300, retentionDays: 400 } });
    for (let i = 1; i <= 10; i++) await audit.record({ actor, action: `act${i}`, target: { type: 'doc', id: `d${i}` }, outcome: 'success', details: { i } });
    expect((await audit.verify({ exact })).ok).toBe(true);
  });
  afterEach(async () => { await db.close(); });

  it('queryable columns cannot be edited apart from the hashed entry', async () => {
    await expect(db.query(`UPDATE audit_entries SET outcome = 'failure' WHERE seq = 4`)).rejects.toThrow();
  });

  it('an edited entry', async () => {
    const e = await entryOf(4);
    await db.query('UPDATE audit_entries SET entry = $1 WHERE seq = 4', [e.entry.replace('"success"', '"failure"')]);
    expect(await audit.verify({ exact })).toMatchObject({ ok: false, broken_seq: 4, reason: 'edited' });
    // the generated columns follow the edit, so queries see it too
    expect((await db.query<{ outcome: string }>('SELECT outcome FROM audit_entries WHERE seq = 4')).rows[0].outcome).toBe('failure');
  });

  it('edited details', async () => {
    const e = await entryOf(9);
    await db.query('UPDATE audit_entries SET entry = $1 WHERE seq = 9', [e.entry.replace('{"i":9}', '{"i":999}')]);
    expect(await audit.verify({ exact })).toMatchObject({ ok: false, broken_seq: 9, reason: 'edited' });
  });

  it('a deleted entry', async () => {
    await db.query('DELETE FROM audit_entries WHERE seq = 6');
    expect(await audit.verify({ exact })).toMatchObject({ ok: false, broken_seq: 6, reason: 'deleted' });
  });

  it('an inserted entry (later rows renumbered, forged hash computed by the attacker)', async () => {
    await db.query('UPDATE audit_entries SET seq = seq + 1000 WHERE seq >= 5');
    await db.query('UPDATE audit_entries SET seq = seq - 999 WHERE seq >= 1005');
    const prev = (await entryOf(4)).hash;
    const forged = canonicalEntry({ seq: 5, occurred_at: '2026-01-01T00:00:00.000Z', actor: { type: 'user', id: 'evil', ip: null, user_agent: null },
      action: 'grant.admin', target: null, outcome: 'success', details: {} });
    await db.query('INSERT INTO audit_entries (seq, entry, hash) VALUES ($1, $2, $3)', [5, forged, chainHash(forged, prev)]);
    expect(await audit.verify({ exact })).toMatchObject({ ok: false, broken_seq: 5, reason: 'inserted' });
  });

  it('an entry appended outside Warden', async () => {
    const last = await entryOf(10);
    const forged = canonicalEntry({ seq: 11, occurred_at: '2026-01-01T00:00:00.000Z', actor: { type: 'user', id: 'evil', ip: null, user_agent: null },
      action: 'cover.up', target: null, outcome: 'success', details: {} });
    await db.query('INSERT INTO audit_entries (seq, entry, hash) VALUES ($1, $2, $3)', [11, forged, chainHash(forged, last.hash)]);
    expect(await audit.verify({ exact })).toMatchObject({ ok: false, broken_seq: 11, reason: 'inserted' });
  });

  it('reordered entries', async () => {
    await db.query('UPDATE audit_entries SET seq = -1 WHERE seq = 3');
    await db.query('UPDATE audit_entries SET seq = 3 WHERE seq = 4');
    await db.query('UPDATE audit_entries SET seq = 4 WHERE seq = -1');
    expect(await audit.verify({ exact })).toMatchObject({ ok: false, broken_seq: 3, reason: 'reordered' });
  });

  it('a tail truncated after a checkpoint, even with the head row rewritten', async () => {
    await db.query('DELETE FROM audit_entries WHERE seq > 6');
    await db.query('UPDATE audit_head SET seq = 6, hash = $1', [(await entryOf(6)).hash]);
    expect(await audit.verify({ exact })).toMatchObject({ ok: false, broken_seq: 7, reason: 'truncated' });
  });

  it('a chain recomputed from an edit onward still fails at the signed checkpoint', async () => {
    const e = await entryOf(2);
    await db.query('UPDATE audit_entries SET entry = $1 WHERE seq = 2', [e.entry.replace('"act2"', '"nothing.to.see"')]);
    const rows = (await db.query<{ seq: number; entry: string }>('SELECT seq, entry FROM audit_entries ORDER BY seq')).rows;
    let prev = '0'.repeat(64);
    for (const r of rows) {
      prev = chainHash(r.entry, prev);
      await db.query('UPDATE audit_entries SET hash = $1 WHERE seq = $2', [prev, r.seq]);
    }
    await db.query('UPDATE audit_head SET hash = $1', [prev]);
    expect(await audit.verify({ exact })).toMatchObject({ ok: false, broken_seq: 8, reason: 'edited' });
  });
});
