import { lowerBound, upperBound } from './buffer.js';
import type { Trigger } from './event-count.js';

/**
 * value_count: ≥ `min` distinct values of the counted field within `windowMs`
 * (a rule written `gt: 3` arrives here as min 4). The buffer is times `t[tb …]` and values `v[vb …]`, n of each;
 * only windows containing index k are checked.
 */
export function evaluateValueCount(
  t: ArrayLike<number>, tb: number, v: ArrayLike<string | undefined>, vb: number, n: number, k: number, min: number, windowMs: number,
): Trigger | null {
  const tk = t[tb + k];
  const inOrder = k === n - 1;
  const first = lowerBound(t, tk - windowMs, tb, tb + k + 1) - tb;
  if (inOrder) {
    // In order: the window can only have gained a distinct value if v[k] is new in it.
    if (k - first + 1 < min) return null;
    const vk = v[vb + k];
    for (let x = first; x < k; x++) if (v[vb + x] === vk) return null;
  }
  for (let i = first; i <= (inOrder ? first : k); i++) {
    const j = inOrder ? k : upperBound(t, t[tb + i] + windowMs, tb, tb + n) - tb - 1;
    if (j - i + 1 < min) continue;
    if (j - i + 1 <= SMALL) {
      // Small windows (the common case) without a Map: an entry counts when no later entry has its value.
      let distinct = 0;
      for (let x = i; x <= j; x++) if (lastOfValue(v, vb, x, j)) distinct++;
      if (distinct < min) continue;
      const idx: number[] = [];
      for (let x = i; x <= j; x++) if (lastOfValue(v, vb, x, j)) idx.push(x);
      return { idx };
    }
    const seen = new Map<string | undefined, number>();
    for (let x = i; x <= j; x++) seen.set(v[vb + x], x);
    if (seen.size >= min) {
      // Evidence: the latest event of each distinct value, in time order.
      return { idx: [...seen.values()].sort((a, b) => a - b) };
    }
  }
  return null;
}

const SMALL = 24;

/** Whether entry x holds the last occurrence of its value up to j. */
function lastOfValue(v: ArrayLike<string | undefined>, vb: number, x: number, j: number): boolean {
  const vx = v[vb + x];
  for (let y = x + 1; y <= j; y++) if (v[vb + y] === vx) return false;
  return true;
}
