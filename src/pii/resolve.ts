import type { Finding } from './types.js';

/**
 * Overlap resolution: when one finding contains another the larger span wins;
 * when they only overlap the higher score wins (ties go to the longer one).
 * Input in any order; output sorted by start, without overlaps. So the password of a link
 * ("https://bob:S3cret@example.com/") goes with the URL, which every operator but keep hides
 * whole; it is a SECRET of its own where the link is no finding (not asked for, allowed, or a
 * host without a public suffix).
 */
export function resolveOverlaps<T extends Finding>(findings: T[]): T[] {
  const sorted = sortedByStart(findings);
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

/** Up to this many findings (a text's worth) are sorted by insertion. */
const INSERTION_MAX = 128;

/** a goes before b: it starts earlier, or at the same place and ends later. */
const goesBefore = (a: Finding, b: Finding) => a.start < b.start || (a.start === b.start && a.end > b.end);

/**
 * A copy sorted by start, the longer first at the same start, in a stable order (ties keep their input
 * order). The findings of a text are a few dozen in a few ascending runs (one per detector): an insertion
 * sort with the comparison inline costs less than half of Array.prototype.sort, which calls a comparator
 * function for every comparison. Larger inputs go to that sort, which stays n log n.
 */
function sortedByStart<T extends Finding>(findings: readonly T[]): T[] {
  const out = findings.slice();
  if (out.length > INSERTION_MAX) return out.sort((a, b) => a.start - b.start || b.end - a.end);
  for (let i = 1; i < out.length; i++) {
    const x = out[i];
    let j = i - 1;
    for (; j >= 0 && goesBefore(x, out[j]); j--) out[j + 1] = out[j];
    out[j + 1] = x;
  }
  return out;
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
