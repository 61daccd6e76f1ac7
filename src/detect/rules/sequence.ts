import { type KeyState } from './buffer.js';
import type { Trigger } from './event-count.js';

/**
 * sequence: step A holds at time tA when ≥ `minA` A-events fall within `withinA` ms ending at tA;
 * the rule fires when a B-event follows at tB with tA ≤ tB ≤ tA + windowMs.
 * The whole (small, per-key) buffer is re-checked, so out-of-order arrivals are exact.
 */
export function evaluateSequence(st: KeyState, minA: number, withinA: number, windowMs: number): Trigger | null {
  const t = st.t;
  const s = st.s ?? [];
  // Cheap exits first (no allocation): the rule needs a B event and at least minA A events.
  let nb = 0;
  for (let x = 0; x < s.length; x++) if (s[x] !== 0) nb++;
  if (nb === 0 || t.length - nb < minA) return null;
  if (withinA < 0) return null; // no window can hold an A event (and `lo` below never passes x)
  // For each B event (in order), the first time A holds (in order) within reach of it; no arrays are built
  // unless the rule fires. `lo` walks the A events as the window of `withinA` ms ending at A event x slides.
  for (let b = 0; b < t.length; b++) {
    if (s[b] === 0) continue;
    const tb = t[b];
    let lo = -1; let inWindow = 0;
    for (let x = 0; x < t.length; x++) {
      if (s[x] !== 0) continue;
      if (lo < 0) lo = x;
      inWindow++;
      while (t[x] - t[lo] > withinA) { inWindow--; do lo++; while (s[lo] !== 0); }
      if (inWindow >= minA && t[x] <= tb && tb - t[x] <= windowMs) {
        const group: number[] = [];
        for (let y = x; group.length < minA; y--) if (s[y] === 0) group.push(y);
        group.reverse().push(b);
        return { idx: group };
      }
    }
  }
  return null;
}
