import type { Candidate, Detector } from '../types.js';
import { ssnValid } from '../validators/ssn.js';
import { indexText } from '../prepass.js';
import { candidate, isAsciiDigit } from './util.js';

/**
 * US_SSN: AAA-GG-SSSS (dashes or spaces) that passes the SSA rules scores as a likely SSN;
 * nine bare digits only count with a context word such as "ssn" nearby.
 */
/** The shape, as a pattern: what ssnMatchEnd finds by hand (ssn.test.ts holds both to the same verdicts). */
export const SSN_PATTERN = /(\d{3})([- ]?)(\d{2})\2(\d{4})(?![\d-])/y;

/** `n` ASCII digits from p on. */
function digitsAt(text: string, p: number, n: number): boolean {
  for (let i = p; i < p + n; i++) if (!isAsciiDigit(text.charCodeAt(i))) return false;
  return true;
}
const isSpaceOrDash = (c: number) => c === 45 || c === 32;
/** Nothing, or neither a digit nor '-' (the pattern's closing lookahead). */
const endsHere = (c: number) => !isAsciiDigit(c) && c !== 45;

/**
 * Where a match of SSN_PATTERN that starts at s ends, or -1: three digits, then either one '-' or ' ' with
 * two digits, the same separator and four digits (the greedy reading, tried first), or two and four digits
 * straight on; then no digit or '-'. A match array per candidate cost more than the shape it checks.
 */
export function ssnMatchEnd(text: string, s: number): number {
  if (!digitsAt(text, s, 3)) return -1;
  const sep = text.charCodeAt(s + 3);
  if ((sep === 45 || sep === 32) && digitsAt(text, s + 4, 2) && text.charCodeAt(s + 6) === sep && digitsAt(text, s + 7, 4) && endsHere(text.charCodeAt(s + 11))) return s + 11;
  if (digitsAt(text, s + 3, 6) && endsHere(text.charCodeAt(s + 9))) return s + 9;
  return -1;
}

export const ssnDetector: Detector = {
  types: ['US_SSN'],
  detect(text, _ctx, index = indexText(text)) {
    const out: Candidate[] = [];
    const runs = index.digits;
    let reach = 0;
    // a match starts at a run of three digits followed by '-' or ' ', or of exactly nine; not after a '-'
    for (let k = 0; k < runs.length; k += 2) {
      const s = runs[k];
      const len = runs[k + 1] - s;
      if (s < reach || !(len === 9 || (len === 3 && isSpaceOrDash(text.charCodeAt(runs[k + 1])))) || text.charCodeAt(s - 1) === 45) continue;
      const end = ssnMatchEnd(text, s);
      if (end < 0) continue;
      reach = end;
      const formatted = end - s === 11;
      const digits = formatted ? text.slice(s, s + 3) + text.slice(s + 4, s + 6) + text.slice(s + 7, end) : text.slice(s, end);
      if (!ssnValid(digits)) continue;
      out.push(candidate('US_SSN', s, end, formatted ? 0.6 : 0.3, undefined, !formatted));
    }
    return out;
  },
};
