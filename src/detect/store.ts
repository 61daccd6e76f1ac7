import type { Queryable } from '../db/types.js';
import { decodeChunk, encodeChunk, type StateRow } from './snapshot-codec.js';
import type { Alert, AlertChange, AlertStatus, Rule, SecurityEvent } from './types.js';
import { EVIDENCE_CAP } from './types.js';

/** SQL of the detect capability: engine meta and state, alerts, rules. (Channels and deliveries: store-notify.ts.) */

const json = <T>(v: T | string): T => (typeof v === 'string' ? JSON.parse(v) : v);

export interface Cursor { tx_id: string; id: number }
export interface Meta { version: number; owner: string | null; rules_version: number; snap: Cursor; watermarks: Record<string, number> }

/**
 * Locks detect_meta for this batch and claims it in the same statement: returns the meta as it was (to decide
 * whether this process must rebuild) and the version this batch gives it (owner set to `owner`). One round trip.
 */
export async function claimMeta(tx: Queryable, owner: string): Promise<Meta & { next: number }> {
  const r = await tx.query<{ version: string; owner: string | null; rules_version: string; snap_tx_id: string; snap_id: string; snap_watermarks: unknown; next: string }>(
    `WITH old AS (SELECT version, owner, rules_version, snap_tx_id, snap_id, snap_watermarks FROM detect_meta WHERE id = 1 FOR UPDATE)
     UPDATE detect_meta m SET version = old.version + 1, owner = $1 FROM old WHERE m.id = 1
     RETURNING old.version::text AS version, old.owner, old.rules_version::text AS rules_version, old.snap_tx_id::text AS snap_tx_id,
       old.snap_id::text AS snap_id, old.snap_watermarks, m.version::text AS next`, [owner]);
  const m = r.rows[0];
  return {
    version: Number(m.version), owner: m.owner, rules_version: Number(m.rules_version),
    snap: { tx_id: m.snap_tx_id, id: Number(m.snap_id) }, watermarks: json(m.snap_watermarks as Record<string, number>), next: Number(m.next),
  };
}

/** Marks the snapshot in detect_state as holding every event up to `at`. */
export async function setSnapshot(tx: Queryable, at: Cursor, watermarks: Record<string, number>): Promise<void> {
  await tx.query('UPDATE detect_meta SET snap_tx_id = $1::xid8, snap_id = $2, snap_watermarks = $3 WHERE id = 1', [at.tx_id, at.id, JSON.stringify(watermarks)]);
}

/** Where the detect consumer's cursor stands (the events handled so far). */
export async function consumerCursor(tx: Queryable, consumer: string): Promise<Cursor> {
  const r = await tx.query<{ tx_id: string; id: string }>('SELECT last_tx_id::text AS tx_id, last_id::text AS id FROM event_cursors WHERE consumer = $1', [consumer]);
  return r.rows[0] ? { tx_id: r.rows[0].tx_id, id: Number(r.rows[0].id) } : { tx_id: '0', id: 0 };
}

/** The stream position of one stored event. */
export async function eventCursor(tx: Queryable, id: string): Promise<Cursor | null> {
  const r = await tx.query<{ tx_id: string }>('SELECT tx_id::text AS tx_id FROM security_events WHERE id = $1', [id]);
  return r.rows[0] ? { tx_id: r.rows[0].tx_id, id: Number(id) } : null;
}

/**
 * Stored events after `from` up to `to` (inclusive), in stream order: what a snapshot does not yet hold.
 * ORDER BY names the table's columns: the bare names would mean the text output columns (see events/store.ts readAfter).
 */
export async function eventsBetween(tx: Queryable, from: Cursor, to: Cursor, limit: number): Promise<Array<SecurityEvent & { id: string; _tx: string }>> {
  const r = await tx.query<{ id: string; tx_id: string; event: SecurityEvent | string }>(
    `SELECT e.id::text AS id, e.tx_id::text AS tx_id, e.event FROM security_events e
      WHERE (e.tx_id, e.id) > ($1::xid8, $2::bigint) AND (e.tx_id, e.id) <= ($3::xid8, $4::bigint)
      ORDER BY e.tx_id, e.id LIMIT $5`, [from.tx_id, from.id, to.tx_id, to.id, limit]);
  return r.rows.map((x) => ({ ...json(x.event), id: x.id, _tx: x.tx_id }));
}

export async function rulesVersion(q: Queryable): Promise<number> {
  const r = await q.query<{ v: string }>('SELECT rules_version::text AS v FROM detect_meta WHERE id = 1');
  return Number(r.rows[0].v);
}

// ---- engine state snapshot (see 007_detect.sql) ----

/** A state row as the engine names it (`state: null` drops the key): snapshot-codec.ts. */
export type { StateRow };
type Chunk = { kind: 'full' | 'delta' | 'drop_rule'; data: string };

const CHUNK = 20_000;

