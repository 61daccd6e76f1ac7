import type { Episode, KeyState } from './buffer.js';

/**
 * The compact home of one rule part's key states inside a domain: one Float64Array holding, per row (a key of
 * the part's group), a fixed-size record `[flag, max, len, hasEp, t × cap, id × cap]` (sequence rules keep
 * `id × 2 + step`, exact for the integer ids kept inline). Small
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
  /** The one transient state the hot path reads a row into and writes back from (no allocation per event). */
  scratch: KeyState;
}

const ABSENT = 0; const INLINE = 1; const BIG = 2;
const HEAD = 4;

export function newSlab(cap: number, values: boolean, seq: boolean, rows: number): Slab {
  const stride = HEAD + cap * 2;
  const scratch: KeyState = { t: [], i: [], max: 0, v: values ? [] : undefined, s: seq ? [] : undefined, ep: undefined };
  const sl: Slab = { cap, stride, rows: 0, f: new Float64Array(0), ep: [], big: [], v: values ? [] : null, seq, scratch };
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
  const s: number[] | undefined = sl.seq ? [] : undefined;
  for (let j = 0; j < n; j++) t.push(f[o + HEAD + j]);
  readIds(sl, o, n, i, s);
  let v: string[] | undefined;
  if (sl.v) { v = []; for (let j = 0; j < n; j++) v.push(sl.v[row * cap + j]!); }
  return { t, i, max: f[o + 1], v, s, ep: f[o + 3] === 1 ? sl.ep[row] : undefined };
}

/**
 * The state of a row for one update: the slab's scratch state (refilled; valid until the next call) for an
 * inline or absent row, the spilled object itself otherwise. Write it back with writeState.
 */
export function scratchState(sl: Slab, row: number): KeyState {
  const f = sl.f; const o = row * sl.stride;
  const flag = row < sl.rows ? f[o] : ABSENT;
  if (flag === BIG) return sl.big[row]!;
  const sc = sl.scratch; const cap = sl.cap;
  const n = flag === ABSENT ? 0 : f[o + 2];
  // The engine may have replaced the arrays (a trigger empties the buffer): start from fresh ones then.
  const t = sc.t; const i = sc.i as number[];
  t.length = 0; i.length = 0;
  for (let j = 0; j < n; j++) t.push(f[o + HEAD + j]);
  if (sl.seq) sc.s!.length = 0;
  readIds(sl, o, n, i, sc.s);
  if (sl.v) { const v = sc.v!; v.length = 0; for (let j = 0; j < n; j++) v.push(sl.v[row * cap + j]!); }
  sc.max = flag === ABSENT ? 0 : f[o + 1];
  sc.ep = flag !== ABSENT && f[o + 3] === 1 ? sl.ep[row] : undefined;
  return sc;
}

/** Stores a state in a row (inline when it fits, else as the object itself). */
export function writeState(sl: Slab, row: number, st: KeyState): void {
  growSlab(sl, row + 1);
  const f = sl.f; const o = row * sl.stride; const cap = sl.cap;
  const n = st.t.length;
  let fits = n <= cap && (sl.v !== null) === (st.v !== undefined) && sl.seq === (st.s !== undefined);
  for (let j = 0; fits && j < n; j++) { const id = st.i[j]; if (typeof id !== 'number' || (sl.seq && !(Number.isSafeInteger(id) && id >= 0 && id < MAX_PACKED && (st.s![j] === 0 || st.s![j] === 1)))) fits = false; }
  if (!fits) {
    f[o] = BIG; sl.ep[row] = undefined;
    sl.big[row] = st !== sl.scratch ? st : { t: st.t.slice(), i: st.i.slice(), max: st.max, v: st.v?.slice(), s: st.s?.slice(), ep: st.ep };
    if (sl.v) for (let j = 0; j < cap; j++) sl.v[row * cap + j] = undefined;
    return;
  }
  // The object arrays are touched only where they change (each store there is a cache miss and a write barrier).
  const was = f[o];
  const used = was === INLINE ? Math.max(n, f[o + 2]) : was === BIG ? cap : n;
  if (was === BIG) sl.big[row] = undefined;
  const hadEp = was === INLINE && f[o + 3] === 1;
  if (st.ep) { if (!hadEp || sl.ep[row] !== st.ep) sl.ep[row] = st.ep; f[o + 3] = 1; } else { if (hadEp) sl.ep[row] = undefined; f[o + 3] = 0; }
  f[o] = INLINE; f[o + 1] = st.max; f[o + 2] = n;
  for (let j = 0; j < n; j++) f[o + HEAD + j] = st.t[j];
  if (sl.seq) { const s = st.s!; for (let j = 0; j < n; j++) f[o + HEAD + cap + j] = (st.i[j] as number) * 2 + s[j]; } else for (let j = 0; j < n; j++) f[o + HEAD + cap + j] = st.i[j] as number;
  if (sl.v) { const v = st.v!; const at = row * cap; for (let j = 0; j < used; j++) { const x = j < n ? v[j] : undefined; if (sl.v[at + j] !== x) sl.v[at + j] = x; } }
}

/** Ids packed with a step (id × 2 + step) stay exact below 2^52. */
const MAX_PACKED = 2 ** 51;

function readIds(sl: Slab, o: number, n: number, i: number[], s: number[] | undefined): void {
  const f = sl.f; const at = o + HEAD + sl.cap;
  if (!s) { for (let j = 0; j < n; j++) i.push(f[at + j]); return; }
  for (let j = 0; j < n; j++) { const x = f[at + j]; const id = Math.floor(x / 2); i.push(id); s.push(x - id * 2); }
}

/** Drops a row's state. */
export function clearState(sl: Slab, row: number): void {
  if (row >= sl.rows) return;
  sl.f[row * sl.stride] = ABSENT;
  sl.ep[row] = undefined; sl.big[row] = undefined;
  if (sl.v) for (let j = 0; j < sl.cap; j++) sl.v[row * sl.cap + j] = undefined;
}
