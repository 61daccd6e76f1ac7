import type { Finding } from './types.js';

/**
 * Overlap resolution: when one finding contains another the larger span wins;
 * when they only overlap the higher score wins (ties go to the longer one).
 * Input in any order; output sorted by start, without overlaps.
 */
export function resolveOverlaps<T extends Finding>(findings: T[]): T[] {
  const sorted = [...findings].sort((a, b) => a.start - b.start || b.end - a.end);
  const kept: T[] = [];
  for (const c of sorted) {
    let keep = true;
    while (kept.length) {
      const last = kept[kept.length - 1];
      if (last.end <= c.start) break;
      if (winner(last, c) === last) {
        keep = false;
        break;
      }
      kept.pop();
    }
    if (keep) kept.push(c);
  }
  return kept;
}

function winner<T extends Finding>(a: T, b: T): T {
  const aContains = a.start <= b.start && a.end >= b.end;
  const bContains = b.start <= a.start && b.end >= a.end;
  const la = a.end - a.start;
  const lb = b.end - b.start;
  if (aContains && bContains) return b.score > a.score ? b : a;
  if (aContains) return a;
  if (bContains) return b;
  if (a.score !== b.score) return a.score > b.score ? a : b;
  return lb > la ? b : a;
}
