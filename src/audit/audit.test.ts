import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { manualClock } from '../clock.js';
import type { Db } from '../db/types.js';
import { openTestDb } from '../../test/helpers/db.js';
import { testSigner } from '../../test/helpers/signer.js';
import { createAudit } from './index.js';

const actor = { type: 'user' as const, id: 'u1', ip: '10.0.0.1' };

describe('audit log', () => {
  let db: Db;
  const clock = manualClock('2026-03-01T10:00:00Z');
  beforeEach(async () => { db = await openTestDb(); });
  afterEach(async () => { await db.close(); });

  function make(every = 1000) {
    return createAudit({ db, signer: testSigner(), clock, config: { checkpointEvery: every, checkpointSeconds: 300, retentionDays: 400 } });
  }

  it('appends a gapless chain that verifies', async () => {
    const audit = make();
    await audit.record({ actor, action: 'user.login', outcome: 'success' });
    await audit.record([1, 2, 3].map((i) => ({ actor, action: 'doc.read', target: { type: 'document', id: `d${i}` }, outcome: 'success' as const })));
    const v = await audit.verify();
    expect(v).toMatchObject({ ok: true, entries: 4, head_seq: 4 });
    const page = await audit.query({}, undefined, 2);
    expect(page.entries.map((e) => e.seq)).toEqual([4, 3]);
    const next = await audit.query({}, page.next_cursor!, 10);
    expect(next.entries.map((e) => e.seq)).toEqual([2, 1]);
    expect(next.next_cursor).toBeNull();
  });

  it('redacts secrets from details before storing them', async () => {
    const audit = make();
    await audit.record({ actor, action: 'user.password_change', outcome: 'success',
      details: { password: 'hunter2hunter2', nested: { refresh_token: 'abc' }, note: 'Bearer eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJ1MSJ9.c2lnbmF0dXJlc2ln' } });
    const raw = await db.query<{ entry: string }>('SELECT entry FROM audit_entries');
    expect(raw.rows[0].entry).not.toMatch(/hunter2|abc|eyJ/);
    expect(raw.rows[0].entry).toContain('[REDACTED]');
  });

  it('rolls back with the caller transaction: no entry, no gap', async () => {
    const audit = make();
    await expect(db.tx(async (tx) => {
      await audit.append(tx, { actor, action: 'x', outcome: 'success' });
      throw new Error('business failure');
    })).rejects.toThrow('business failure');
    await audit.record({ actor, action: 'y', outcome: 'success' });
    const v = await audit.verify();
    expect(v).toMatchObject({ ok: true, entries: 1, head_seq: 1 });
  });

  it('signs checkpoints every N entries and verifies their signatures', async () => {
    const audit = make(5);
    for (let i = 0; i < 12; i++) await audit.record({ actor, action: `a${i}`, outcome: 'success' });
    const cps = await db.query<{ seq: number }>('SELECT seq FROM audit_checkpoints ORDER BY seq');
    expect(cps.rows.map((r) => r.seq)).toEqual([5, 10]);
    expect((await audit.verify()).ok).toBe(true);
    await db.query(`UPDATE audit_checkpoints SET signature = $1 WHERE seq = 5`, [Buffer.alloc(64).toString('base64url')]);
    expect(await audit.verify()).toMatchObject({ ok: false, reason: 'bad_checkpoint', broken_seq: 5 });
  });

  it('prunes only whole ranges before a checkpoint; what remains still verifies', async () => {
    const audit = make(4);
    for (let i = 0; i < 6; i++) await audit.record({ actor, action: `old${i}`, outcome: 'success' });
    clock.advance(401 * 86_400_000);
    for (let i = 0; i < 3; i++) await audit.record({ actor, action: `new${i}`, outcome: 'success' });
    const r = await audit.prune();
    expect(r).toEqual({ removed: 4, anchor_seq: 4 });
    const v = await audit.verify();
    expect(v).toMatchObject({ ok: true, head_seq: 10 });
    expect(v.entries).toBe(6);
  });
});
