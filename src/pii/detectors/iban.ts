import type { Candidate, Detector } from '../types.js';
import { ibanValid } from '../validators/iban.js';

/** IBAN_CODE: country code, check digits, BBAN in groups of four or compact; country length and mod-97. */
const CANDIDATE = /(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?:[ -]?[A-Z0-9]{4}){2,7}(?:[ -]?[A-Z0-9]{1,3})?(?![A-Za-z0-9])/g;

export const ibanDetector: Detector = {
  types: ['IBAN_CODE'],
  detect(text) {
    const out: Candidate[] = [];
    for (const m of text.matchAll(CANDIDATE)) {
      let raw = m[0];
      // a greedy match may swallow a following word; shorten until the country length fits
      for (;;) {
        const compact = raw.replace(/[ -]/g, '');
        if (ibanValid(compact)) {
          out.push({ type: 'IBAN_CODE', start: m.index, end: m.index + raw.length, score: 1 });
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
