import { createHash } from 'node:crypto';
import type { EventId } from './buffer.js';

/**
 * How a key state is named outside the engine (persisted rows, alert rows, resolve events):
 * `source U+001D part U+001E key`. Sources never hold control characters (ingest strips them),
 * so the first U+001D and the U+001E after it split it unambiguously whatever the key holds.
 */
export function stateKey(source: string, part: number, key: string): string {
  return source + '\u001d' + part + '\u001e' + key;
}

export function parseStateKey(s: string): { source: string; part: number; key: string } | null {
  const a = s.indexOf('\u001d');
  const b = s.indexOf('\u001e', a + 1);
  if (a < 0 || b < 0) return null;
  const part = Number(s.slice(a + 1, b));
  return Number.isInteger(part) && part >= 0 ? { source: s.slice(0, a), part, key: s.slice(b + 1) } : null;
}

/**
 * Alert ids are derived from the rule, the key and the event that opened the episode, so replaying the
 * same events after a restart rebuilds episodes that point at the alerts already stored.
 */
export function episodeId(rule: string, key: string, trigger: EventId): string {
  const h = createHash('sha256').update(rule).update('\u0000').update(key).update('\u0000').update(String(trigger)).digest('hex');
  // RFC 9562 layout, version 8 (custom), variant 10.
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${((parseInt(h[16], 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const NUMERIC = /^[1-9]\d{0,14}$/;

/** Outbox ids are kept as numbers (no string per buffered entry); anything else stays a string. */
export function toEventId(id: string): EventId {
  return NUMERIC.test(id) ? Number(id) : id;
}
