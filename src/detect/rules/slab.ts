import { lowerBound, upperBound, type Episode, type KeyState } from './buffer.js';

/**
 * The compact home of one rule part's key states inside a domain: one Float64Array holding, per row (a key of
 * the part's group), a fixed-size record `[flag, max, len, hasEp, t × cap, id × cap]`; sequence steps sit in a
 * byte array and counted values (value_count) in `v`, both `cap` per row. Small buffers with numeric event ids
 * (the common case) live there and are updated in place (insertInline, pruneInline: no allocation per event),
 * so a million keys cost no objects for the garbage collector to walk. A buffer longer than `cap`, or holding
 * string event ids, lives as a plain KeyState in `big`; open episodes in `ep`.
 * The KeyState shape stays the external form (snapshots, persisted rows, the general update path).
 */
export interface Slab {
  cap: number;
  stride: number;
  rows: number;
  f: Float64Array;
  ep: Array<Episode | undefined>;
  big: Array<KeyState | undefined>;
  v: Array<string | undefined> | null;
  s: Uint8Array | null;
  /** How many rows hold a state. */
  count: number;
  /** Rows changed since the last takeDirty (persist mode): a flag per row and the list of flagged rows. */
  dirty: Uint8Array;
  dirtyList: number[];
}

const ABSENT = 0; const INLINE = 1; const BIG = 2;
/** Where a row's buffer times start (its ids follow `cap` later). */
export const HEAD = 4;

export function newSlab(cap: number, values: boolean, seq: boolean, rows: number): Slab {
  const sl: Slab = { cap, stride: HEAD + cap * 2, rows: 0, f: new Float64Array(0), ep: [], big: [], v: values ? [] : null, s: seq ? new Uint8Array(0) : null, count: 0, dirty: new Uint8Array(0), dirtyList: [] };
  growSlab(sl, rows);
  return sl;
}

/** Makes room for rows 0..n−1. */
export function growSlab(sl: Slab, n: number): void {
  if (n <= sl.rows) return;
  let rows = Math.max(64, sl.rows);
  while (rows < n) rows = Math.ceil(rows * 1.5);
  const f = new Float64Array(rows * sl.stride);
  f.set(sl.f);
  sl.f = f;
  if (sl.s) { const s = new Uint8Array(rows * sl.cap); s.set(sl.s); sl.s = s; }
  const dirty = new Uint8Array(rows); dirty.set(sl.dirty); sl.dirty = dirty;
  sl.rows = rows;
  // The object arrays grow by push: they stay packed (`new Array(n)` of a large n would be a dictionary).
  while (sl.ep.length < rows) { sl.ep.push(undefined); sl.big.push(undefined); }
  if (sl.v) while (sl.v.length < rows * sl.cap) sl.v.push(undefined);
}

export const present = (sl: Slab, row: number): boolean => row < sl.rows && sl.f[row * sl.stride] !== ABSENT;
export const isBig = (sl: Slab, row: number): boolean => row < sl.rows && sl.f[row * sl.stride] === BIG;

/** Latest event time of a state (0 when absent). */
export const maxOf = (sl: Slab, row: number): number => {
  if (row >= sl.rows) return 0;
  const o = row * sl.stride;
  return sl.f[o] === BIG ? sl.big[row]!.max : sl.f[o + 1];
};
/** Buffered events of a state (0 when absent). */
export const lengthOf = (sl: Slab, row: number): number => {
  if (row >= sl.rows) return 0;
  const o = row * sl.stride;
  return sl.f[o] === BIG ? sl.big[row]!.t.length : sl.f[o + 2];
};
export const episodeOf = (sl: Slab, row: number): Episode | undefined => {
  if (row >= sl.rows) return undefined;
  const o = row * sl.stride;
  return sl.f[o] === BIG ? sl.big[row]!.ep : sl.f[o + 3] === 1 ? sl.ep[row] : undefined;
};

/** Marks a row changed (persist mode). */
export function markDirty(sl: Slab, row: number): void {
  growSlab(sl, row + 1);
  if (sl.dirty[row] === 0) { sl.dirty[row] = 1; sl.dirtyList.push(row); }
}

/** Calls `fn` for each changed row that still holds a state, and clears the marks. */
export function takeDirtyRows(sl: Slab, fn: (row: number) => void): void {
  for (const row of sl.dirtyList) {
    if (sl.dirty[row] === 0) continue;
    sl.dirty[row] = 0;
    if (present(sl, row)) fn(row);
  }
  sl.dirtyList.length = 0;
}

/** Sets (or with undefined, ends) the open episode of a present state. */
export function setEpisode(sl: Slab, row: number, ep: Episode | undefined): void {
  const o = row * sl.stride;
  if (sl.f[o] === BIG) { sl.big[row]!.ep = ep; return; }
  sl.f[o + 3] = ep ? 1 : 0;
  sl.ep[row] = ep;
}

/** Raises the latest event time of a present state. */
export function raiseMax(sl: Slab, row: number, t: number): void {
  const o = row * sl.stride;
  if (sl.f[o] === BIG) { const s = sl.big[row]!; if (t > s.max) s.max = t; } else if (t > sl.f[o + 1]) sl.f[o + 1] = t;
}

/** Whether an event with this id can be inserted into the row in place (inline, with room for one more). */
export function fitsInline(sl: Slab, row: number, id: number | string): boolean {
  if (typeof id !== 'number') return false;
  if (row >= sl.rows) return true;
  const o = row * sl.stride;
  const flag = sl.f[o];
  return flag === ABSENT || (flag === INLINE && sl.f[o + 2] < sl.cap);
}

