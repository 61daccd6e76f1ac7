import { indexText } from '../prepass.js';
import type { Candidate, Detector } from '../types.js';
import { candidate, digitsValue, isAsciiDigit, isAsciiLetter, isAsciiWord, isRegexSpace, matchesAtStarts, precededBy, spansAtStarts, wordBefore } from './util.js';

/**
 * DATE_TIME: ISO dates and timestamps, numeric day/month/year dates and written dates
 * ("March 3, 1985", "3rd of March 1985", "3-Mar-1985"), checked for a real month and day. A birth
 * context word ("born", "DOB") before one marks a date of birth with a higher score.
 * The patterns are sticky and tried only where the pre-pass found a digit run that can open them.
 */
const MONTHS = 'jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?';
const TIME = '(?:[T ]\\d{1,2}:\\d{2}(?::\\d{2}(?:\\.\\d{1,9})?)?(?:\\s?(?:Z|UTC|GMT|[+-]\\d{2}:?\\d{2}|[aApP]\\.?[mM]\\.?))?)?';
/** "2024-03-14" and, as written in East Asia and in many logs, "2024/03/14". */
const ISO = new RegExp(`(\\d{4})([-/])(\\d{2})\\2(\\d{2})${TIME}(?![\\w-])`, 'y');
const NUMERIC = new RegExp(`(\\d{1,2})([/.-])(\\d{1,2})\\2(\\d{4}|\\d{2})${TIME}(?![\\w/-]|\\.\\d)`, 'y');
const WRITTEN = new RegExp(
  `\\b(?:(?:${MONTHS})\\.?\\s+(\\d{1,2})(?:st|nd|rd|th)?,?\\s+(\\d{4})|(\\d{1,2})(?:st|nd|rd|th)?\\s+(?:of\\s+)?(?:${MONTHS})\\.?,?\\s+(\\d{4})|(\\d{1,2})-(?:${MONTHS})-(\\d{4}))\\b`,
  'iy',
);

const isoBefore = (c: number) => isAsciiWord(c) || c === 46 || c === 45;
const numericBefore = (c: number) => isAsciiWord(c) || c === 46 || c === 47 || c === 45;
const VERSION_WORDS = ['v', 'version', 'ver', 'release', 'build', 'firmware', 'fw', 'update to', 'upgrade to'];

export const dateTimeDetector: Detector = {
  types: ['DATE_TIME'],
  detect(text, ctx, index = indexText(text)) {
    const out: Candidate[] = [];
    const birth = ctx.lang.birthContext;
    const push = (start: number, end: number, base: number) => {
      const dob = wordBefore(text, index, start, 40, birth);
      out.push(candidate('DATE_TIME', start, end, dob ? 0.95 : base, dob ? 'date_of_birth' : undefined, false, dob));
    };
    const { iso, numeric, written } = starts(text, index.digits);
    // year, month and day stand at fixed places from the start ("dddd-dd-dd"): no match array is needed
    const isoSpans = spansAtStarts(ISO, text, iso, isoBefore);
    for (let k = 0; k < isoSpans.length; k += 2) {
      const s = isoSpans[k];
      // "logs/2024/03/14/app.log": a slashed date between two more slashes is part of a path
      if (text.charCodeAt(s + 4) === 47 && (text.charCodeAt(s - 1) === 47 || text.charCodeAt(isoSpans[k + 1]) === 47)) continue;
      if (okDate(digitsValue(text, s, s + 4), digitsValue(text, s + 5, s + 7), digitsValue(text, s + 8, s + 10))) push(s, isoSpans[k + 1], 0.85);
    }
    for (const m of matchesAtStarts(NUMERIC, text, numeric, numericBefore)) {
      // "build 8.12.18", "the 7.8.20 release": dotted version numbers, not dates
      if (m[2] === '.' && m[4].length === 2 && (precededBy(text, m.index, VERSION_WORDS, index) || /^\s+(?:release|build|version)\b/i.test(text.slice(m.index + m[0].length, m.index + m[0].length + 12)))) continue;
      const a = +m[1];
      const b = +m[3];
      const y = m[4].length === 2 ? 1900 + +m[4] : +m[4];
      if (okDate(y, a, b) || okDate(y, b, a)) push(m.index, m.index + m[0].length, m[4].length === 4 ? 0.7 : 0.55);
    }
    for (const m of matchesAtStarts(WRITTEN, text, written)) {
      const day = +(m[1] ?? m[3] ?? m[5]);
      const year = +(m[2] ?? m[4] ?? m[6]);
      if (day >= 1 && day <= 31 && year >= 1000) push(m.index, m.index + m[0].length, 0.85);
    }
    return out;
  },
};

/**
 * Where each pattern can start: ISO at a run of four digits before '-' or '/', numeric dates at a run of one or
 * two before '/', '.' or '-', written dates at a day of one or two digits, or at the word before it
 * ("March 3", "Mar. 3": letters, an optional dot and white space before the day). A written date needs
 * white space, ',' or an ordinal ending ("3rd") right after its day, or '-' and the month ("3-Mar-1985"),
 * and a month name, so a start is kept only when the first three letters of one stand where WRITTEN wants
 * them: at the word itself, or after the day, its ordinal suffix, white space and an optional "of", or '-'.
 */
