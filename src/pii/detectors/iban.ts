import { indexText } from '../prepass.js';
import type { Candidate, Detector } from '../types.js';
import { candidate, spansAtStarts } from './util.js';
import { ibanValidSpaced, isIbanSeparator } from '../validators/iban.js';

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
    const spans = spansAtStarts(CANDIDATE, text, starts);
    for (let k = 0; k < spans.length; k += 2) {
      const start = spans[k];
      let end = spans[k + 1];
      // a greedy match may swallow a following word: drop the last group of one to four characters after
      // a space or hyphen until the country length fits (the match holds only capitals, digits and single separators)
      for (;;) {
        if (ibanValidSpaced(text, start, end)) {
          out.push(candidate('IBAN_CODE', start, end, 1));
          break;
        }
        let cut = end - 1;
        while (cut > start && !isIbanSeparator(text.charCodeAt(cut))) cut--;
        if (cut === start || end - cut < 2 || end - cut > 5) break;
        end = cut;
      }
    }
    return out;
  },
};
