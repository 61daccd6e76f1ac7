import { lowerBound, upperBound, type KeyState } from './buffer.js';
import type { Trigger } from './event-count.js';

/**
 * value_count: ≥ `min` distinct values of the counted field within `windowMs`
 * (a rule written `gt: 3` arrives here as min 4). Only windows containing index k are checked.
 */
export function evaluateValueCount(st: KeyState, k: number, min: number, windowMs: number): Trigger | null {
  const t = st.t;
  const v = st.v ?? [];
  const tk = t[k];
  if (k === t.length - 1) {
    // In order: the window can only have gained a distinct value if v[k] is new in it.
    const lo = lowerBound(t, tk - windowMs, 0, k + 1);
    if (k - lo + 1 < min) return null;
    for (let x = lo; x < k; x++) if (v[x] === v[k]) return null;
  }
  const inOrder = k === t.length - 1;
  const first = lowerBound(t, tk - windowMs, 0, k + 1);
  for (let i = first; i <= (inOrder ? first : k); i++) {
    const j = inOrder ? k : upperBound(t, t[i] + windowMs) - 1;
    if (j - i + 1 < min) continue;
    const seen = new Map<string, number>();
    for (let x = i; x <= j; x++) seen.set(v[x], x);
    if (seen.size >= min) {
      // Evidence: the latest event of each distinct value, in time order.
      return { idx: [...seen.values()].sort((a, b) => a - b) };
    }
  }
  return null;
}
