import type { Queryable } from '../db/types.js';
import type { KeyState } from './rules/buffer.js';
import type { Alert, AlertChange, AlertStatus, Rule } from './types.js';
import { EVIDENCE_CAP } from './types.js';

/** SQL of the detect capability: engine meta and state, alerts, rules. (Channels and deliveries: store-notify.ts.) */

export interface Meta { version: number; owner: string | null; rules_version: number }

export async function lockMeta(tx: Queryable): Promise<Meta> {
  const r = await tx.query<{ version: string; owner: string | null; rules_version: string }>(
    'SELECT version::text, owner, rules_version::text FROM detect_meta WHERE id = 1 FOR UPDATE');
  const m = r.rows[0];
  return { version: Number(m.version), owner: m.owner, rules_version: Number(m.rules_version) };
}

export async function advanceMeta(tx: Queryable, owner: string): Promise<number> {
  const r = await tx.query<{ version: string }>('UPDATE detect_meta SET version = version + 1, owner = $1 WHERE id = 1 RETURNING version::text', [owner]);
  return Number(r.rows[0].version);
}

export async function rulesVersion(q: Queryable): Promise<number> {
  const r = await q.query<{ v: string }>('SELECT rules_version::text AS v FROM detect_meta WHERE id = 1');
  return Number(r.rows[0].v);
}

// ---- engine state ----

type StateRow = { rule_id: string; key: string; state: KeyState | string };
const parseState = (s: KeyState | string): KeyState => (typeof s === 'string' ? JSON.parse(s) : s);

export async function countState(tx: Queryable): Promise<number> {
  const r = await tx.query<{ n: string }>('SELECT count(*)::text AS n FROM detect_state');
  return Number(r.rows[0].n);
}

export async function loadAllState(tx: Queryable) {
  const r = await tx.query<StateRow>('SELECT rule_id, key, state FROM detect_state');
  return r.rows.map((x) => ({ rule: x.rule_id, key: x.key, state: parseState(x.state) }));
}

export async function loadState(tx: Queryable, keys: Array<{ rule: string; key: string }>) {
  if (keys.length === 0) return [];
  const r = await tx.query<StateRow>(
    `SELECT s.rule_id, s.key, s.state FROM detect_state s
       JOIN unnest($1::text[], $2::text[]) AS k(rule_id, key) ON s.rule_id = k.rule_id AND s.key = k.key`,
    [keys.map((k) => k.rule), keys.map((k) => k.key)]);
  return r.rows.map((x) => ({ rule: x.rule_id, key: x.key, state: parseState(x.state) }));
}

export async function saveState(
  tx: Queryable,
  dirty: { upserts: Array<{ rule: string; key: string; state: KeyState; expires: number }>; deletes: Array<{ rule: string; key: string }> },
): Promise<void> {
  if (dirty.deletes.length) {
    await tx.query(`DELETE FROM detect_state s USING unnest($1::text[], $2::text[]) AS k(rule_id, key)
                    WHERE s.rule_id = k.rule_id AND s.key = k.key`, [dirty.deletes.map((d) => d.rule), dirty.deletes.map((d) => d.key)]);
  }
  if (dirty.upserts.length) {
    const u = dirty.upserts;
    await tx.query(
      `INSERT INTO detect_state (rule_id, key, state, expires_at)
       SELECT * FROM unnest($1::text[], $2::text[], $3::jsonb[], $4::timestamptz[])
       ON CONFLICT (rule_id, key) DO UPDATE SET state = excluded.state, expires_at = excluded.expires_at`,
      [u.map((x) => x.rule), u.map((x) => x.key), u.map((x) => JSON.stringify(x.state)), u.map((x) => new Date(x.expires).toISOString())]);
  }
}

export async function deleteExpiredState(tx: Queryable, before: Date): Promise<number> {
  return (await tx.query('DELETE FROM detect_state WHERE expires_at < $1', [before.toISOString()])).rowCount;
}

export async function deleteRuleState(tx: Queryable, ruleId: string): Promise<void> {
  await tx.query('DELETE FROM detect_state WHERE rule_id = $1', [ruleId]);
}

// ---- alerts ----

export async function applyAlertChanges(tx: Queryable, changes: AlertChange[], now: Date): Promise<void> {
  const opens = changes.filter((c) => c.op === 'open').map((c) => c.alert);
  const attaches = changes.filter((c) => c.op === 'attach');
  if (opens.length) {
    await tx.query(
      `INSERT INTO detect_alerts (id, rule_id, title, key, severity, severity_id, count, first_seen, last_seen, evidence, created_at, updated_at)
       SELECT id, rule_id, title, key, severity, severity_id, count, first_seen, last_seen, evidence, $11, $11
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::jsonb[], $5::text[], $6::int[], $7::int[], $8::timestamptz[], $9::timestamptz[], $10::jsonb[])
         AS a(id, rule_id, title, key, severity, severity_id, count, first_seen, last_seen, evidence)`,
      [opens.map((a) => a.id), opens.map((a) => a.rule), opens.map((a) => a.title), opens.map((a) => JSON.stringify(a.key)),
        opens.map((a) => a.severity), opens.map((a) => a.severity_id), opens.map((a) => a.count), opens.map((a) => a.first_seen),
        opens.map((a) => a.last_seen), opens.map((a) => JSON.stringify(a.evidence)), now.toISOString()]);
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
const json = <T>(v: T | string): T => (typeof v === 'string' ? JSON.parse(v) : v);

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

export async function setAlertStatus(tx: Queryable, id: string, status: 'acknowledged' | 'resolved', by: string, note: string | null, now: Date) {
  const cols = status === 'acknowledged' ? 'acked_by = $3, acked_at = $4, ack_note = $5' : 'resolved_by = $3, resolved_at = $4, resolve_note = $5';
  await tx.query(`UPDATE detect_alerts SET status = $2, ${cols}, updated_at = $4 WHERE id = $1`, [id, status, by, now.toISOString(), note]);
}

export async function eventsByIds(q: Queryable, ids: string[]) {
  if (ids.length === 0) return [];
  const r = await q.query<{ id: string; event: unknown }>(
    'SELECT id::text AS id, event FROM security_events WHERE id = ANY($1::bigint[]) ORDER BY time, id', [ids.filter((x) => /^\d+$/.test(x))]);
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
