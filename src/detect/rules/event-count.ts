import { lowerBound, upperBound, type KeyState } from './buffer.js';

/** Events that made a condition true: buffer indexes from..to (inclusive) or an explicit list. */
export interface Trigger { idx: number[] }

/**
 * event_count: ≥ `min` matching events within `windowMs` (inclusive: last − first ≤ window).
 * Checks only windows that contain the event just inserted at index k.
 */
export function evaluateEventCount(st: KeyState, k: number, min: number, windowMs: number): Trigger | null {
  const t = st.t;
  const tk = t[k];
  if (k === t.length - 1) {
    const lo = lowerBound(t, tk - windowMs, 0, k + 1);
    if (k - lo + 1 >= min) return { idx: range(lo, k) };
    return null;
  }
  // Out of order: try every window [t_i, t_i + W] that contains t_k.
  for (let i = lowerBound(t, tk - windowMs, 0, k + 1); i <= k; i++) {
    const j = upperBound(t, t[i] + windowMs) - 1;
    if (j - i + 1 >= min) return { idx: range(i, j) };
  }
  return null;
}

export function range(from: number, to: number): number[] {
  const out: number[] = [];
  for (let x = from; x <= to; x++) out.push(x);
  return out;
}
