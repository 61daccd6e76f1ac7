import type { Actor, AuditEntryInput } from '../audit/index.js';
import type { Clock } from '../clock.js';
import type { Db, Queryable } from '../db/types.js';
import type { SecurityEvent } from '../events/types.js';
import type { IdentityConfig } from './config.js';
import type { TokenSigner } from './jwt.js';
import type { VerifyResult } from './password-hash.js';
import type { RevocationCache } from './revocation.js';

/** What identity needs from the MFA capability (a small port; no MFA = never enrolled). */
export interface MfaPort {
  enrolled(userId: string): Promise<boolean>;
  /** Checks and consumes a TOTP code or a backup code; audits its own use. */
  verifyLogin(userId: string, input: { code?: string; backup_code?: string }, actor: Actor): Promise<{ ok: boolean; method: 'otp' | 'backup_code'; remaining?: number }>;
}

export const NO_MFA: MfaPort = {
  enrolled: async () => false,
  verifyLogin: async () => ({ ok: false, method: 'otp' }),
};

/** Argon2id with the configured parameters (hash-pool.ts bounds how many run at once). */
export interface Hashing {
  hash(password: string): Promise<string>;
  verify(stored: string, password: string): Promise<VerifyResult>;
  /** A hash of a random password: verifying against it costs what a real verification costs. */
  decoy(): Promise<string>;
}

/** Shared wiring of identity's parts (built once by createIdentity). */
export interface IdentityContext {
  db: Db;
  clock: Clock;
  config: IdentityConfig;
  audit: (tx: Queryable, entry: AuditEntryInput) => Promise<unknown>;
  emit: (tx: Queryable, e: SecurityEvent) => Promise<void>;
  tokens: TokenSigner;
  revocations: RevocationCache;
  /** Password hashing with the configured parameters, on identity's bounded hash pool. */
  hashing: Hashing;
  mfa: () => MfaPort;
}

/** Where a request came from, for sessions, audit entries and events. */
export interface RequestMeta { ip?: string | null; user_agent?: string | null }

export interface AuthRecord {
  action: string;
  outcome: 'success' | 'failure' | 'denied';
  /** Security-event type; none when the action is audit-only. */
  event?: string;
  severity?: 'info' | 'low' | 'medium' | 'high';
  activity?: number;
  actor?: Actor;
  user?: { id?: string | null; email?: string | null };
  meta?: RequestMeta;
  details?: Record<string, unknown>;
  message?: string;
}

const SEVERITY = { info: 1, low: 2, medium: 3, high: 4 } as const;

/** Writes one audit entry and (optionally) one OCSF Authentication event in the caller's transaction. */
export async function recordAuth(ctx: IdentityContext, tx: Queryable, r: AuthRecord): Promise<void> {
  const actor: Actor = r.actor ?? { type: r.user?.id ? 'user' : 'anonymous', id: r.user?.id ?? null, ip: r.meta?.ip ?? null, user_agent: r.meta?.user_agent ?? null };
  await ctx.audit(tx, {
    occurred_at: ctx.clock(), actor, action: r.action, outcome: r.outcome,
    target: r.user?.id ? { type: 'user', id: r.user.id } : null,
    details: r.details ?? {},
  });
  if (!r.event) return;
  await ctx.emit(tx, {
    type: r.event, class_uid: 3002, activity_id: r.activity ?? 1,
    severity_id: SEVERITY[r.severity ?? (r.outcome === 'success' ? 'info' : 'low')],
    time: ctx.clock().toISOString(), status: r.outcome === 'success' ? 'success' : 'failure',
    user: { ...(r.user?.id ? { uid: r.user.id } : {}), ...(r.user?.email ? { email: r.user.email } : {}) },
    ...(r.meta?.ip ? { src_endpoint: { ip: r.meta.ip } } : {}),
    source: 'warden', message: r.message ?? r.action,
    ...(r.details ? { unmapped: r.details } : {}),
  });
}
