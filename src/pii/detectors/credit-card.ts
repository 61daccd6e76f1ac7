import type { Candidate, Detector } from '../types.js';
import { cardIssuer, luhnValid } from '../validators/luhn.js';
import { indexText } from '../prepass.js';
import { chainDigits } from './util.js';

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
      if (s < reach || (s > 0 && BAD_BEFORE(text.charCodeAt(s - 1))) || chainDigits(text, runs, k, 1, SEP) < 12) continue;
      CANDIDATE.lastIndex = s;
      const m = CANDIDATE.exec(text);
      if (!m) continue;
      reach = s + m[0].length;
      const raw = m[0];
      const seps = raw.replace(/\d/g, '');
      if (seps.length > 0 && new Set(seps).size > 1) continue;
      const digits = raw.replace(/\D/g, '');
      if (/^(\d)\1+$/.test(digits)) continue;
      if (!luhnValid(digits)) continue;
      const issuer = cardIssuer(digits);
      if (!issuer) continue;
      const grouped = seps.length >= 2;
      out.push({ type: 'CREDIT_CARD', start: m.index, end: m.index + raw.length, score: grouped ? 1 : 0.9, subtype: issuer });
    }
    return out;
  },
};
