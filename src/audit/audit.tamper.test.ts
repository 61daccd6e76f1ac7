import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { manualClock } from '../clock.js';
import type { Db } from '../db/types.js';
import { openTestDb } from '../../test/helpers/db.js';
import { testSigner } from '../../test/helpers/signer.js';
import { chainHash } from './chain.js';
import { createAudit } from './index.js';

const actor = { type: 'user' as const, id: 'u1' };
const COLS = 'seq, occurred_at, actor_type, actor_id, actor_ip, actor_ua, action, target_type, target_id, outcome, details, hash';

describe('audit chain under attack: direct database tampering is detected at the right seq', () => {
  let db: Db;
  let audit: ReturnType<typeof createAudit>;
  beforeEach(async () => {
    db = await openTestDb();
    audit = createAudit({ db, signer: testSigner(), clock: manualClock(), config: { checkpointEvery: 8, checkpointSeconds: 300, retentionDays: 400 } });
    for (let i = 1; i <= 10; i++) await audit.record({ actor, action: `act${i}`, target: { type: 'doc', id: `d${i}` }, outcome: 'success', details: { i } });
    expect((await audit.verify()).ok).toBe(true);
  });
  afterEach(async () => { await db.close(); });

  it('an edited entry', async () => {
    await db.query(`UPDATE audit_entries SET outcome = 'failure' WHERE seq = 4`);
    expect(await audit.verify()).toMatchObject({ ok: false, broken_seq: 4, reason: 'edited' });
  });

  it('edited details', async () => {
    await db.query(`UPDATE audit_entries SET details = '{"i":999}' WHERE seq = 9`);
    expect(await audit.verify()).toMatchObject({ ok: false, broken_seq: 9, reason: 'edited' });
  });

  it('a deleted entry', async () => {
    await db.query('DELETE FROM audit_entries WHERE seq = 6');
    expect(await audit.verify()).toMatchObject({ ok: false, broken_seq: 6, reason: 'deleted' });
  });

  it('an inserted entry (later rows renumbered, forged hash computed by the attacker)', async () => {
    await db.query('UPDATE audit_entries SET seq = seq + 1000 WHERE seq >= 5');
    await db.query('UPDATE audit_entries SET seq = seq - 999 WHERE seq >= 1005');
    const prev = (await db.query<{ hash: string }>('SELECT hash FROM audit_entries WHERE seq = 4')).rows[0].hash;
    const forged = { seq: 5, occurred_at: '2026-01-01T00:00:00.000Z', actor_type: 'user', actor_id: 'evil', actor_ip: null, actor_ua: null,
      action: 'grant.admin', target_type: null, target_id: null, outcome: 'success', details: '{}' };
    await db.query(`INSERT INTO audit_entries (${COLS}) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12)`,
      [...Object.values(forged), chainHash(forged, prev)]);
    expect(await audit.verify()).toMatchObject({ ok: false, broken_seq: 5, reason: 'inserted' });
  });

  it('reordered entries', async () => {
    await db.query('UPDATE audit_entries SET seq = -1 WHERE seq = 3');
    await db.query('UPDATE audit_entries SET seq = 3 WHERE seq = 4');
    await db.query('UPDATE audit_entries SET seq = 4 WHERE seq = -1');
    expect(await audit.verify()).toMatchObject({ ok: false, broken_seq: 3, reason: 'reordered' });
  });

  it('a tail truncated after a checkpoint, even with the head row rewritten', async () => {
    await db.query('DELETE FROM audit_entries WHERE seq > 6');
    const h = (await db.query<{ hash: string }>('SELECT hash FROM audit_entries WHERE seq = 6')).rows[0].hash;
    await db.query('UPDATE audit_head SET seq = 6, hash = $1', [h]);
    expect(await audit.verify()).toMatchObject({ ok: false, broken_seq: 7, reason: 'truncated' });
  });

  it('a chain recomputed from an edit onward still fails at the signed checkpoint', async () => {
    await db.query(`UPDATE audit_entries SET action = 'nothing.to.see' WHERE seq = 2`);
    const rows = (await db.query<Record<string, unknown>>(`SELECT ${COLS} FROM audit_entries ORDER BY seq`)).rows;
    let prev = '0'.repeat(64);
    for (const r of rows) {
      const rec = { ...r, occurred_at: (r.occurred_at as Date).toISOString() } as never;
      prev = chainHash(rec, prev);
      await db.query('UPDATE audit_entries SET hash = $1 WHERE seq = $2', [prev, r.seq]);
    }
    await db.query('UPDATE audit_head SET hash = $1', [prev]);
    expect(await audit.verify()).toMatchObject({ ok: false, broken_seq: 8, reason: 'edited' });
  });
});