/**
 * Inserts an event into an inline (or absent) row in time order, after equal times, and returns its index
 * (what buffer.insert does for a KeyState). The caller checked fitsInline.
 */
export function insertInline(sl: Slab, row: number, t: number, id: number, value: string | undefined, step: number): number {
  growSlab(sl, row + 1);
  const f = sl.f; const o = row * sl.stride; const cap = sl.cap;
  const tb = o + HEAD; const ib = tb + cap; const xb = row * cap;
  if (f[o] !== INLINE) { sl.count++; f[o] = INLINE; f[o + 1] = 0; f[o + 2] = 0; f[o + 3] = 0; sl.ep[row] = undefined; }
  const n = f[o + 2];
  const at = n === 0 || f[tb + n - 1] <= t ? n : upperBound(f, t, tb, tb + n) - tb;
  if (at < n) {
    f.copyWithin(tb + at + 1, tb + at, tb + n);
    f.copyWithin(ib + at + 1, ib + at, ib + n);
    if (sl.v) for (let j = n; j > at; j--) sl.v[xb + j] = sl.v[xb + j - 1];
    if (sl.s) sl.s.copyWithin(xb + at + 1, xb + at, xb + n);
  }
  f[tb + at] = t; f[ib + at] = id;
  if (sl.v) sl.v[xb + at] = value;
  if (sl.s) sl.s[xb + at] = step;
  f[o + 2] = n + 1;
  if (t > f[o + 1]) f[o + 1] = t;
  return at;
}

/** Drops an inline row's buffered events older than `horizon` (ms), or all of them with horizon = Infinity. */
export function pruneInline(sl: Slab, row: number, horizon: number): void {
  const f = sl.f; const o = row * sl.stride; const cap = sl.cap;
  const tb = o + HEAD; const ib = tb + cap; const xb = row * cap;
  const n = f[o + 2];
  if (n === 0 || f[tb] >= horizon) return;
  const cut = horizon === Infinity ? n : lowerBound(f, horizon, tb, tb + n) - tb;
  const left = n - cut;
  if (left > 0) {
    f.copyWithin(tb, tb + cut, tb + n);
    f.copyWithin(ib, ib + cut, ib + n);
    if (sl.s) sl.s.copyWithin(xb, xb + cut, xb + n);
  }
  if (sl.v) { for (let j = 0; j < left; j++) sl.v[xb + j] = sl.v[xb + cut + j]; for (let j = left; j < n; j++) sl.v[xb + j] = undefined; }
  f[o + 2] = left;
}

/** The state of a row (a fresh object, or the spilled one itself), or undefined when absent. */
export function readState(sl: Slab, row: number): KeyState | undefined {
  if (row >= sl.rows) return undefined;
  const f = sl.f; const o = row * sl.stride;
  const flag = f[o];
  if (flag === ABSENT) return undefined;
  if (flag === BIG) return sl.big[row];
  const n = f[o + 2]; const cap = sl.cap; const tb = o + HEAD; const xb = row * cap;
  const t: number[] = []; const i: number[] = [];
  for (let j = 0; j < n; j++) { t.push(f[tb + j]); i.push(f[tb + cap + j]); }
  let v: string[] | undefined; let s: number[] | undefined;
  if (sl.v) { v = []; for (let j = 0; j < n; j++) v.push(sl.v[xb + j]!); }
  if (sl.s) { s = []; for (let j = 0; j < n; j++) s.push(sl.s[xb + j]); }
  return { t, i, max: f[o + 1], v, s, ep: f[o + 3] === 1 ? sl.ep[row] : undefined };
}

/** Stores a state in a row (inline when it fits, else as the object itself). */
export function writeState(sl: Slab, row: number, st: KeyState): void {
  growSlab(sl, row + 1);
  const f = sl.f; const o = row * sl.stride; const cap = sl.cap; const xb = row * cap;
  const n = st.t.length;
  let fits = n <= cap && (sl.v !== null) === (st.v !== undefined) && (sl.s !== null) === (st.s !== undefined);
  for (let j = 0; fits && j < n; j++) {
    if (typeof st.i[j] !== 'number' || (sl.s && st.s![j] !== 0 && st.s![j] !== 1)) fits = false;
  }
  if (f[o] === ABSENT) sl.count++;
  if (!fits) {
    f[o] = BIG; sl.ep[row] = undefined;
    sl.big[row] = st;
    if (sl.v) for (let j = 0; j < cap; j++) sl.v[xb + j] = undefined;
    return;
  }
  if (f[o] === BIG) sl.big[row] = undefined;
  f[o] = INLINE; f[o + 1] = st.max; f[o + 2] = n; f[o + 3] = st.ep ? 1 : 0;
  sl.ep[row] = st.ep;
  const tb = o + HEAD;
  for (let j = 0; j < n; j++) { f[tb + j] = st.t[j]; f[tb + cap + j] = st.i[j] as number; }
  if (sl.s) for (let j = 0; j < n; j++) sl.s[xb + j] = st.s![j];
  if (sl.v) for (let j = 0; j < cap; j++) sl.v[xb + j] = j < n ? st.v![j] : undefined;
}

/** Drops a row's state. */
export function clearState(sl: Slab, row: number): void {
  if (row >= sl.rows) return;
  if (sl.f[row * sl.stride] !== ABSENT) sl.count--;
  sl.dirty[row] = 0;
  sl.f[row * sl.stride] = ABSENT;
  sl.ep[row] = undefined; sl.big[row] = undefined;
  if (sl.v) for (let j = 0; j < sl.cap; j++) sl.v[row * sl.cap + j] = undefined;
}
