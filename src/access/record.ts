import type { Clock } from '../clock.js';
import type { Queryable } from '../db/types.js';
import type { SecurityEvent } from '../events/types.js';
import type { Decision, ResourceRef, Subject } from './decide.js';

/** The audit and event ports access writes to (the real audit and events fit them). */
export interface AccessAuditPort {
  append(tx: Queryable, entry: {
    actor: { type: 'user' | 'api_key' | 'system' | 'bootstrap' | 'anonymous'; id?: string | null; ip?: string | null; user_agent?: string | null };
    action: string; target?: { type: string; id?: string | null } | null;
    outcome: 'success' | 'failure' | 'denied'; details?: Record<string, unknown>;
  }): Promise<unknown>;
}
export interface AccessEventsPort { emit(tx: Queryable, e: SecurityEvent): Promise<void> }

/** Where a request came from, for the audit entry and the event. */
export interface RequestContext { ip?: string; user_agent?: string; method?: string; path?: string }

export function actorOf(s: Subject, ctx: RequestContext = {}) {
  return { type: s.type, id: s.id, ip: ctx.ip ?? null, user_agent: ctx.user_agent ?? null };
}

/**
 * A denial as an audit entry and an `access.denied` security event, in one transaction.
 * Users' denials are OCSF 3003 Authorize Session, machines' (API keys) 6003 API Activity;
 * unmapped.permission is what the privilege-escalation rule reads.
 */
export async function recordDenial(
  tx: Queryable, ports: { audit: AccessAuditPort; events: AccessEventsPort; clock: Clock },
  subject: Subject, d: Decision, resource: ResourceRef | undefined, ctx: RequestContext = {},
): Promise<void> {
  const target = resource?.id ? { type: resource.type ?? 'resource', id: resource.id } : { type: 'permission', id: d.permission };
  const details = {
    permission: d.permission, decision: d.code, reason: d.reason, roles: [...d.roles],
    ...(resource?.domain ? { domain: resource.domain } : {}),
    ...(resource?.classification ? { classification: resource.classification } : {}),
    ...(ctx.method ? { method: ctx.method, path: ctx.path } : {}),
  };
  await ports.audit.append(tx, { actor: actorOf(subject, ctx), action: 'access.denied', target, outcome: 'denied', details });
  await ports.events.emit(tx, {
    type: 'access.denied',
    class_uid: subject.type === 'api_key' ? 6003 : 3003,
    activity_id: 99,
    severity_id: d.permission.startsWith('admin:') ? 3 : 2,
    time: ports.clock().toISOString(),
    status: 'failure',
    user: { uid: subject.id },
    ...(ctx.ip ? { src_endpoint: { ip: ctx.ip } } : {}),
    source: 'warden',
    message: d.reason,
    unmapped: { ...details, principal_type: subject.type, ...(resource?.id ? { resource_type: resource.type ?? 'resource', resource_id: resource.id } : {}) },
  });
}
