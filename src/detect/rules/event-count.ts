import { lowerBound, upperBound } from './buffer.js';

/** Events that made a condition true: buffer indexes (relative to the buffer's start), ascending. */
export interface Trigger { idx: number[] }

/**
 * event_count: ≥ `min` matching events within `windowMs` (inclusive: last − first ≤ window).
 * The buffer is `t[b] … t[b + n − 1]` (ascending times: a KeyState's array or a slab record); checks only the
 * windows that contain the event just inserted at index k.
 */
export function evaluateEventCount(t: ArrayLike<number>, b: number, n: number, k: number, min: number, windowMs: number): Trigger | null {
  const tk = t[b + k];
  if (k === n - 1) {
    const lo = lowerBound(t, tk - windowMs, b, b + k + 1) - b;
    if (k - lo + 1 >= min) return { idx: range(lo, k) };
    return null;
  }
  // Out of order: try every window [t_i, t_i + W] that contains t_k.
  for (let i = lowerBound(t, tk - windowMs, b, b + k + 1) - b; i <= k; i++) {
    const j = upperBound(t, t[b + i] + windowMs, b, b + n) - b - 1;
    if (j - i + 1 >= min) return { idx: range(i, j) };
  }
  return null;
}

export function range(from: number, to: number): number[] {
  const out: number[] = [];
  for (let x = from; x <= to; x++) out.push(x);
  return out;
}
