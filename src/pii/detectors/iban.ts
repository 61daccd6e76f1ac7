import { indexText } from '../prepass.js';
import type { Candidate, Detector } from '../types.js';
import { candidate, matchesAtStarts } from './util.js';
import { ibanValid } from '../validators/iban.js';

/**
 * IBAN_CODE: country code, check digits, BBAN in groups of four or compact; country length and mod-97.
 * Sticky, tried two letters before each digit run of the pre-pass that follows two capitals.
 */
const CANDIDATE = /(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?:[ -]?[A-Z0-9]{4}){2,7}(?:[ -]?[A-Z0-9]{1,3})?(?![A-Za-z0-9])/y;
const isCap = (c: number) => c >= 65 && c <= 90;

export const ibanDetector: Detector = {
  types: ['IBAN_CODE'],
  detect(text, _ctx, index = indexText(text)) {
    const out: Candidate[] = [];
    const runs = index.digits;
    const starts: number[] = [];
    for (let k = 0; k < runs.length; k += 2) {
      const s = runs[k];
      if (runs[k + 1] - s >= 2 && isCap(text.charCodeAt(s - 1)) && isCap(text.charCodeAt(s - 2))) starts.push(s - 2);
    }
    for (const m of matchesAtStarts(CANDIDATE, text, starts)) {
      let raw = m[0];
      // a greedy match may swallow a following word; shorten until the country length fits
      for (;;) {
        const compact = raw.replace(/[ -]/g, '');
        if (ibanValid(compact)) {
          out.push(candidate('IBAN_CODE', m.index, m.index + raw.length, 1));
          break;
        }
        const cut = raw.search(/[ -][A-Z0-9]{1,4}$/);
        if (cut < 0) break;
        raw = raw.slice(0, cut);
      }
    }
    return out;
  },
};
