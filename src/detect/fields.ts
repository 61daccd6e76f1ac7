import type { DetectEvent, FieldCondition, Match, SecurityEvent, Threshold } from './types.js';

/** Reads one field of an event as a string (or undefined). Compiled once per rule for speed. */
export type FieldGetter = (ev: SecurityEvent) => string | undefined;

const str = (v: unknown): string | undefined =>
  v === undefined || v === null || v === '' ? undefined : typeof v === 'string' ? v : String(v);

/** Friendly aliases: `user` is the user's uid, else name, else email; `src_ip` the source endpoint's ip. */
const ALIASES: Record<string, FieldGetter> = {
  user: (e) => str(e.user?.uid) ?? str(e.user?.name) ?? str(e.user?.email),
  src_ip: (e) => str(e.src_endpoint?.ip),
  type: (e) => e.type,
  status: (e) => e.status,
  source: (e) => e.source,
  class_uid: (e) => str(e.class_uid),
  severity_id: (e) => str(e.severity_id),
};

export const KNOWN_ALIASES = Object.keys(ALIASES);

export function fieldGetter(path: string): FieldGetter {
  const alias = ALIASES[path];
  if (alias) return alias;
  const parts = path.split('.');
  return (e) => {
    let cur: unknown = e;
    for (const p of parts) {
      if (cur === null || typeof cur !== 'object') return undefined;
      cur = (cur as Record<string, unknown>)[p];
    }
    return str(cur);
  };
}

function conditionTest(cond: FieldCondition): (v: string | undefined) => boolean {
  if (Array.isArray(cond)) {
    const set = new Set(cond.map(String));
    return (v) => v !== undefined && set.has(v);
  }
  if (cond !== null && typeof cond === 'object') {
    const tests: Array<(v: string | undefined) => boolean> = [];
    if (cond.exists !== undefined) tests.push((v) => (v !== undefined) === cond.exists);
    if (cond.startsWith !== undefined) { const p = cond.startsWith; tests.push((v) => v !== undefined && v.startsWith(p)); }
    if (cond.not !== undefined) {
      const set = new Set(Array.isArray(cond.not) ? cond.not : [cond.not]);
      tests.push((v) => v === undefined || !set.has(v));
    }
    return (v) => tests.every((t) => t(v));
  }
  const want = String(cond);
  return (v) => v === want;
}

/** Compiles a match (AND of field conditions) into a predicate. An empty match matches everything. */
export function compileMatch(match: Match): (ev: SecurityEvent) => boolean {
  const checks = Object.entries(match).map(([path, cond]) => {
    const get = fieldGetter(path);
    const test = conditionTest(cond);
    return (ev: SecurityEvent) => test(get(ev));
  });
  if (checks.length === 1) return checks[0];
  return (ev) => {
    for (const c of checks) if (!c(ev)) return false;
    return true;
  };
}

/** The smallest count that satisfies a threshold: `gte: 5` → 5, `gt: 3` → 4. */
export function minCount(th: Threshold): number {
  if (th.gte !== undefined) return Math.max(1, Math.ceil(th.gte));
  if (th.gt !== undefined) return Math.max(1, Math.floor(th.gt) + 1);
  return 1;
}

/** Event time in ms, or NaN when unparseable. */
export function eventTime(ev: DetectEvent | SecurityEvent): number {
  return Date.parse(ev.time);
}

const DIGIT = (c: number) => c >= 48 && c <= 57;
function digits(s: string, from: number, to: number): number {
  let v = 0;
  for (let x = from; x < to; x++) v = v * 10 + s.charCodeAt(x) - 48;
  return v;
}
const CUM_DAYS = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334];

/**
 * Date.parse, with a fast path for the form every stored event has (`toISOString()`: `YYYY-MM-DDTHH:MM:SS.sssZ`,
 * year 1970–9999); anything else, or any field out of range, goes to Date.parse.
 */
export function parseTime(s: string): number {
  if (typeof s !== 'string' || s.length !== 24 || s.charCodeAt(23) !== 90 || s.charCodeAt(10) !== 84) return Date.parse(s);
  for (let x = 0; x < 23; x++) {
    const c = s.charCodeAt(x);
    const sep = x === 4 || x === 7 ? 45 : x === 10 ? 84 : x === 13 || x === 16 ? 58 : x === 19 ? 46 : 0;
    if (sep ? c !== sep : !DIGIT(c)) return Date.parse(s);
  }
  const y = digits(s, 0, 4); const mo = digits(s, 5, 7); const d = digits(s, 8, 10);
  const h = digits(s, 11, 13); const mi = digits(s, 14, 16); const sec = digits(s, 17, 19);
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const dim = mo === 2 ? (leap ? 29 : 28) : mo === 4 || mo === 6 || mo === 9 || mo === 11 ? 30 : 31;
  if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > dim || h > 23 || mi > 59 || sec > 59) return Date.parse(s);
  const y1 = y - 1;
  const days = (y - 1970) * 365 + (Math.floor(y1 / 4) - 492) - (Math.floor(y1 / 100) - 19) + (Math.floor(y1 / 400) - 4) + CUM_DAYS[mo - 1] + (leap && mo > 2 ? 1 : 0) + d - 1;
  return ((days * 24 + h) * 60 + mi) * 60_000 + sec * 1000 + digits(s, 20, 23);
}
