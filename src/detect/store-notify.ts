import { randomUUID } from 'node:crypto';
import type { Queryable } from '../db/types.js';
import { SEVERITY_ID } from '../events/types.js';
import type { Alert, SeverityName } from './types.js';

/** SQL of notification channels and the delivery outbox. */

export type ChannelKind = 'email' | 'slack' | 'sms' | 'webhook';

export interface ChannelRow {
  id: string; name: string; kind: ChannelKind; min_severity: SeverityName; enabled: boolean;
  config: Record<string, unknown>; secret: string | null; created_at: string; updated_at: string;
}

type RawChannel = Omit<ChannelRow, 'config' | 'created_at' | 'updated_at'> & { config: unknown; created_at: Date | string; updated_at: Date | string };
const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());
const json = <T>(v: unknown): T => (typeof v === 'string' ? JSON.parse(v) : v) as T;
const toChannel = (r: RawChannel): ChannelRow => ({ ...r, config: json(r.config), created_at: iso(r.created_at)!, updated_at: iso(r.updated_at)! });

export async function insertChannel(tx: Queryable, c: Omit<ChannelRow, 'created_at' | 'updated_at'>, now: Date): Promise<void> {
  await tx.query(
    `INSERT INTO detect_channels (id, name, kind, min_severity, enabled, config, secret, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)`,
    [c.id, c.name, c.kind, c.min_severity, c.enabled, JSON.stringify(c.config), c.secret, now.toISOString()]);
}

export async function updateChannel(tx: Queryable, c: Omit<ChannelRow, 'created_at' | 'updated_at' | 'kind'>, now: Date): Promise<void> {
  await tx.query(
    `UPDATE detect_channels SET name = $2, min_severity = $3, enabled = $4, config = $5, secret = $6, updated_at = $7 WHERE id = $1`,
    [c.id, c.name, c.min_severity, c.enabled, JSON.stringify(c.config), c.secret, now.toISOString()]);
}

export async function listChannels(q: Queryable): Promise<ChannelRow[]> {
  return (await q.query<RawChannel>('SELECT * FROM detect_channels ORDER BY created_at, id')).rows.map(toChannel);
}

export async function getChannel(q: Queryable, id: string, forUpdate = false): Promise<ChannelRow | null> {
  const r = await q.query<RawChannel>(`SELECT * FROM detect_channels WHERE id = $1${forUpdate ? ' FOR UPDATE' : ''}`, [id]);
  return r.rows[0] ? toChannel(r.rows[0]) : null;
}

export async function deleteChannel(tx: Queryable, id: string): Promise<boolean> {
  return (await tx.query('DELETE FROM detect_channels WHERE id = $1', [id])).rowCount > 0;
}

/** The severities a channel carries: its minimum and above; SMS never below high. */
export function severitiesFor(kind: ChannelKind, min: SeverityName): SeverityName[] {
  const floor = Math.max(SEVERITY_ID[min], kind === 'sms' ? SEVERITY_ID.high : 0);
  return (Object.keys(SEVERITY_ID) as Array<keyof typeof SEVERITY_ID>)
    .filter((s): s is SeverityName => s !== 'unknown' && s !== 'fatal' && SEVERITY_ID[s] >= floor);
}

/** One pending delivery per (opened alert, enabled channel whose routing takes its severity). */
export async function enqueueDeliveries(tx: Queryable, alerts: Alert[], now: Date): Promise<number> {
  const channels = (await listChannels(tx)).filter((c) => c.enabled);
  const ids: string[] = []; const alertIds: string[] = []; const channelIds: string[] = [];
  for (const a of alerts) {
    for (const c of channels) {
      if (!severitiesFor(c.kind, c.min_severity).includes(a.severity)) continue;
      ids.push(randomUUID()); alertIds.push(a.id); channelIds.push(c.id);
    }
  }
  if (ids.length === 0) return 0;
  await tx.query(
    `INSERT INTO detect_deliveries (id, alert_id, channel_id, next_attempt_at, created_at)
     SELECT id, alert_id, channel_id, $4, $4 FROM unnest($1::uuid[], $2::uuid[], $3::uuid[]) AS d(id, alert_id, channel_id)
     ON CONFLICT (alert_id, channel_id) DO NOTHING`, [ids, alertIds, channelIds, now.toISOString()]);
  return ids.length;
}

