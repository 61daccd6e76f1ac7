import type { Episode, KeyState } from './buffer.js';

/**
 * The compact home of one rule part's key states inside a domain: one Float64Array holding, per row (a key of
 * the part's group), a fixed-size record `[flag, max, len, hasEp, t × cap, id × cap, step × cap]`. Small
 * buffers (the common case) live there, so a million keys cost no objects for the garbage collector to
 * walk and one event touches one contiguous record. A buffer longer than `cap`, or holding string event ids,
 * lives as a plain KeyState in `big`; counted values (value_count) in `v`; open episodes in `ep`.
 * The KeyState shape stays the external form (evaluation, snapshots, persisted rows).
 */
export interface Slab {
  cap: number;
  stride: number;
  rows: number;
  f: Float64Array;
  ep: Array<Episode | undefined>;
  big: Array<KeyState | undefined>;
  v: Array<string | undefined> | null;
  seq: boolean;
}

const ABSENT = 0; const INLINE = 1; const BIG = 2;
const HEAD = 4;

export function newSlab(cap: number, values: boolean, seq: boolean, rows: number): Slab {
  const stride = HEAD + cap * (seq ? 3 : 2);
  const sl: Slab = { cap, stride, rows: 0, f: new Float64Array(0), ep: [], big: [], v: values ? [] : null, seq };
  growSlab(sl, rows);
  return sl;
}

/** Makes room for rows 0..n−1. */
export function growSlab(sl: Slab, n: number): void {
  if (n <= sl.rows) return;
  let rows = Math.max(64, sl.rows);
  while (rows < n) rows *= 2;
  const f = new Float64Array(rows * sl.stride);
  f.set(sl.f);
  sl.f = f; sl.rows = rows;
  // The object arrays stay packed (no holes, never dictionary mode).
  while (sl.ep.length < rows) { sl.ep.push(undefined); sl.big.push(undefined); }
  if (sl.v) while (sl.v.length < rows * sl.cap) sl.v.push(undefined);
}

export const present = (sl: Slab, row: number): boolean => row < sl.rows && sl.f[row * sl.stride] !== ABSENT;

/** Latest event time and open episode of a present state, without building it. */
export const maxOf = (sl: Slab, row: number): number => {
  const o = row * sl.stride;
  return sl.f[o] === BIG ? sl.big[row]!.max : sl.f[o + 1];
};
export const episodeOf = (sl: Slab, row: number): Episode | undefined => {
  const o = row * sl.stride;
  return sl.f[o] === BIG ? sl.big[row]!.ep : sl.f[o + 3] === 1 ? sl.ep[row] : undefined;
};

/** The state of a row (a fresh object, or the spilled one itself), or undefined when absent. */
export function readState(sl: Slab, row: number): KeyState | undefined {
  if (row >= sl.rows) return undefined;
  const f = sl.f; const o = row * sl.stride;
  const flag = f[o];
  if (flag === ABSENT) return undefined;
  if (flag === BIG) return sl.big[row];
  const n = f[o + 2]; const cap = sl.cap;
  const t: number[] = []; const i: number[] = [];
  for (let j = 0; j < n; j++) { t.push(f[o + HEAD + j]); i.push(f[o + HEAD + cap + j]); }
  let v: string[] | undefined; let s: number[] | undefined;
  if (sl.v) { v = []; for (let j = 0; j < n; j++) v.push(sl.v[row * cap + j]!); }
  if (sl.seq) { s = []; for (let j = 0; j < n; j++) s.push(f[o + HEAD + 2 * cap + j]); }
  return { t, i, max: f[o + 1], v, s, ep: f[o + 3] === 1 ? sl.ep[row] : undefined };
}

/** Stores a state in a row (inline when it fits, else as the object itself). */
export function writeState(sl: Slab, row: number, st: KeyState): void {
  growSlab(sl, row + 1);
  const f = sl.f; const o = row * sl.stride; const cap = sl.cap;
  const n = st.t.length;
  let fits = n <= cap && (sl.v !== null) === (st.v !== undefined) && sl.seq === (st.s !== undefined);
  for (let j = 0; fits && j < n; j++) if (typeof st.i[j] !== 'number') fits = false;
  if (!fits) {
    f[o] = BIG; sl.big[row] = st; sl.ep[row] = undefined;
    return;
  }
  f[o] = INLINE; f[o + 1] = st.max; f[o + 2] = n;
  if (st.ep) { f[o + 3] = 1; sl.ep[row] = st.ep; } else { f[o + 3] = 0; sl.ep[row] = undefined; }
  sl.big[row] = undefined;
  for (let j = 0; j < n; j++) { f[o + HEAD + j] = st.t[j]; f[o + HEAD + cap + j] = st.i[j] as number; }
  if (sl.v) { const v = st.v!; for (let j = 0; j < cap; j++) sl.v[row * cap + j] = j < n ? v[j] : undefined; }
  if (sl.seq) { const s = st.s!; for (let j = 0; j < n; j++) f[o + HEAD + 2 * cap + j] = s[j]; }
}

/** Drops a row's state. */
export function clearState(sl: Slab, row: number): void {
  if (row >= sl.rows) return;
  sl.f[row * sl.stride] = ABSENT;
  sl.ep[row] = undefined; sl.big[row] = undefined;
  if (sl.v) for (let j = 0; j < sl.cap; j++) sl.v[row * sl.cap + j] = undefined;
}
