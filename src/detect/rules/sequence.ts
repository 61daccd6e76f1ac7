import type { Trigger } from './event-count.js';

/**
 * sequence: step A holds at time tA when ≥ `minA` A-events fall within `withinA` ms ending at tA;
 * the rule fires when a B-event follows at tB with tA ≤ tB ≤ tA + windowMs.
 * The buffer is times `t[tb …]` and steps `s[sb …]` (0 = A, 1 = B), n of each. The whole (small, per-key)
 * buffer is re-checked, so out-of-order arrivals are exact.
 */
export function evaluateSequence(
  t: ArrayLike<number>, tb: number, s: ArrayLike<number>, sb: number, n: number, minA: number, withinA: number, windowMs: number,
): Trigger | null {
  // Cheap exits first (no allocation): the rule needs a B event and at least minA A events.
  let nb = 0;
  for (let x = 0; x < n; x++) if (s[sb + x] !== 0) nb++;
  if (nb === 0 || n - nb < minA) return null;
  if (withinA < 0) return null; // no window can hold an A event (and `lo` below never passes x)
  // For each B event (in order), the first time A holds (in order) within reach of it; no arrays are built
  // unless the rule fires. `lo` walks the A events as the window of `withinA` ms ending at A event x slides.
  for (let b = 0; b < n; b++) {
    if (s[sb + b] === 0) continue;
    const tB = t[tb + b];
    let lo = -1; let inWindow = 0;
    for (let x = 0; x < n; x++) {
      if (s[sb + x] !== 0) continue;
      if (lo < 0) lo = x;
      inWindow++;
      while (t[tb + x] - t[tb + lo] > withinA) { inWindow--; do lo++; while (s[sb + lo] !== 0); }
      const tx = t[tb + x];
      if (inWindow >= minA && tx <= tB && tB - tx <= windowMs) {
        const group: number[] = [];
        for (let y = x; group.length < minA; y--) if (s[sb + y] === 0) group.push(y);
        group.reverse().push(b);
        return { idx: group };
      }
    }
  }
  return null;
}
