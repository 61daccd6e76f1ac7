import type { Candidate, Detector } from '../types.js';
import { cardIssuer, luhnValid } from '../validators/luhn.js';
import { matchesAfter } from './util.js';

/** CREDIT_CARD: 12-19 digits, optionally grouped by one kind of separator, Luhn-valid, in an issuer range. */
const CANDIDATE = /\d(?:[ -]?\d){11,18}(?![\d-]|[.,]\d)/g;
/** Not after a digit, '.', ',' or '-' (checked in code: a leading lookbehind keeps V8 from scanning fast to the next digit). */
const BAD_BEFORE = (c: number) => (c >= 48 && c <= 57) || c === 46 || c === 44 || c === 45;

export const creditCardDetector: Detector = {
  types: ['CREDIT_CARD'],
  detect(text) {
    const out: Candidate[] = [];
    for (const m of matchesAfter(CANDIDATE, text, BAD_BEFORE)) {
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
