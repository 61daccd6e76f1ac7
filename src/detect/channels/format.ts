import type { Alert } from '../types.js';

/** One-line and multi-line renderings of an alert for human channels (no event payloads, only ids). */
export function alertSubject(a: Alert): string {
  const key = Object.entries(a.key).map(([k, v]) => `${k}=${v}`).join(' ');
  return `[Warden ${a.severity.toUpperCase()}] ${a.title}${key ? ` (${key})` : ''}`;
}

export function alertText(a: Alert): string {
  return [
    alertSubject(a),
    `rule: ${a.rule}`,
    `status: ${a.status}`,
    `events: ${a.count} between ${a.first_seen} and ${a.last_seen}`,
    `alert id: ${a.id}`,
  ].join('\n');
}

/** The JSON body generic webhooks receive. */
export function alertPayload(a: Alert, type = 'alert.opened'): Record<string, unknown> {
  return {
    type,
    timestamp: a.created_at ?? a.first_seen,
    data: {
      id: a.id, rule: a.rule, title: a.title, key: a.key, severity: a.severity, severity_id: a.severity_id,
      status: a.status, count: a.count, first_seen: a.first_seen, last_seen: a.last_seen, evidence: a.evidence.slice(0, 100),
    },
  };
}

/** POSTs with a timeout; throws with the status on a non-2xx answer. Returns a short description. */
export async function post(url: string, body: string, headers: Record<string, string>, timeoutMs = 10_000): Promise<string> {
  const res = await fetch(url, { method: 'POST', body, headers, signal: AbortSignal.timeout(timeoutMs), redirect: 'manual' });
  const text = (await res.text().catch(() => '')).slice(0, 200);
  if (res.status < 200 || res.status >= 300) throw new Error(`HTTP ${res.status}${text ? `: ${text}` : ''}`);
  return `HTTP ${res.status}`;
}