/** Every state of the snapshot, in order (later rows win; null drops). */
export async function loadSnapshot(tx: Queryable): Promise<{ rows: StateRow[]; dropRules: Array<{ at: number; rule: string }> }> {
  const r = await tx.query<Chunk>('SELECT kind, data FROM detect_state ORDER BY seq');
  const rows: StateRow[] = [];
  const dropRules: Array<{ at: number; rule: string }> = [];
  for (const c of r.rows) {
    if (c.kind === 'drop_rule') { dropRules.push({ at: rows.length, rule: c.data }); continue; }
    decodeChunk(c.data, rows);
  }
  return { rows, dropRules };
}

export async function snapshotShape(tx: Queryable): Promise<{ deltas: number; deltaEntries: number; fullEntries: number }> {
  const r = await tx.query<{ deltas: string; delta_entries: string | null; full_entries: string | null }>(
    `SELECT count(*) FILTER (WHERE kind <> 'full')::text AS deltas, sum(entries) FILTER (WHERE kind = 'delta')::text AS delta_entries,
            sum(entries) FILTER (WHERE kind = 'full')::text AS full_entries FROM detect_state`);
  const x = r.rows[0];
  return { deltas: Number(x.deltas), deltaEntries: Number(x.delta_entries ?? 0), fullEntries: Number(x.full_entries ?? 0) };
}

/** Appends changed states (delta) or, with `full`, replaces the whole snapshot with these states. */
export async function writeSnapshot(tx: Queryable, rows: StateRow[], full: boolean): Promise<void> {
  if (full) await tx.query('DELETE FROM detect_state');
  if (rows.length === 0 && !full) return;
  const kinds: string[] = []; const counts: number[] = []; const data: string[] = [];
  for (let i = 0; i < rows.length || (full && i === 0); i += CHUNK) {
    const part = rows.slice(i, i + CHUNK);
    kinds.push(full ? 'full' : 'delta'); counts.push(part.length);
    data.push(encodeChunk(part));
  }
  // One plain parameter per chunk (a text[] parameter would be escaped character by character on the way out).
  const values = data.map((_, x) => `($${x * 3 + 1}, $${x * 3 + 2}::int, $${x * 3 + 3})`).join(', ');
  await tx.query(`INSERT INTO detect_state (kind, entries, data) VALUES ${values}`, data.flatMap((d, x) => [kinds[x], counts[x], d]));
}

/** A changed or deleted rule starts from empty windows. */
export async function deleteRuleState(tx: Queryable, ruleId: string): Promise<void> {
  await tx.query(`INSERT INTO detect_state (kind, entries, data) VALUES ('drop_rule', 0, $1)`, [ruleId]);
}

// ---- alerts ----

export async function applyAlertChanges(tx: Queryable, changes: AlertChange[], now: Date): Promise<void> {
  const opens = changes.filter((c) => c.op === 'open').map((c) => ({ ...c.alert, state_key: c.state_key }));
  const attaches = changes.filter((c) => c.op === 'attach');
  if (opens.length) {
    await tx.query(
      `INSERT INTO detect_alerts (id, rule_id, title, key, severity, severity_id, count, first_seen, last_seen, evidence, state_key, created_at, updated_at)
       SELECT id, rule_id, title, key, severity, severity_id, count, first_seen, last_seen, evidence, state_key, $12, $12
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::jsonb[], $5::text[], $6::int[], $7::int[], $8::timestamptz[], $9::timestamptz[], $10::jsonb[], $11::text[])
         AS a(id, rule_id, title, key, severity, severity_id, count, first_seen, last_seen, evidence, state_key)
       ON CONFLICT (id) DO NOTHING`,
      [opens.map((a) => a.id), opens.map((a) => a.rule), opens.map((a) => a.title), opens.map((a) => JSON.stringify(a.key)),
        opens.map((a) => a.severity), opens.map((a) => a.severity_id), opens.map((a) => a.count), opens.map((a) => a.first_seen),
        opens.map((a) => a.last_seen), opens.map((a) => JSON.stringify(a.evidence)), opens.map((a) => a.state_key), now.toISOString()]);
  }
  if (attaches.length) {
    await tx.query(
      `UPDATE detect_alerts a SET count = u.count, first_seen = LEAST(a.first_seen, u.first_seen), last_seen = GREATEST(a.last_seen, u.last_seen),
         evidence = CASE WHEN jsonb_array_length(a.evidence) >= ${EVIDENCE_CAP} THEN a.evidence
           ELSE (SELECT jsonb_agg(x ORDER BY n) FROM jsonb_array_elements(a.evidence || u.added) WITH ORDINALITY AS e(x, n) WHERE n <= ${EVIDENCE_CAP}) END,
         updated_at = $6
       FROM unnest($1::uuid[], $2::int[], $3::timestamptz[], $4::timestamptz[], $5::jsonb[]) AS u(id, count, first_seen, last_seen, added)
       WHERE a.id = u.id`,
      [attaches.map((c) => c.alert.id), attaches.map((c) => c.alert.count), attaches.map((c) => c.alert.first_seen),
        attaches.map((c) => c.alert.last_seen), attaches.map((c) => JSON.stringify(c.added_evidence)), now.toISOString()]);
  }
}

