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
  const aIdx: number[] = [];
  const bIdx: number[] = [];
  for (let x = 0; x < t.length; x++) (s[x] === 0 ? aIdx : bIdx).push(x);
  if (bIdx.length === 0 || aIdx.length < minA) return null;
  // Times at which A holds, each with the A events that made it hold.
  const holds: Array<{ at: number; group: number[] }> = [];
  let lo = 0;
  for (let p = 0; p < aIdx.length; p++) {
    while (t[aIdx[p]] - t[aIdx[lo]] > withinA) lo++;
    if (p - lo + 1 >= minA) holds.push({ at: t[aIdx[p]], group: aIdx.slice(p - minA + 1, p + 1) });
  }
  for (const b of bIdx) {
    const tb = t[b];
    for (const h of holds) {
      if (h.at <= tb && tb - h.at <= windowMs) return { idx: [...h.group, b] };
    }
  }
  return null;
}
