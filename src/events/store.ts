import type { Queryable } from '../db/types.js';
import type { SecurityEvent } from './types.js';

export type StoredEvent = SecurityEvent & { id: string };

export async function insertEvents(tx: Queryable, events: SecurityEvent[]): Promise<void> {
  for (let i = 0; i < events.length; i += 1000) {
    const chunk = events.slice(i, i + 1000);
    const params: unknown[] = [];
    const values = chunk.map((e) => {
      const b = params.length;
      params.push(e.time, e.type, e.class_uid, e.severity_id, e.status, e.user?.uid ?? e.user?.name ?? null,
        e.src_endpoint?.ip ?? null, e.source, JSON.stringify({ ...e, id: undefined }));
      return `($${b + 1},$${b + 2},$${b + 3},$${b + 4},$${b + 5},$${b + 6},$${b + 7},$${b + 8},$${b + 9})`;
    });
    await tx.query(`INSERT INTO security_events (time, type, class_uid, severity_id, status, user_uid, src_ip, source, event) VALUES ${values.join(',')}`, params);
  }
}

export async function ensureCursor(q: Queryable, consumer: string): Promise<void> {
  await q.query('INSERT INTO event_cursors (consumer) VALUES ($1) ON CONFLICT (consumer) DO NOTHING', [consumer]);
}

/** Locks the consumer's cursor, or returns null when another process holds it. */
export async function claimCursor(tx: Queryable, consumer: string): Promise<{ tx_id: string; id: number } | null> {
  const r = await tx.query<{ tx_id: string; id: number }>(
    'SELECT last_tx_id::text AS tx_id, last_id AS id FROM event_cursors WHERE consumer = $1 FOR UPDATE SKIP LOCKED', [consumer]);
  return r.rows[0] ?? null;
}

/**
 * Committed events after the cursor, in commit-safe order: (tx_id, id) as numbers, the order the cursor compares in.
 * ORDER BY names the table's columns (e.tx_id): a bare `tx_id` would mean the text output column of the same name,
 * and as text '100000' sorts before '99999' — a batch spanning such a boundary of the server's transaction ids was
 * handed over out of order and the cursor set to a position before events already handled (they came again).
 */
export async function readAfter(tx: Queryable, cur: { tx_id: string; id: number }, limit: number): Promise<Array<StoredEvent & { _tx: string }>> {
  const r = await tx.query<{ id: number; tx_id: string; event: SecurityEvent }>(
    `SELECT e.id, e.tx_id::text AS tx_id, e.event FROM security_events e
      WHERE (e.tx_id, e.id) > ($1::xid8, $2::bigint) AND e.tx_id < pg_snapshot_xmin(pg_current_snapshot())
      ORDER BY e.tx_id, e.id LIMIT $3`, [cur.tx_id, cur.id, limit]);
  return r.rows.map((row) => ({ ...row.event, id: String(row.id), _tx: row.tx_id }));
}

export async function advanceCursor(tx: Queryable, consumer: string, txId: string, id: number): Promise<void> {
  await tx.query('UPDATE event_cursors SET last_tx_id = $2::xid8, last_id = $3, updated_at = now() WHERE consumer = $1', [consumer, txId, id]);
}

export async function maxId(q: Queryable): Promise<number> {
  const r = await q.query<{ m: number | null }>('SELECT max(id) AS m FROM security_events');
  return r.rows[0].m ?? 0;
}

/** Whether the consumer still has events with id <= upTo to handle (retrying consumers count). */
export async function pendingUpTo(q: Queryable, consumer: string, upTo: number): Promise<boolean> {
  const r = await q.query<{ p: boolean }>(
    `SELECT EXISTS (
       SELECT 1 FROM security_events e
        WHERE e.id <= $2 AND (e.tx_id, e.id) > (SELECT c.last_tx_id, c.last_id FROM event_cursors c WHERE c.consumer = $1)
     ) AS p`, [consumer, upTo]);
  return r.rows[0].p === true;
}
