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


/** Locks the chain head for this transaction: appends serialize here across processes. */
export async function lockHead(tx: Queryable): Promise<Head> {
  const r = await tx.query<Head>('SELECT seq, hash, anchor_seq, anchor_hash, last_checkpoint_seq, last_checkpoint_at FROM audit_head WHERE id = 1 FOR UPDATE');
  return r.rows[0];
}

export async function readHead(q: Queryable): Promise<Head> {
  const r = await q.query<Head>('SELECT seq, hash, anchor_seq, anchor_hash, last_checkpoint_seq, last_checkpoint_at FROM audit_head WHERE id = 1');
  return r.rows[0];
}

/**
 * Reserves n seqs at the head in one statement: the row lock it takes serializes appends
 * (across processes) until the transaction ends. Returns the head as it was.
 */
export async function reserve(tx: Queryable, n: number): Promise<{ seq: number; hash: string; last_checkpoint_seq: number }> {
  const r = await tx.query<{ seq: number; hash: string; last_checkpoint_seq: number }>(
    'UPDATE audit_head SET seq = seq + $1 WHERE id = 1 RETURNING seq - $1 AS seq, hash, last_checkpoint_seq', [n]);
  return r.rows[0];
}

/** Inserts the records and moves the head hash to the last one, in one statement. */
export async function insertRecords(tx: Queryable, recs: AuditRecord[], headHash: string): Promise<void> {
  const params: unknown[] = [headHash];
  const values: string[] = [];
  for (const r of recs) {
    const b = params.length;
    values.push(`($${b + 1}::bigint,$${b + 2},$${b + 3})`);
    params.push(r.seq, r.entry, r.hash);
  }
  await tx.query(`WITH ins AS (INSERT INTO audit_entries (seq, entry, hash) VALUES ${values.join(',')})
    UPDATE audit_head SET hash = $1 WHERE id = 1`, params);
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

/** Rows with seq > after, in order, at most limit. */
export async function readRange(q: Queryable, after: number, limit: number): Promise<AuditRecord[]> {
  const r = await q.query<AuditRecord>('SELECT seq, entry, hash FROM audit_entries WHERE seq > $1 ORDER BY seq LIMIT $2', [after, limit]);
  return r.rows;
}

export interface ChainScan { entries: number; last_seq: number | null; last_hash: string | null; first_bad_seq: number | null }

/**
 * Checks every link inside the database (the built-in SHA-256, in C): the seq each entry
 * claims and hash = SHA-256(entry ‖ previous row's hash). The range is split in parts scanned
 * at once on separate connections; each part also reads the row just before it, so no link
 * between parts goes unchecked. Returns the first seq where a check fails (the caller
 * classifies it), the row count and the last row.
 */
export async function scanChain(q: Queryable, anchorSeq: number, anchorHash: string, parts = 2): Promise<ChainScan> {
  const top = await q.query<{ seq: number; hash: string }>('SELECT seq, hash FROM audit_entries ORDER BY seq DESC LIMIT 1');
  const last = top.rows[0];
  if (!last || last.seq <= anchorSeq) return { entries: 0, last_seq: null, last_hash: null, first_bad_seq: null };
  const span = last.seq - anchorSeq;
  const n = Math.max(1, Math.min(parts, Math.ceil(span / 50_000)));
  const bounds = Array.from({ length: n + 1 }, (_, i) => anchorSeq + Math.round((span * i) / n));
  const results = await Promise.all(bounds.slice(0, -1).map((lo, i) => q.query<{ entries: number; first_bad: number | null }>(
    `WITH c AS (
       SELECT seq, hash, entry, lag(hash) OVER (ORDER BY seq) AS prev_hash
         FROM audit_entries WHERE seq >= $1 AND seq <= $2
     )
     SELECT count(*) FILTER (WHERE seq > $1)::bigint AS entries,
            min(seq) FILTER (WHERE seq > $1 AND (
              left(entry, length('{"seq":' || seq || ',')) <> '{"seq":' || seq || ','
              OR encode(pg_catalog.sha256(convert_to(entry || coalesce(prev_hash, $3), 'UTF8')), 'hex') <> hash)) AS first_bad
       FROM c`, [lo, bounds[i + 1], anchorHash])));
  const bad = results.map((r) => r.rows[0].first_bad).filter((x): x is number => x !== null);
  return {
    entries: results.reduce((a, r) => a + Number(r.rows[0].entries), 0),
    last_seq: last.seq,
    last_hash: last.hash,
    first_bad_seq: bad.length ? Math.min(...bad) : null,
  };
}

/** The last row before seq (the intact link a break is classified from). */
export async function rowBefore(q: Queryable, seq: number): Promise<{ seq: number; hash: string } | null> {
  const r = await q.query<{ seq: number; hash: string }>('SELECT seq, hash FROM audit_entries WHERE seq < $1 ORDER BY seq DESC LIMIT 1', [seq]);
  return r.rows[0] ?? null;
}

/** Stored hashes at the given seqs (checkpoint comparison). */
export async function hashesAt(q: Queryable, seqs: number[]): Promise<Map<number, string>> {
  if (seqs.length === 0) return new Map();
  const r = await q.query<{ seq: number; hash: string }>('SELECT seq, hash FROM audit_entries WHERE seq = ANY($1::bigint[])', [seqs]);
  return new Map(r.rows.map((x) => [x.seq, x.hash]));
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
  const r = await q.query<AuditRecord>(`SELECT seq, entry, hash FROM audit_entries ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY seq DESC LIMIT $${p.length}`, p);
  return r.rows;
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
