/**
 * Per-key state of one rule: a buffer of matching events sorted by event time (only what the window
 * and lateness still need), and the open episode (alert) if any. Plain JSON so it can be snapshotted.
 */
export interface Episode {
  /** Alert id. */
  id: string;
  first: number;
  last: number;
  count: number;
}

export type EventId = number | string;

export interface KeyState {
  /** Event times (ms), ascending. */
  t: number[];
  /** Event ids, parallel to t: numbers for outbox ids (no string kept alive per entry), else strings. */
  i: EventId[];
  /** Counted values (value_count) or step indexes (sequence), parallel to t. */
  v?: string[];
  s?: number[];
  /** Latest event time seen for this key. */
  max: number;
  ep?: Episode;
}

/** Buffers never grow beyond this; the oldest entries go first (count stays exact on the alert). */
export const BUFFER_CAP = 50_000;

/** Below this length buffers grow by exact-size copies instead of push (whose spare capacity would dominate memory). */
const EXACT_BELOW = 16;

export function newState(): KeyState {
  // Every state has the same shape (fewer hidden classes); the empty arrays are replaced on the first insert.
  return { t: [], i: [], max: 0, v: undefined, s: undefined, ep: undefined };
}

/** First index whose time is ≥ x. */
export function lowerBound(a: ArrayLike<number>, x: number, lo = 0, hi = a.length): number {
  while (lo < hi) {
    const m = (lo + hi) >>> 1;
    if (a[m] < x) lo = m + 1; else hi = m;
  }
  return lo;
}

/** First index whose time is > x. */
export function upperBound(a: ArrayLike<number>, x: number, lo = 0, hi = a.length): number {
  while (lo < hi) {
    const m = (lo + hi) >>> 1;
    if (a[m] <= x) lo = m + 1; else hi = m;
  }
  return lo;
}

/**
 * Inserts in time order (after equal times) and returns the index. `exact` keeps arrays at their exact size
 * (for states that stay in memory); a transient state (read out of a slab, written back) grows in place.
 */
export function insert(st: KeyState, t: number, id: EventId, value?: string, step?: number, exact = true): number {
  const n = st.t.length;
  if (n === 0 && exact) {
    // Most keys hold one or two entries: exact-size arrays, not the default growth capacity.
    st.t = [t]; st.i = [id];
    if (value !== undefined) st.v = [value];
    if (step !== undefined) st.s = [step];
    if (t > st.max) st.max = t;
    return 0;
  }
  const at = st.t[n - 1] <= t ? n : upperBound(st.t, t);
  if (at === n && n < EXACT_BELOW && exact) {
    st.t = st.t.concat(t); st.i = st.i.concat(id);
    if (value !== undefined) st.v = (st.v ?? []).concat(value);
    if (step !== undefined) st.s = (st.s ?? []).concat(step);
  } else if (at === n) {
    st.t.push(t); st.i.push(id);
    if (value !== undefined) (st.v ??= []).push(value);
    if (step !== undefined) (st.s ??= []).push(step);
  } else {
    st.t.splice(at, 0, t); st.i.splice(at, 0, id);
    if (value !== undefined) (st.v ??= []).splice(at, 0, value);
    if (step !== undefined) (st.s ??= []).splice(at, 0, step);
  }
  if (t > st.max) st.max = t;
  return at;
}

/** Drops entries older than `horizon` (ms) and keeps at most BUFFER_CAP. */
export function prune(st: KeyState, horizon: number): void {
  let cut = st.t.length > 0 && st.t[0] < horizon ? lowerBound(st.t, horizon) : 0;
  if (st.t.length - cut > BUFFER_CAP) cut = st.t.length - BUFFER_CAP;
  if (cut === 0) return;
  if (cut === st.t.length) {
    st.t = []; st.i = []; if (st.v) st.v = []; if (st.s) st.s = [];
    return;
  }
  st.t.splice(0, cut); st.i.splice(0, cut);
  st.v?.splice(0, cut); st.s?.splice(0, cut);
}