type AlertRow = {
  id: string; rule_id: string; title: string; key: Record<string, string> | string; severity: Alert['severity']; severity_id: number;
  status: AlertStatus; count: number; first_seen: Date | string; last_seen: Date | string; evidence: string[] | string; created_at: Date | string;
  acked_by: string | null; acked_at: Date | string | null; ack_note: string | null;
  resolved_by: string | null; resolved_at: Date | string | null; resolve_note: string | null;
};
const iso = (d: Date | string) => new Date(d).toISOString();

function toAlert(r: AlertRow): Alert {
  return {
    id: r.id, rule: r.rule_id, title: r.title, key: json(r.key), severity: r.severity, severity_id: r.severity_id, status: r.status,
    count: r.count, first_seen: iso(r.first_seen), last_seen: iso(r.last_seen), evidence: json(r.evidence), created_at: iso(r.created_at),
    acknowledged: r.acked_at ? { by: r.acked_by ?? '', at: iso(r.acked_at), note: r.ack_note } : null,
    resolved: r.resolved_at ? { by: r.resolved_by ?? '', at: iso(r.resolved_at), note: r.resolve_note } : null,
  };
}

export interface AlertFilter {
  status?: AlertStatus; rule?: string; severity?: string; since?: string; until?: string;
  user?: string; src_ip?: string; limit?: number; before?: string;
}

export async function listAlerts(q: Queryable, f: AlertFilter): Promise<Alert[]> {
  const where: string[] = [];
  const p: unknown[] = [];
  const add = (sql: string, v: unknown) => { p.push(v); where.push(sql.replace('?', `$${p.length}`)); };
  if (f.status) add('status = ?', f.status);
  if (f.rule) add('rule_id = ?', f.rule);
  if (f.severity) add('severity = ?', f.severity);
  if (f.since) add('last_seen >= ?', f.since);
  if (f.until) add('first_seen <= ?', f.until);
  if (f.before) add('last_seen < ?', f.before);
  if (f.user) add(`key->>'user' = ?`, f.user);
  if (f.src_ip) add(`key->>'src_ip' = ?`, f.src_ip);
  p.push(Math.min(f.limit ?? 100, 1000));
  const r = await q.query<AlertRow>(
    `SELECT * FROM detect_alerts ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY last_seen DESC, id LIMIT $${p.length}`, p);
  return r.rows.map(toAlert);
}

export async function getAlert(q: Queryable, id: string, forUpdate = false): Promise<Alert | null> {
  const r = await q.query<AlertRow>(`SELECT * FROM detect_alerts WHERE id = $1${forUpdate ? ' FOR UPDATE' : ''}`, [id]);
  return r.rows[0] ? toAlert(r.rows[0]) : null;
}

export async function alertStateKey(q: Queryable, id: string): Promise<string | null> {
  const r = await q.query<{ state_key: string }>('SELECT state_key FROM detect_alerts WHERE id = $1', [id]);
  return r.rows[0]?.state_key ?? null;
}

export async function setAlertStatus(tx: Queryable, id: string, status: 'acknowledged' | 'resolved', by: string, note: string | null, now: Date) {
  const cols = status === 'acknowledged' ? 'acked_by = $3, acked_at = $4, ack_note = $5' : 'resolved_by = $3, resolved_at = $4, resolve_note = $5';
  await tx.query(`UPDATE detect_alerts SET status = $2, ${cols}, updated_at = $4 WHERE id = $1`, [id, status, by, now.toISOString(), note]);
}

export async function eventsByIds(q: Queryable, ids: string[]) {
  if (ids.length === 0) return [];
  const r = await q.query<{ id: string; event: unknown }>(
    'SELECT e.id::text AS id, e.event FROM security_events e WHERE e.id = ANY($1::bigint[]) ORDER BY e.time, e.id', [ids.filter((x) => /^\d+$/.test(x))]);
  return r.rows.map((x) => ({ ...json(x.event as object), id: x.id }));
}

// ---- rules ----

export async function listRuleRows(q: Queryable): Promise<Rule[]> {
  const r = await q.query<{ definition: Rule | string }>('SELECT definition FROM detect_rules ORDER BY id');
  return r.rows.map((x) => json(x.definition));
}

export async function upsertRule(tx: Queryable, rule: Rule, builtin: boolean, by: string, now: Date): Promise<void> {
  await tx.query(
    `INSERT INTO detect_rules (id, definition, builtin, updated_at, updated_by) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (id) DO UPDATE SET definition = excluded.definition, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
    [rule.id, JSON.stringify(rule), builtin, now.toISOString(), by]);
  await tx.query('UPDATE detect_meta SET rules_version = rules_version + 1 WHERE id = 1');
}

export async function deleteRule(tx: Queryable, id: string): Promise<boolean> {
  const r = await tx.query('DELETE FROM detect_rules WHERE id = $1', [id]);
  await tx.query('UPDATE detect_meta SET rules_version = rules_version + 1 WHERE id = 1');
  return r.rowCount > 0;
}
