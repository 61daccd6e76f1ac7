import type { Queryable } from '../db/types.js';
import type { AuditRecord } from './chain.js';

export interface Head {
  seq: number;
  hash: string;
  anchor_seq: number;
  anchor_hash: string;
  last_checkpoint_seq: number;
  last_checkpoint_at: Date | null;
}

export interface Checkpoint { seq: number; hash: string; created_at: Date; key_id: string; signature: string }

const COLS = 'seq, occurred_at, actor_type, actor_id, actor_ip, actor_ua, action, target_type, target_id, outcome, details, hash';

/** Locks the chain head for this transaction: appends serialize here across processes. */
export async function lockHead(tx: Queryable): Promise<Head> {
  const r = await tx.query<Head>('SELECT seq, hash, anchor_seq, anchor_hash, last_checkpoint_seq, last_checkpoint_at FROM audit_head WHERE id = 1 FOR UPDATE');
  return r.rows[0];
}

export async function readHead(q: Queryable): Promise<Head> {
  const r = await q.query<Head>('SELECT seq, hash, anchor_seq, anchor_hash, last_checkpoint_seq, last_checkpoint_at FROM audit_head WHERE id = 1');
  return r.rows[0];
}

export async function insertRecords(tx: Queryable, recs: AuditRecord[]): Promise<void> {
  const params: unknown[] = [];
  const values: string[] = [];
  for (const r of recs) {
    const b = params.length;
    values.push(`(${Array.from({ length: 12 }, (_, i) => `$${b + i + 1}`).join(',')})`);
    params.push(r.seq, r.occurred_at, r.actor_type, r.actor_id, r.actor_ip, r.actor_ua, r.action, r.target_type, r.target_id, r.outcome, r.details, r.hash);
  }
  await tx.query(`INSERT INTO audit_entries (${COLS}) VALUES ${values.join(',')}`, params);
}

export async function setHead(tx: Queryable, seq: number, hash: string): Promise<void> {
  await tx.query('UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1', [seq, hash]);
}

export async function insertCheckpoint(tx: Queryable, cp: Checkpoint): Promise<void> {
  await tx.query('INSERT INTO audit_checkpoints (seq, hash, created_at, key_id, signature) VALUES ($1,$2,$3,$4,$5) ON CONFLICT (seq) DO NOTHING',
    [cp.seq, cp.hash, cp.created_at, cp.key_id, cp.signature]);
  await tx.query('UPDATE audit_head SET last_checkpoint_seq = $1, last_checkpoint_at = $2 WHERE id = 1', [cp.seq, cp.created_at]);
}

export async function listCheckpoints(q: Queryable, fromSeq = 0): Promise<Checkpoint[]> {
  const r = await q.query<Checkpoint>('SELECT seq, hash, created_at, key_id, signature FROM audit_checkpoints WHERE seq >= $1 ORDER BY seq', [fromSeq]);
  return r.rows;
}

function toRecord(row: Record<string, unknown>): AuditRecord {
  return { ...(row as unknown as AuditRecord), occurred_at: (row.occurred_at as Date).toISOString() };
}

/** Rows with seq > after, in order, at most limit. */
export async function readRange(q: Queryable, after: number, limit: number): Promise<AuditRecord[]> {
  const r = await q.query(`SELECT ${COLS} FROM audit_entries WHERE seq > $1 ORDER BY seq LIMIT $2`, [after, limit]);
  return r.rows.map(toRecord);
}

export interface AuditFilter {
  from?: Date; to?: Date; actor?: string; action?: string; target?: string; outcome?: string;
}

/** Filtered query, newest first, keyset-paginated by seq. */
export async function queryEntries(q: Queryable, f: AuditFilter, before: number | null, limit: number): Promise<AuditRecord[]> {
  const where: string[] = [];
  const p: unknown[] = [];
  const add = (sql: string, v: unknown) => { p.push(v); where.push(sql.replace('?', `$${p.length}`)); };
  if (before !== null) add('seq < ?', before);
  if (f.from) add('occurred_at >= ?', f.from);
  if (f.to) add('occurred_at < ?', f.to);
  if (f.actor) add('actor_id = ?', f.actor);
  if (f.action) {
    if (f.action.endsWith('*')) add('action LIKE ?', f.action.slice(0, -1).replace(/[%_\\]/g, '\\$&') + '%');
    else add('action = ?', f.action);
  }
  if (f.target) add('target_id = ?', f.target);
  if (f.outcome) add('outcome = ?', f.outcome);
  p.push(limit);
  const r = await q.query(`SELECT ${COLS} FROM audit_entries ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY seq DESC LIMIT $${p.length}`, p);
  return r.rows.map(toRecord);
}

export async function findSeqByHash(q: Queryable, hash: string): Promise<number | null> {
  const r = await q.query<{ seq: number }>('SELECT seq FROM audit_entries WHERE hash = $1 LIMIT 1', [hash]);
  return r.rows[0]?.seq ?? null;
}

export async function maxSeq(q: Queryable): Promise<number> {
  const r = await q.query<{ m: number | null }>('SELECT max(seq) AS m FROM audit_entries');
  return r.rows[0].m ?? 0;
}

/** Deletes entries up to and including anchor.seq and makes that checkpoint the new anchor. */
export async function pruneTo(tx: Queryable, anchor: Checkpoint): Promise<number> {
  const r = await tx.query('DELETE FROM audit_entries WHERE seq <= $1', [anchor.seq]);
  await tx.query('UPDATE audit_head SET anchor_seq = $1, anchor_hash = $2 WHERE id = 1', [anchor.seq, anchor.hash]);
  return r.rowCount;
}
