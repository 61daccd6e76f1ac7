import type { KeyState } from './rules/buffer.js';
import { parseStateKey, stateKey } from './rules/state-key.js';

/**
 * The text of one snapshot chunk (detect_state.data). Version 2 names each rule and source once per chunk,
 * splits state keys into (source, part, key) and writes times relative to one base time, so a chunk is about
 * half the size of version 1 (a plain `[[rule, stateKey, KeyState | null], …]`), which is still read.
 *
 * v2: `{"f":2,"b":base,"r":[rules],"s":[sources],"x":[[rule#, source#, part, key, state | 0], …]}` with
 * state `[t − base…], [ids…], max − base, v | 0, s | 0, ep | 0` and ep `[id, first − base, last − base, count]`.
 */
export interface StateRow { rule: string; key: string; state: KeyState | null }

type EncodedState = [number[], Array<number | string>, number, string[] | 0, number[] | 0, [string, number, number, number] | 0];
type EncodedRow = [number, number, number, string, EncodedState | 0];

export function encodeChunk(rows: StateRow[]): string {
  const rules: string[] = []; const ruleAt = new Map<string, number>();
  const sources: string[] = []; const sourceAt = new Map<string, number>();
  const at = (m: Map<string, number>, list: string[], x: string) => { let n = m.get(x); if (n === undefined) { n = list.length; list.push(x); m.set(x, n); } return n; };
  let base = 0;
  for (const r of rows) if (r.state) { base = r.state.max; break; }
  const out: EncodedRow[] = [];
  for (const r of rows) {
    const sk = parseStateKey(r.key);
    if (!sk) throw new Error(`bad state key for rule ${r.rule}`);
    const s = r.state;
    const st: EncodedState | 0 = s
      ? [s.t.map((t) => t - base), s.i, s.max - base, s.v ?? 0, s.s ?? 0, s.ep ? [s.ep.id, s.ep.first - base, s.ep.last - base, s.ep.count] : 0]
      : 0;
    out.push([at(ruleAt, rules, r.rule), at(sourceAt, sources, sk.source), sk.part, sk.key, st]);
  }
  return JSON.stringify({ f: 2, b: base, r: rules, s: sources, x: out });
}

export function decodeChunk(data: string, into: StateRow[]): void {
  const c = JSON.parse(data) as Array<[string, string, KeyState | null]> | { f: 2; b: number; r: string[]; s: string[]; x: EncodedRow[] };
  if (Array.isArray(c)) {
    for (const [rule, key, state] of c) into.push({ rule, key, state });
    return;
  }
  const b = c.b;
  for (const [rule, source, part, key, st] of c.x) {
    let state: KeyState | null = null;
    if (st) {
      const [t, i, max, v, s, ep] = st;
      state = { t: t.map((x) => x + b), i, max: max + b, v: v || undefined, s: s || undefined, ep: ep ? { id: ep[0], first: ep[1] + b, last: ep[2] + b, count: ep[3] } : undefined };
    }
    into.push({ rule: c.r[rule], key: stateKey(c.s[source], part, key), state });
  }
}
