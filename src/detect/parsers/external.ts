import type { SecurityEvent } from '../types.js';

/**
 * External events → SecurityEvent. Two accepted forms:
 * - OCSF: `{class_uid, activity_id?, time (epoch ms or ISO), status|status_id, user, src_endpoint, type?, …}`;
 *   without a Warden `type`, Authentication (3002) logons become `auth.login.success|failure`.
 * - simple: `{type, time?, user?, src_ip?, port?, outcome?, message?, …rest}`; the rest goes to `unmapped`.
 * External events never claim Warden as their source, and never carry Warden's own event types: a type in a
 * reserved namespace (`auth.`, `token.`, `access.`, `audit.`, `key.`, `data.`, `detect.` …) is re-typed into
 * `ext.` (`audit.chain_broken` → `ext.audit.chain_broken`), so rules written for Warden's signals never see it.
 */
export type Normalized = { ok: true; event: SecurityEvent } | { ok: false; error: string };

const TYPE = /^[A-Za-z0-9_.:-]{1,100}$/;
const MAX_TEXT = 256;
const MAX_UNMAPPED = 4096;
/** Namespaces of Warden's own events. */
export const RESERVED_PREFIXES = [
  'auth.', 'token.', 'access.', 'account.', 'audit.', 'key.', 'keys.', 'data.', 'session.', 'user.', 'mfa.', 'detect.',
  'identity.', 'pii.', 'privacy.', 'incident.', 'compliance.', 'document.', 'documents.', 'metrics.', 'warden.',
];
/** The namespace external events are moved into. */
export const EXTERNAL_PREFIX = 'ext.';

/** `audit.chain_broken` → `ext.audit.chain_broken`; other types unchanged. */
export function externalType(type: string): string {
  const low = type.toLowerCase();
  for (const p of RESERVED_PREFIXES) if (low.startsWith(p)) return EXTERNAL_PREFIX + type;
  return type;
}

const CLASS_BY_PREFIX: Array<[string, number]> = [['auth.', 3002], ['token.', 3003], ['access.', 3003], ['data.', 6005]];
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/g;

/** Identifiers (user, address, source) lose control characters: engine keys are joined with them. */
function text(v: unknown): string | undefined {
  if (typeof v === 'number') return String(v);
  if (typeof v !== 'string') return undefined;
  const t = v.replace(CONTROL, '').slice(0, MAX_TEXT);
  return t.length > 0 ? t : undefined;
}

function toTime(v: unknown, now: Date): string | null {
  if (v === undefined || v === null) return now.toISOString();
  const t = typeof v === 'number' ? v : typeof v === 'string' ? Date.parse(v) : NaN;
  return Number.isFinite(t) && t > 0 ? new Date(t).toISOString() : null;
}

function toStatus(v: unknown, statusId?: unknown): SecurityEvent['status'] {
  const s = typeof v === 'string' ? v.toLowerCase() : '';
  if (s === 'success' || s === 'succeeded' || statusId === 1) return 'success';
  if (s === 'failure' || s === 'failed' || s === 'fail' || statusId === 2) return 'failure';
  return 'unknown';
}

function toUser(v: unknown): SecurityEvent['user'] | undefined {
  if (typeof v === 'string' || typeof v === 'number') { const t = text(v); return t === undefined ? undefined : { uid: t, name: t }; }
  if (v && typeof v === 'object') {
    const u = v as Record<string, unknown>;
    const out = { uid: text(u.uid) ?? text(u.name), name: text(u.name), email: text(u.email_addr) ?? text(u.email) };
    const clean = Object.fromEntries(Object.entries(out).filter(([, x]) => x !== undefined));
    return Object.keys(clean).length ? clean : undefined;
  }
  return undefined;
}

function toEndpoint(ip: unknown, port: unknown): SecurityEvent['src_endpoint'] | undefined {
  const i = text(ip);
  if (!i) return undefined;
  const p = typeof port === 'number' && Number.isInteger(port) && port >= 0 && port <= 65535 ? port : undefined;
  return p === undefined ? { ip: i } : { ip: i, port: p };
}

function unmapped(rest: Record<string, unknown>): Record<string, unknown> | undefined | null {
  const keys = Object.keys(rest);
  if (keys.length === 0) return undefined;
  return JSON.stringify(rest).length > MAX_UNMAPPED ? null : rest;
}

export interface NormalizeOptions {
  /** Move reserved types into `ext.` (default true; false only for the rule sandbox, which stores nothing). */
  reserve?: boolean;
}

export function normalizeExternal(input: unknown, source: string, now: Date, opts: NormalizeOptions = {}): Normalized {
  if (!input || typeof input !== 'object' || Array.isArray(input)) return { ok: false, error: 'event must be an object' };
  const o = input as Record<string, unknown>;
  const claimed = text(o.source)?.slice(0, 64);
  const src = claimed && claimed.toLowerCase() !== 'warden' ? claimed : source;
  const isOcsf = typeof o.class_uid === 'number';
  const status = toStatus(isOcsf ? o.status : o.outcome ?? o.status, o.status_id);
  let type = text(o.type);
  if (!type && isOcsf && o.class_uid === 3002) type = status === 'success' ? 'auth.login.success' : status === 'failure' ? 'auth.login.failure' : 'auth.login';
  if (!type && isOcsf && typeof o.type_uid === 'number') type = `ocsf.${o.type_uid}`;
  if (!type || !TYPE.test(type)) return { ok: false, error: 'type is required (letters, digits, _ . : -; up to 100)' };
  if (opts.reserve !== false) type = externalType(type);
  const time = toTime(o.time, now);
  if (!time) return { ok: false, error: 'time must be ISO 8601 or epoch milliseconds' };
  const {
    type: _t, time: _ti, class_uid, activity_id, severity_id, status: _s, status_id: _si, outcome: _o, source: _so,
    user, src_endpoint, src_ip, port, message, unmapped: um, ...rest
  } = o;
  const ep = src_endpoint && typeof src_endpoint === 'object'
    ? toEndpoint((src_endpoint as Record<string, unknown>).ip, (src_endpoint as Record<string, unknown>).port)
    : toEndpoint(src_ip, port);
  const extra = unmapped({ ...(um && typeof um === 'object' && !Array.isArray(um) ? (um as Record<string, unknown>) : {}), ...(isOcsf ? {} : rest) });
  if (extra === null) return { ok: false, error: `unmapped fields exceed ${MAX_UNMAPPED} bytes` };
  const cls = typeof class_uid === 'number' ? class_uid : CLASS_BY_PREFIX.find(([p]) => type!.replace(/^ext\./, '').startsWith(p))?.[1] ?? 6003;
  const event: SecurityEvent = {
    type,
    class_uid: cls,
    activity_id: typeof activity_id === 'number' ? activity_id : 0,
    severity_id: typeof severity_id === 'number' && severity_id >= 0 && severity_id <= 6 ? severity_id : 1,
    time,
    status,
    source: src,
  };
  const u = toUser(user);
  if (u) event.user = u;
  if (ep) event.src_endpoint = ep;
  const msg = text(message);
  if (msg) event.message = typeof message === 'string' ? message.slice(0, 1024) : msg;
  if (extra) event.unmapped = extra;
  return { ok: true, event };
}
