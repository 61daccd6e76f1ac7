import type { Candidate, Detector } from '../types.js';
import { before, isAsciiWord, matchesAfter, precededBy } from './util.js';

/**
 * DATE_TIME: ISO dates and timestamps, numeric day/month/year dates and written dates
 * ("March 3, 1985", "3rd of March 1985"), checked for a real month and day. A birth
 * context word ("born", "DOB") before one marks a date of birth with a higher score.
 */
const MONTHS = 'jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?';
const TIME = '(?:[T ]\\d{1,2}:\\d{2}(?::\\d{2}(?:\\.\\d{1,9})?)?(?:\\s?(?:Z|UTC|GMT|[+-]\\d{2}:?\\d{2}|[ap]\\.?m\\.?))?)?';
const ISO = new RegExp(`(\\d{4})-(\\d{2})-(\\d{2})${TIME}(?![\\w-])`, 'g');
const NUMERIC = new RegExp(`(\\d{1,2})([/.-])(\\d{1,2})\\2(\\d{4}|\\d{2})${TIME}(?![\\w/-]|\\.\\d)`, 'g');
const WRITTEN = new RegExp(
  `\\b(?:(?:${MONTHS})\\.?\\s+(\\d{1,2})(?:st|nd|rd|th)?,?\\s+(\\d{4})|(\\d{1,2})(?:st|nd|rd|th)?\\s+(?:of\\s+)?(?:${MONTHS})\\.?,?\\s+(\\d{4}))\\b`,
  'gi',
);

const VERSION_WORDS = ['v', 'version', 'ver', 'release', 'build', 'firmware', 'fw', 'update to', 'upgrade to'];

export const dateTimeDetector: Detector = {
  types: ['DATE_TIME'],
  detect(text, ctx) {
    const out: Candidate[] = [];
    const push = (start: number, end: number, base: number) => {
      const dob = ctx.lang.birthContext.some((w) => before(text, start, 40).includes(w));
      out.push({ type: 'DATE_TIME', start, end, score: dob ? 0.95 : base, subtype: dob ? 'date_of_birth' : undefined, contextDone: dob });
    };
    for (const m of matchesAfter(ISO, text, (c) => isAsciiWord(c) || c === 46 || c === 45)) {
      if (okDate(+m[1], +m[2], +m[3])) push(m.index, m.index + m[0].length, 0.85);
    }
    for (const m of matchesAfter(NUMERIC, text, (c) => isAsciiWord(c) || c === 46 || c === 47 || c === 45)) {
      // "build 8.12.18", "the 7.8.20 release": dotted version numbers, not dates
      if (m[2] === '.' && m[4].length === 2 && (precededBy(text, m.index, VERSION_WORDS) || /^\s+(?:release|build|version)\b/i.test(text.slice(m.index + m[0].length, m.index + m[0].length + 12)))) continue;
      const a = +m[1];
      const b = +m[3];
      const y = m[4].length === 2 ? 1900 + +m[4] : +m[4];
      if (okDate(y, a, b) || okDate(y, b, a)) push(m.index, m.index + m[0].length, m[4].length === 4 ? 0.7 : 0.55);
    }
    for (const m of text.matchAll(WRITTEN)) {
      const day = +(m[1] ?? m[3]);
      const year = +(m[2] ?? m[4]);
      if (day >= 1 && day <= 31 && year >= 1000) push(m.index, m.index + m[0].length, 0.85);
    }
    return out;
  },
};

function okDate(y: number, mo: number, d: number): boolean {
  return y >= 1900 && y <= 2100 && mo >= 1 && mo <= 12 && d >= 1 && d <= 31;
}
