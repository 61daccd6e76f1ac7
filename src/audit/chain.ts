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

/** The content of an entry, as hashed. */
export interface AuditBody {
  seq: number;
  occurred_at: string;
  actor: { type: string; id: string | null; ip: string | null; user_agent: string | null };
  action: string;
  target: { type: string; id: string | null } | null;
  outcome: 'success' | 'failure' | 'denied';
  details: Record<string, unknown>;
}

/** A stored entry: its canonical text and its chain hash. */
export interface AuditRecord { seq: number; entry: string; hash: string }

/** JSON with object keys sorted at every level: one byte string per value. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const o = value as Record<string, unknown>;
  const keys = Object.keys(o).filter((k) => o[k] !== undefined).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`).join(',')}}`;
}

/** The canonical text of an entry: `{"seq":N,` first (checked cheaply), then the other keys sorted. */
export function canonicalEntry(body: AuditBody): string {
  const { seq, ...rest } = body;
  return `{"seq":${seq},${canonicalJson(rest).slice(1)}`;
}

/** The seq an entry's text claims, or null when the text is not an entry. */
export function entrySeq(entry: string): number | null {
  const m = /^\{"seq":(\d{1,15}),/.exec(entry);
  return m ? Number(m[1]) : null;
}

/** The same entry text, renumbered (used to tell moved entries from edited ones). */
export function withSeq(entry: string, seq: number): string {
  return entry.replace(/^\{"seq":\d{1,15},/, `{"seq":${seq},`);
}

/** hash = SHA-256(canonical(entry) ‖ prev_hash), hex. */
export function chainHash(entry: string, prevHash: string): string {
  return createHash('sha256').update(entry).update(prevHash).digest('hex');
}

/** Bytes a checkpoint signature covers. */
export function checkpointMessage(cp: { seq: number; hash: string; time: string }): string {
  return `warden-audit-checkpoint:v1:${cp.seq}:${cp.hash}:${cp.time}`;
}
