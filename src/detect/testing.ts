import type { DetectEvent } from './types.js';

let seq = 0;

/** Builds one of Warden's own events (source `warden` unless given) for tests and benchmarks: `ev('auth.login.failure', 0, {user: 'alice', ip: '10.0.0.1'})`. */
export function ev(
  type: string,
  atSeconds: number,
  o: { user?: string; ip?: string; source?: string; status?: 'success' | 'failure' | 'unknown'; base?: string; id?: string; unmapped?: Record<string, unknown> } = {},
): DetectEvent {
  const base = Date.parse(o.base ?? '2026-03-01T12:00:00Z');
  return {
    id: o.id ?? String(++seq),
    type,
    class_uid: type.startsWith('auth.') ? 3002 : 6003,
    activity_id: 1,
    severity_id: 1,
    time: new Date(base + atSeconds * 1000).toISOString(),
    status: o.status ?? (type.endsWith('failure') ? 'failure' : type.endsWith('success') ? 'success' : 'unknown'),
    ...(o.user ? { user: { uid: o.user, name: o.user } } : {}),
    ...(o.ip ? { src_endpoint: { ip: o.ip } } : {}),
    source: o.source ?? 'warden',
    ...(o.unmapped ? { unmapped: o.unmapped } : {}),
  };
}