export interface DeliveryRow {
  id: string; alert_id: string; channel_id: string; status: 'pending' | 'delivered' | 'failed'; attempts: number;
  next_attempt_at: string; last_error: string | null; delivered_at: string | null; created_at: string;
  log: Array<{ at: string; attempt: number; ok: boolean; detail: string }>;
}
type RawDelivery = Omit<DeliveryRow, 'log' | 'next_attempt_at' | 'delivered_at' | 'created_at'> & {
  log: unknown; next_attempt_at: Date | string; delivered_at: Date | string | null; created_at: Date | string;
};
const toDelivery = (r: RawDelivery): DeliveryRow => ({
  id: r.id, alert_id: r.alert_id, channel_id: r.channel_id, status: r.status, attempts: r.attempts, last_error: r.last_error,
  next_attempt_at: iso(r.next_attempt_at)!, delivered_at: iso(r.delivered_at), created_at: iso(r.created_at)!, log: json(r.log),
});

/** Leases due deliveries (SKIP LOCKED): another process skips them until the lease ends. */
export async function claimDue(q: Queryable, now: Date, leaseMs: number, limit: number): Promise<DeliveryRow[]> {
  const r = await q.query<RawDelivery>(
    `UPDATE detect_deliveries SET lease_until = $2, attempts = attempts + 1
     WHERE id IN (SELECT id FROM detect_deliveries
                  WHERE status = 'pending' AND next_attempt_at <= $1 AND (lease_until IS NULL OR lease_until <= $1)
                  ORDER BY next_attempt_at LIMIT $3 FOR UPDATE SKIP LOCKED)
     RETURNING *`, [now.toISOString(), new Date(now.getTime() + leaseMs).toISOString(), limit]);
  return r.rows.map(toDelivery);
}

export async function recordAttempt(
  q: Queryable, id: string, attempt: number,
  outcome: { ok: true; detail: string } | { ok: false; detail: string; next: Date | null }, now: Date,
): Promise<void> {
  const entry = JSON.stringify([{ at: now.toISOString(), attempt, ok: outcome.ok, detail: outcome.detail.slice(0, 500) }]);
  if (outcome.ok) {
    await q.query(`UPDATE detect_deliveries SET status = 'delivered', delivered_at = $2, lease_until = NULL, last_error = NULL, log = log || $3::jsonb WHERE id = $1`,
      [id, now.toISOString(), entry]);
  } else {
    await q.query(`UPDATE detect_deliveries SET status = $2, next_attempt_at = COALESCE($3, next_attempt_at), lease_until = NULL,
                   last_error = $4, log = log || $5::jsonb WHERE id = $1`,
      [id, outcome.next ? 'pending' : 'failed', outcome.next?.toISOString() ?? null, outcome.detail.slice(0, 500), entry]);
  }
}

export async function listDeliveries(q: Queryable, f: { alert_id?: string; status?: string; limit?: number }): Promise<DeliveryRow[]> {
  const where: string[] = []; const p: unknown[] = [];
  if (f.alert_id) { p.push(f.alert_id); where.push(`alert_id = $${p.length}`); }
  if (f.status) { p.push(f.status); where.push(`status = $${p.length}`); }
  p.push(Math.min(f.limit ?? 100, 1000));
  const r = await q.query<RawDelivery>(
    `SELECT * FROM detect_deliveries ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY created_at DESC, id LIMIT $${p.length}`, p);
  return r.rows.map(toDelivery);
}

export async function retryDelivery(q: Queryable, id: string, now: Date): Promise<boolean> {
  return (await q.query(`UPDATE detect_deliveries SET status = 'pending', next_attempt_at = $2, lease_until = NULL WHERE id = $1 AND status = 'failed'`,
    [id, now.toISOString()])).rowCount > 0;
}
