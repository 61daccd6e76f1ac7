import type { Candidate, EntityType, TextIndex } from '../types.js';

/** Small text helpers shared by the detectors of this folder. */

/**
 * A candidate, always with the same fields in the same order: every detector's candidates then share
 * one object shape, so the code that scores, resolves and reports them reads each field one way.
 */
export function candidate(type: EntityType, start: number, end: number, score: number, subtype?: string, needsContext = false, contextDone = false): Candidate {
  return { type, start, end, score, subtype, needsContext, contextDone };
}

/** True when the code unit at i is a letter or digit (ASCII or not) or underscore. */
export function isWordChar(text: string, i: number): boolean {
  if (i < 0 || i >= text.length) return false;
  const c = text.charCodeAt(i);
  if ((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95) return true;
  return c > 127 && /[\p{L}\p{N}]/u.test(text[i]);
}

/** Lower-cased text of up to `chars` characters before `start` (the context window). */
export function before(text: string, start: number, chars = 48): string {
  return text.slice(Math.max(0, start - chars), start).toLowerCase();
}

/** Lower-cased text of up to `chars` characters after `end`. */
export function after(text: string, end: number, chars = 24): string {
  return text.slice(end, end + chars).toLowerCase();
}

/** Strips trailing sentence punctuation a greedy match swallowed (and unbalanced closing brackets). */
export function trimTrailing(s: string): string {
  let out = s;
  for (;;) {
    const last = out[out.length - 1];
    if (last === undefined) return out;
    if ('.,;:!?\'"'.includes(last)) out = out.slice(0, -1);
    else if (last === ')' && count(out, '(') < count(out, ')')) out = out.slice(0, -1);
    else if (last === ']' && count(out, '[') < count(out, ']')) out = out.slice(0, -1);
    else return out;
  }
}

function count(s: string, ch: string): number {
  let n = 0;
  for (let i = s.indexOf(ch); i >= 0; i = s.indexOf(ch, i + 1)) n++;
  return n;
}

/**
 * True when one of the words ends right before `start` (the last ~24 chars), e.g. 'version', 'order #'.
 * With the scan's index one case-insensitive pattern per word list decides (the same thing, see endsWithWord).
 */
export function precededBy(text: string, start: number, words: readonly string[], index?: TextIndex): boolean {
  if (index) {
    const re = endsWithWord(words);
    if (re) return re.test(caselessBefore(text, index, start, 24));
  }
  const w = before(text, start, 24).replace(/[#:\s-]+$/, '');
  return words.some((x) => {
    const word = x.trim();
    return w.endsWith(word) && !/[a-z0-9]/.test(w[w.length - word.length - 1] ?? '');
  });
}

const endsWithWords = new WeakMap<readonly string[], RegExp | null>();
/**
 * precededBy as one case-insensitive pattern for caselessBefore windows: a word at the start or after a
 * character that is no letter or digit, then only '#', ':', '-' or white space to the end. The same as
 * stripping that tail and testing endsWith, as long as every word is lower-case ASCII, not empty, and does
 * not end with one of those characters; for other lists there is no pattern (null).
 */
function endsWithWord(words: readonly string[]): RegExp | null {
  let re = endsWithWords.get(words);
  if (re === undefined) {
    const trimmed = words.map((w) => w.trim());
    re = lowerAsciiWords(trimmed) && trimmed.every((w) => w !== '' && !/[#:\s-]$/.test(w))
      ? new RegExp(`(?:^|[^a-z0-9])(?:${trimmed.map(escapeRe).join('|')})[#:\\s-]*$`, 'i')
      : null;
    endsWithWords.set(words, re);
  }
  return re;
}

/**
 * The ASCII digits of s in order: s.replace(/\D+/g, '') without a pattern (a replace runs the engine once
 * per gap between digits, and the candidates that need this are mostly short groups of digits). Whole
 * runs of digits are joined, not one digit at a time: a grouped number costs a string per group instead
 * of one per digit, and s itself is returned when it is all digits.
 */
export function digitsOnly(s: string): string {
  let out = '';
  let from = -1;
  for (let i = 0; i < s.length; i++) {
    if (isAsciiDigit(s.charCodeAt(i))) {
      if (from < 0) from = i;
    } else if (from >= 0) {
      out += s.slice(from, i);
      from = -1;
    }
  }
  if (from < 0) return out;
  return from === 0 ? s : out + s.slice(from);
}

/** ASCII digit. */
export const isAsciiDigit = (c: number) => c >= 48 && c <= 57;

/** ASCII letter (NaN, past the end of a text, is none). */
export const isAsciiLetter = (c: number) => ((c | 32) - 97) >>> 0 < 26;

/** ASCII word character (letter, digit, underscore). */
export const isAsciiWord = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;

/** Start of the run of characters `inRun` accepts that ends right before `i`, or -1 when it is longer than `max`. */
export function runStart(text: string, i: number, inRun: (c: number) => boolean, max: number): number {
  let s = i;
  while (s > 0 && inRun(text.charCodeAt(s - 1))) if (i - --s > max) return -1;
  return s;
}

/** ASCII hexadecimal digit. */
export const isHex = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);

/**
 * Matches of a sticky regex tried only where a trigger the pre-pass recorded (positions ascending) points to:
 * for each trigger at or after the end of the last match, `startFor` names the one start a match through
 * it could have. Matches do not overlap; a start after a character `badBefore` accepts is skipped.
 * (An array, not a generator: resuming a generator per match costs more than the match.)
 */
export function triggeredAt(
  re: RegExp,
  text: string,
  triggers: readonly number[],
  startFor: (i: number) => number,
  badBefore: (c: number) => boolean,
): RegExpExecArray[] {
  const out: RegExpExecArray[] = [];
  let reach = 0;
  for (let k = 0; k < triggers.length; k++) {
    const i = triggers[k];
    if (i < reach) continue;
    const s = startFor(i);
    if (s < reach || (s > 0 && badBefore(text.charCodeAt(s - 1)))) continue;
    re.lastIndex = s;
    const m = re.exec(text);
    if (!m) continue;
    reach = s + m[0].length;
    out.push(m);
  }
  return out;
}

/**
 * The matches a global scan of `re` would report (non-overlapping, a start after a character `badBefore`
 * accepts skipped), found by trying the sticky `re` only at `starts` (ascending): exact whenever every
 * position a match could start at is among them.
 */
export function matchesAtStarts(re: RegExp, text: string, starts: readonly number[], badBefore?: (c: number) => boolean): RegExpExecArray[] {
  const out: RegExpExecArray[] = [];
  let reach = 0;
  for (let k = 0; k < starts.length; k++) {
    const s = starts[k];
    if (s < reach || (badBefore && s > 0 && badBefore(text.charCodeAt(s - 1)))) continue;
    re.lastIndex = s;
    const m = re.exec(text);
    if (!m) continue;
    reach = s + m[0].length;
    out.push(m);
  }
  return out;
}

/**
 * matchesAtStarts for callers that only need where each match is: the same matches as pairs start, end,
 * found with test() and the sticky pattern's lastIndex, so no match array (nor string) is built per match.
 */
export function spansAtStarts(re: RegExp, text: string, starts: readonly number[], badBefore?: (c: number) => boolean): number[] {
  const out: number[] = [];
  let reach = 0;
  for (let k = 0; k < starts.length; k++) {
    const s = starts[k];
    if (s < reach || (badBefore && s > 0 && badBefore(text.charCodeAt(s - 1)))) continue;
    re.lastIndex = s;
    if (!re.test(text)) continue;
    reach = re.lastIndex;
    out.push(s, reach);
  }
  return out;
}

/** The value of the ASCII digits text[from, to) (callers know they are digits). */
export function digitsValue(text: string, from: number, to: number): number {
  let v = 0;
  for (let i = from; i < to; i++) v = v * 10 + text.charCodeAt(i) - 48;
  return v;
}

/**
 * Digits in the chain of digit runs from run `k` (an index into TextIndex.digits pairs) on, runs joined by 1..`gap` characters `sep` accepts,
 * counted up to `enough` (the count stops there: callers only compare it with a threshold).
 */
export function chainDigits(text: string, runs: readonly number[], k: number, gap: number, sep: (c: number) => boolean, enough = Infinity): number {
  let total = runs[k + 1] - runs[k];
  for (let q = k + 2; q < runs.length && total < enough; q += 2) {
    const from = runs[q - 1];
    const to = runs[q];
    if (to - from > gap) break;
    let ok = true;
    for (let x = from; x < to; x++) if (!sep(text.charCodeAt(x))) ok = false;
    if (!ok) break;
    total += runs[q + 1] - to;
  }
  return total;
}

/**
 * The text lower-cased once per scan and kept on its index, or null when lower-casing changes the
 * length (U+0130 'İ' becomes two code units): then offsets into it would not line up with the text.
 */
export function lowerText(text: string, index: TextIndex): string | null {
  let lower = index.lower;
  if (lower === undefined) {
    lower = text.toLowerCase();
    if (lower.length !== text.length) lower = null;
    index.lower = lower;
  }
  return lower;
}

/**
 * The lower-cased text of up to `chars` code units before `start`: a slice of the shared lower-cased
 * text (no copy per call). Only ASCII words are ever looked for in it, and those come out the same
 * as lower-casing the slice alone.
 */
export function lowerBefore(text: string, index: TextIndex, start: number, chars: number): string {
  const from = start > chars ? start - chars : 0;
  const lower = lowerText(text, index);
  return lower === null ? text.slice(from, start).toLowerCase() : lower.slice(from, start);
}

/** The two code units whose lower case is ASCII: U+0130 'İ' ("i̇") and U+212A KELVIN SIGN ("k"). */
const FOLDS_TO_ASCII = /[\u0130\u212a]/;

/**
 * The up to `chars` code units before `start`, for a case-insensitive pattern of lower-case ASCII words.
 * Such a pattern finds in the plain text exactly what it finds in the lower-cased text: without the u flag
 * nothing outside ASCII folds into ASCII, and the only characters whose lower case is ASCII are U+0130
 * and U+212A. So the window is a plain slice (no copy), unless the text holds one of those two: then it
 * is a slice of the lower-cased text.
 */
export function caselessBefore(text: string, index: TextIndex, start: number, chars: number): string {
  if ((index.plainCase ??= !FOLDS_TO_ASCII.test(text))) return text.slice(start > chars ? start - chars : 0, start);
  return lowerBefore(text, index, start, chars);
}

/** Every word is lower-case ASCII (what caselessBefore's patterns must be made of). */
export const lowerAsciiWords = (words: readonly string[]) => words.every((w) => /^[\x00-\x40\x5b-\x7f]*$/.test(w));

/**
 * Every character of every word is lower-case ASCII or has no case at all (’ “): such a character
 * matches only itself with the i flag and is only itself in lower-cased text, so caselessBefore's
 * reasoning holds for these words too.
 */
export const caselessWords = (words: readonly string[]) =>
  words.every((w) => {
    for (const ch of w) {
      const c = ch.charCodeAt(0);
      if (c < 128 ? c >= 65 && c <= 90 : ch.toLowerCase() !== ch || ch.toUpperCase() !== ch) return false;
    }
    return true;
  });

/** The up to `chars` code units from `end` on, for the same patterns as caselessBefore. */
export function caselessAfter(text: string, index: TextIndex, end: number, chars: number): string {
  if ((index.plainCase ??= !FOLDS_TO_ASCII.test(text))) return text.slice(end, end + chars);
  const lower = lowerText(text, index);
  return lower === null ? text.slice(end, end + chars).toLowerCase() : lower.slice(end, end + chars);
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const anyWords = new WeakMap<readonly string[], RegExp | null>();
/**
 * Some word of the list is in the lower-cased `chars` code units before `start` (words.some(includes)):
 * one case-insensitive pattern over a caselessBefore window when the words are lower-case ASCII.
 */
export function wordBefore(text: string, index: TextIndex, start: number, chars: number, words: readonly string[]): boolean {
  let re = anyWords.get(words);
  if (re === undefined) {
    re = lowerAsciiWords(words) ? (words.length ? new RegExp(words.map(escapeRe).join('|'), 'i') : /(?!)/) : null;
    anyWords.set(words, re);
  }
  if (re) return re.test(caselessBefore(text, index, start, chars));
  const w = lowerBefore(text, index, start, chars);
  return words.some((x) => w.includes(x));
}

/** What \s matches in a JavaScript regex. */
export function isRegexSpace(c: number): boolean {
  if (c < 128) return c === 32 || (c >= 9 && c <= 13);
  return c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}
