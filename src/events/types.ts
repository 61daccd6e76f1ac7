/**
 * SecurityEvent: Warden's one event shape, aligned with OCSF 1.x.
 * class_uid: 3002 Authentication, 3003 Authorize Session, 3001 Account Change,
 * 6003 API Activity, 6005 Datastore Activity (exports), 2004 Detection Finding,
 * 1001 File System Activity, 5001 Device/Key operations (Warden uses 6003 for key ops).
 */
export const OCSF_CLASS = {
  ACCOUNT_CHANGE: 3001,
  AUTHENTICATION: 3002,
  AUTHORIZE_SESSION: 3003,
  API_ACTIVITY: 6003,
  DATASTORE_ACTIVITY: 6005,
  DETECTION_FINDING: 2004,
} as const;

/** OCSF severity_id: 0 unknown, 1 informational, 2 low, 3 medium, 4 high, 5 critical, 6 fatal. */
export const SEVERITY_ID = { unknown: 0, info: 1, low: 2, medium: 3, high: 4, critical: 5, fatal: 6 } as const;
export type SeverityName = Exclude<keyof typeof SEVERITY_ID, 'unknown' | 'fatal'>;

export type EventStatus = 'success' | 'failure' | 'unknown';

export interface SecurityEvent {
  /** Stable id (the outbox id once stored; a UUID for external events before storage). */
  id?: string;
  /** Warden's own short type, e.g. `auth.login.failure`, `access.denied`, `data.export`, `token.refresh_reuse`. */
  type: string;
  class_uid: number;
  activity_id: number;
  severity_id: number;
  /** Event time (when it happened), ISO 8601. */
  time: string;
  status: EventStatus;
  user?: { uid?: string; name?: string; email?: string };
  src_endpoint?: { ip?: string; port?: number };
  /** Where it came from: `warden` for Warden's own, or e.g. `sshd`, `api`. */
  source: string;
  message?: string;
  /** Extra, already redacted fields (never passwords, tokens, secrets or PII values). */
  unmapped?: Record<string, unknown>;
}
