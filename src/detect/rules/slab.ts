import { lowerBound, upperBound, type Episode, type KeyState } from './buffer.js';

/**
 * The compact home of one rule part's key states inside a domain. A row is a key of the part's group; a row that
 * holds a state owns a record (`index`: row → record + 1, 0 when absent), so a part costs memory only for the keys
 * it has seen. Records sit in one Float64Array: `[flag, max, len, hasEp, t × cap, id × cap]`; sequence steps in a
 * byte array and counted values (value_count) in `v`, both `cap` per record. Small buffers with numeric event ids
 * (the common case) live there and are updated in place (insertInline, pruneInline: no allocation per event),
 * so a million keys cost no objects for the garbage collector to walk. A buffer longer than `cap`, or holding
 * string event ids, lives as a plain KeyState in `big`; open episodes in `ep` (both per record).
 * The KeyState shape stays the external form (snapshots, persisted rows, the general update path).
 */
export interface Slab {
  cap: number;
  stride: number;
  /** Rows (keys of the group) the index covers. */
  rows: number;
  index: Int32Array;
  /** Records allocated, records handed out so far, and the ones given back. */
  recs: number;
  used: number;
  free: number[];
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

const INLINE = 1; const BIG = 2;
/** Where a record's buffer times start (its ids follow `cap` later). */
export const HEAD = 4;

export function newSlab(cap: number, values: boolean, seq: boolean, rows: number): Slab {
  const sl: Slab = {
    cap, stride: HEAD + cap * 2, rows: 0, index: new Int32Array(0), recs: 0, used: 0, free: [], f: new Float64Array(0),
    ep: [], big: [], v: values ? [] : null, s: seq ? new Uint8Array(0) : null, count: 0, dirty: new Uint8Array(0), dirtyList: [],
  };
  growSlab(sl, rows);
  return sl;
}

const bigger = (have: number, need: number) => { let n = Math.max(64, have); while (n < need) n = Math.ceil(n * 1.5); return n; };

/** Makes room for rows 0..n−1. */
export function growSlab(sl: Slab, n: number): void {
  if (n <= sl.rows) return;
  const rows = bigger(sl.rows, n);
  const index = new Int32Array(rows); index.set(sl.index); sl.index = index;
  const dirty = new Uint8Array(rows); dirty.set(sl.dirty); sl.dirty = dirty;
  sl.rows = rows;
}

function growRecords(sl: Slab, n: number): void {
  if (n <= sl.recs) return;
  const recs = bigger(sl.recs, n);
  const f = new Float64Array(recs * sl.stride); f.set(sl.f); sl.f = f;
  if (sl.s) { const s = new Uint8Array(recs * sl.cap); s.set(sl.s); sl.s = s; }
  sl.recs = recs;
  // The object arrays grow by push: they stay packed (`new Array(n)` of a large n would be a dictionary).
  while (sl.ep.length < recs) { sl.ep.push(undefined); sl.big.push(undefined); }
  if (sl.v) while (sl.v.length < recs * sl.cap) sl.v.push(undefined);
}

/** The record of a row, or −1 when the row holds no state. */
export const recordOf = (sl: Slab, row: number): number => (row < sl.rows ? sl.index[row] - 1 : -1);

/** Gives an absent row a record (an empty inline state). */
function allocate(sl: Slab, row: number): number {
  growSlab(sl, row + 1);
  let r = sl.free.pop();
  if (r === undefined) { r = sl.used++; growRecords(sl, sl.used); }
  sl.index[row] = r + 1; sl.count++;
  const o = r * sl.stride;
  sl.f[o] = INLINE; sl.f[o + 1] = 0; sl.f[o + 2] = 0; sl.f[o + 3] = 0;
  return r;
}

export const present = (sl: Slab, row: number): boolean => recordOf(sl, row) >= 0;
export const isBig = (sl: Slab, row: number): boolean => { const r = recordOf(sl, row); return r >= 0 && sl.f[r * sl.stride] === BIG; };

/** Latest event time of a state (0 when absent). */
export const maxOf = (sl: Slab, row: number): number => {
  const r = recordOf(sl, row);
  if (r < 0) return 0;
  const o = r * sl.stride;
  return sl.f[o] === BIG ? sl.big[r]!.max : sl.f[o + 1];
};
/** Buffered events of a state (0 when absent). */
export const lengthOf = (sl: Slab, row: number): number => {
  const r = recordOf(sl, row);
  if (r < 0) return 0;
  const o = r * sl.stride;
  return sl.f[o] === BIG ? sl.big[r]!.t.length : sl.f[o + 2];
};
export const episodeOf = (sl: Slab, row: number): Episode | undefined => {
  const r = recordOf(sl, row);
  if (r < 0) return undefined;
  const o = r * sl.stride;
  return sl.f[o] === BIG ? sl.big[r]!.ep : sl.f[o + 3] === 1 ? sl.ep[r] : undefined;
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
  const r = recordOf(sl, row); const o = r * sl.stride;
  if (sl.f[o] === BIG) { sl.big[r]!.ep = ep; return; }
  sl.f[o + 3] = ep ? 1 : 0;
  sl.ep[r] = ep;
}

/** Raises the latest event time of a present state. */
export function raiseMax(sl: Slab, row: number, t: number): void {
  const r = recordOf(sl, row); const o = r * sl.stride;
  if (sl.f[o] === BIG) { const s = sl.big[r]!; if (t > s.max) s.max = t; } else if (t > sl.f[o + 1]) sl.f[o + 1] = t;
}

/** Whether an event with this id can be inserted into the row in place (inline, with room for one more). */
export function fitsInline(sl: Slab, row: number, id: number | string): boolean {
  if (typeof id !== 'number') return false;
  const r = recordOf(sl, row);
  if (r < 0) return true;
  const o = r * sl.stride;
  return sl.f[o] === INLINE && sl.f[o + 2] < sl.cap;
}

/**
 * Inserts an event into an inline (or absent) row in time order, after equal times, and returns its index
 * (what buffer.insert does for a KeyState). The caller checked fitsInline; recordOf gives the row's record after.
 */
export function insertInline(sl: Slab, row: number, t: number, id: number, value: string | undefined, step: number): number {
  let r = recordOf(sl, row);
  if (r < 0) r = allocate(sl, row);
  const f = sl.f; const o = r * sl.stride; const cap = sl.cap;
  const tb = o + HEAD; const ib = tb + cap; const xb = r * cap;
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
  const r = recordOf(sl, row);
  const f = sl.f; const o = r * sl.stride; const cap = sl.cap;
  const tb = o + HEAD; const ib = tb + cap; const xb = r * cap;
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
  const r = recordOf(sl, row);
  if (r < 0) return undefined;
  const f = sl.f; const o = r * sl.stride;
  if (f[o] === BIG) return sl.big[r];
  const n = f[o + 2]; const cap = sl.cap; const tb = o + HEAD; const xb = r * cap;
  const t: number[] = []; const i: number[] = [];
  for (let j = 0; j < n; j++) { t.push(f[tb + j]); i.push(f[tb + cap + j]); }
  let v: string[] | undefined; let s: number[] | undefined;
  if (sl.v) { v = []; for (let j = 0; j < n; j++) v.push(sl.v[xb + j]!); }
  if (sl.s) { s = []; for (let j = 0; j < n; j++) s.push(sl.s[xb + j]); }
  return { t, i, max: f[o + 1], v, s, ep: f[o + 3] === 1 ? sl.ep[r] : undefined };
}

/** Stores a state in a row (inline when it fits, else as the object itself). */
export function writeState(sl: Slab, row: number, st: KeyState): void {
  let r = recordOf(sl, row);
  if (r < 0) r = allocate(sl, row);
  const f = sl.f; const o = r * sl.stride; const cap = sl.cap; const xb = r * cap;
  const n = st.t.length;
  let fits = n <= cap && (sl.v !== null) === (st.v !== undefined) && (sl.s !== null) === (st.s !== undefined);
  for (let j = 0; fits && j < n; j++) {
    if (typeof st.i[j] !== 'number' || (sl.s && st.s![j] !== 0 && st.s![j] !== 1)) fits = false;
  }
  if (!fits) {
    f[o] = BIG; sl.ep[r] = undefined;
    sl.big[r] = st;
    if (sl.v) for (let j = 0; j < cap; j++) sl.v[xb + j] = undefined;
    return;
  }
  sl.big[r] = undefined;
  f[o] = INLINE; f[o + 1] = st.max; f[o + 2] = n; f[o + 3] = st.ep ? 1 : 0;
  sl.ep[r] = st.ep;
  const tb = o + HEAD;
  for (let j = 0; j < n; j++) { f[tb + j] = st.t[j]; f[tb + cap + j] = st.i[j] as number; }
  if (sl.s) for (let j = 0; j < n; j++) sl.s[xb + j] = st.s![j];
  if (sl.v) for (let j = 0; j < cap; j++) sl.v[xb + j] = j < n ? st.v![j] : undefined;
}

/** Drops a row's state (its record goes back to the slab). */
export function clearState(sl: Slab, row: number): void {
  const r = recordOf(sl, row);
  if (r < 0) return;
  sl.index[row] = 0; sl.count--; sl.dirty[row] = 0;
  sl.ep[r] = undefined; sl.big[r] = undefined;
  if (sl.v) for (let j = 0; j < sl.cap; j++) sl.v[r * sl.cap + j] = undefined;
  sl.free.push(r);
}
