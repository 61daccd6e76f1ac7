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
