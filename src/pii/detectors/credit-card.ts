import type { Candidate, Detector } from '../types.js';
import { cardIssuer, luhnValidIn } from '../validators/luhn.js';
import { indexText } from '../prepass.js';
import { candidate, chainDigits, digitsOnly } from './util.js';

/** CREDIT_CARD: 12-19 digits, optionally grouped by one kind of separator, Luhn-valid, in an issuer range. */
const CANDIDATE = /\d(?:[ -]?\d){11,18}(?![\d-]|[.,]\d)/y;
/** Not after a digit, '.', ',' or '-' (checked in code). */
const BAD_BEFORE = (c: number) => (c >= 48 && c <= 57) || c === 46 || c === 44 || c === 45;
const SEP = (c: number) => c === 32 || c === 45;

export const creditCardDetector: Detector = {
  types: ['CREDIT_CARD'],
  detect(text, _ctx, index = indexText(text)) {
    const out: Candidate[] = [];
    const runs = index.digits;
    let reach = 0;
    // a match starts at a digit run and takes at least 12 digits from runs joined by one ' ' or '-'
    for (let k = 0; k < runs.length; k += 2) {
      const s = runs[k];
      // a run of fewer than 12 must go on after one separator into the next run (the run positions tell
      // whether one character stands between them; one read of the text whether it is a separator)
      const e = runs[k + 1];
      if (e - s < 12 && (k + 2 >= runs.length || runs[k + 2] !== e + 1 || !SEP(text.charCodeAt(e)))) continue;
      if (s < reach || (s > 0 && BAD_BEFORE(text.charCodeAt(s - 1))) || chainDigits(text, runs, k, 1, SEP, 12) < 12) continue;
      CANDIDATE.lastIndex = s;
      if (!CANDIDATE.test(text)) continue;
      const end = CANDIDATE.lastIndex;
      reach = end;
      // one walk over the match: how many separators, and whether they are of one kind
      let seps = 0;
      let sep = 0;
      let mixed = false;
      for (let i = s; i < end; i++) {
        const c = text.charCodeAt(i);
        if (c >= 48 && c <= 57) continue;
        if (sep === 0) sep = c;
        else if (c !== sep) mixed = true;
        seps++;
      }
      if (mixed) continue;
      // the checksum first, read in the text: most candidates fail it and need no string of their digits
      if (!luhnValidIn(text, s, end)) continue;
      const digits = digitsOnly(text.slice(s, end));
      if (sameDigit(digits)) continue;
      const issuer = cardIssuer(digits);
      if (!issuer) continue;
      const grouped = seps >= 2;
      out.push(candidate('CREDIT_CARD', s, end, grouped ? 1 : 0.9, issuer));
    }
    return out;
  },
};

/** Every digit the same ("4444 4444 4444 4444"). */
function sameDigit(digits: string): boolean {
  const d = digits.charCodeAt(0);
  for (let i = 1; i < digits.length; i++) if (digits.charCodeAt(i) !== d) return false;
  return true;
}