function starts(text: string, runs: readonly number[]): { iso: number[]; numeric: number[]; written: number[] } {
  const iso: number[] = [];
  const numeric: number[] = [];
  const written: number[] = [];
  for (let k = 0; k < runs.length; k += 2) {
    const s = runs[k];
    const e = runs[k + 1];
    const next = text.charCodeAt(e);
    if (e - s > 2) {
      if (e - s === 4 && (next === 45 || next === 47) && isoShape(text, s)) iso.push(s);
      continue;
    }
    if (next === 47 || next === 46 || next === 45) {
      if (numericShape(text, e)) numeric.push(s);
      // "14-Mar-2024"
      if (next === 45 && monthAt(text, e + 1)) written.push(s);
      continue;
    }
    // the rest looks for a written date, which needs white space, ',' or st/nd/rd/th right after the day
    if (!dayMayEnd(next)) continue;
    let w = s;
    while (w > 0 && isRegexSpace(text.charCodeAt(w - 1))) w--;
    if (w < s) {
      if (text.charCodeAt(w - 1) === 46) w--;
      const end = w;
      // a month name has at most nine letters: a longer word cannot be one (no need to find its start)
      while (w > 0 && end - w <= 9 && isAsciiLetter(text.charCodeAt(w - 1))) w--;
      if (end - w >= 3 && end - w <= 9 && monthAt(text, w)) written.push(w);
    }
    if (monthAfterDay(text, e)) written.push(s);
  }
  return { iso, numeric, written };
}

/**
 * What may follow the day of a written date (either order): white space, ',' or the first letter of
 * st/nd/rd/th in either case (WRITTEN ignores case, and without the u flag nothing outside ASCII folds into it).
 */
function dayMayEnd(c: number): boolean {
  const lower = c | 32;
  return isRegexSpace(c) || c === 44 || lower === 115 || lower === 110 || lower === 114 || lower === 116;
}

/** "dddd-dd-dd" or "dddd/dd/dd" from s on: the characters ISO needs before its optional time (checked before running it). */
function isoShape(text: string, s: number): boolean {
  const sep = text.charCodeAt(s + 4);
  return isAsciiDigit(text.charCodeAt(s + 5)) && isAsciiDigit(text.charCodeAt(s + 6)) && text.charCodeAt(s + 7) === sep && isAsciiDigit(text.charCodeAt(s + 8)) && isAsciiDigit(text.charCodeAt(s + 9));
}

/**
 * After a day or month that ends at e with a separator: one or two digits, the same separator and a digit,
 * all that NUMERIC needs before its year (checked before running it).
 */
function numericShape(text: string, e: number): boolean {
  const sep = text.charCodeAt(e);
  if (!isAsciiDigit(text.charCodeAt(e + 1))) return false;
  const p = isAsciiDigit(text.charCodeAt(e + 2)) ? e + 3 : e + 2;
  return text.charCodeAt(p) === sep && isAsciiDigit(text.charCodeAt(p + 1));
}

const MONTH_PREFIXES = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
/** The 12 month names by their first three letters (lower case), packed as c0 << 16 | c1 << 8 | c2. */
const MONTH3 = new Set(MONTH_PREFIXES.map((m) => (m.charCodeAt(0) << 16) | (m.charCodeAt(1) << 8) | m.charCodeAt(2)));
/** Bit c - 97 set for the first letter c of a month name: most characters fail this before the set is asked. */
const MONTH_INITIALS = MONTH_PREFIXES.reduce((bits, m) => bits | (1 << (m.charCodeAt(0) - 97)), 0);
/** ASCII letters to lower case (what the i flag folds without the u flag: nothing outside ASCII folds into it). */
const lowerAscii = (c: number) => (c >= 65 && c <= 90 ? c | 32 : c);

/** The first three letters of a month name start at p (any case). */
function monthAt(text: string, p: number): boolean {
  const first = lowerAscii(text.charCodeAt(p));
  if (!(first >= 97 && first <= 122 && ((MONTH_INITIALS >> (first - 97)) & 1) === 1)) return false;
  return MONTH3.has((first << 16) | (lowerAscii(text.charCodeAt(p + 1)) << 8) | lowerAscii(text.charCodeAt(p + 2)));
}

/** After a day ending at p: an optional st/nd/rd/th, white space, an optional "of" and white space, then a month name. */
function monthAfterDay(text: string, p: number): boolean {
  const a = lowerAscii(text.charCodeAt(p));
  const b = lowerAscii(text.charCodeAt(p + 1));
  if ((a === 115 && b === 116) || (a === 110 && b === 100) || (a === 114 && b === 100) || (a === 116 && b === 104)) p += 2;
  if (!isRegexSpace(text.charCodeAt(p))) return false;
  while (isRegexSpace(text.charCodeAt(p))) p++;
  if (monthAt(text, p)) return true;
  if (lowerAscii(text.charCodeAt(p)) !== 111 || lowerAscii(text.charCodeAt(p + 1)) !== 102 || !isRegexSpace(text.charCodeAt(p + 2))) return false;
  p += 2;
  while (isRegexSpace(text.charCodeAt(p))) p++;
  return monthAt(text, p);
}

function okDate(y: number, mo: number, d: number): boolean {
  return y >= 1900 && y <= 2100 && mo >= 1 && mo <= 12 && d >= 1 && d <= 31;
}

/** WRITTEN with the checks that stand before it, for tests: wherever it matches, the check for that start holds. */
export const writtenPrechecks = { WRITTEN, monthAt, monthAfterDay };

/** ISO and NUMERIC with the shapes checked before them, for tests: wherever a pattern matches at a digit run, its shape holds. */
export const numberPrechecks = { ISO, NUMERIC, isoShape, numericShape };

/** Where the detector tries each pattern, and the characters before a start that make it skip one, for tests. */
export const dateStarts = { starts, isoBefore, numericBefore };
