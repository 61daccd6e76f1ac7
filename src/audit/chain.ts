import { createHash } from 'node:crypto';

/** The genesis "previous hash" of an empty chain. */
export const GENESIS_HASH = '0'.repeat(64);

export interface Actor {
  type: 'user' | 'api_key' | 'system' | 'bootstrap' | 'anonymous';
  id?: string | null;
  ip?: string | null;
  user_agent?: string | null;
}

export interface AuditEntryInput {
  occurred_at?: Date;
  actor: Actor;
  action: string;
  target?: { type: string; id?: string | null } | null;
  outcome: 'success' | 'failure' | 'denied';
  details?: Record<string, unknown>;
}

/** An entry as stored: what the hash covers plus the hash itself. */
export interface AuditRecord {
  seq: number;
  occurred_at: string;
  actor_type: string;
  actor_id: string | null;
  actor_ip: string | null;
  actor_ua: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  outcome: string;
  details: string;
  hash: string;
}

/** JSON with object keys sorted at every level: one byte string per value. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const keys = Object.keys(value as object).filter((k) => (value as Record<string, unknown>)[k] !== undefined).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
}

/** The exact bytes hashed for one entry (without its own hash). */
export function canonicalEntry(r: Omit<AuditRecord, 'hash'>): string {
  return JSON.stringify([r.seq, r.occurred_at, r.actor_type, r.actor_id, r.actor_ip, r.actor_ua,
    r.action, r.target_type, r.target_id, r.outcome]) + '\n' + r.details;
}

/** hash = SHA-256(canonical(entry) ‖ prev_hash), hex. */
export function chainHash(r: Omit<AuditRecord, 'hash'>, prevHash: string): string {
  return createHash('sha256').update(canonicalEntry(r)).update(prevHash).digest('hex');
}

/** Bytes a checkpoint signature covers. */
export function checkpointMessage(cp: { seq: number; hash: string; time: string }): string {
  return `warden-audit-checkpoint:v1:${cp.seq}:${cp.hash}:${cp.time}`;
}
