import type { Actor, AuditEntryInput } from '../audit/index.js';
import type { Clock } from '../clock.js';
import type { Db, Queryable } from '../db/types.js';
import type { SecurityEvent } from '../events/types.js';
import type { Keyring } from './keyring.js';

/** What the parts of the keys capability share (built once by createKeys). */
export interface KeysContext {
  db: Db;
  clock: Clock;
  ring: Keyring;
  rotationDays: number;
  audit: (tx: Queryable, entry: AuditEntryInput) => Promise<unknown>;
  emit?: (tx: Queryable, e: SecurityEvent) => Promise<void>;
}

export const SYSTEM: Actor = { type: 'system' };

/** One audit entry for a key operation (never plaintext, never material). */
export function auditKey(ctx: KeysContext, tx: Queryable, by: Actor | undefined, action: string, target: string,
  outcome: AuditEntryInput['outcome'], details: Record<string, unknown> = {}): Promise<unknown> {
  return ctx.audit(tx, { actor: by ?? SYSTEM, action, target: { type: 'key', id: target }, outcome, details });
}

/** A security event for a key operation (OCSF API Activity), when an emitter is wired. */
export async function emitKey(ctx: KeysContext, tx: Queryable, by: Actor | undefined, type: string,
  e: { activity_id: number; severity_id: number; status: 'success' | 'failure'; message: string; unmapped?: Record<string, unknown> }): Promise<void> {
  if (!ctx.emit) return;
  const actor = by ?? SYSTEM;
  await ctx.emit(tx, {
    type, class_uid: 6003, activity_id: e.activity_id, severity_id: e.severity_id, status: e.status,
    time: ctx.clock().toISOString(), source: 'warden', message: e.message,
    user: actor.id ? { uid: actor.id } : undefined,
    src_endpoint: actor.ip ? { ip: actor.ip } : undefined,
    unmapped: { actor_type: actor.type, ...e.unmapped },
  });
}
