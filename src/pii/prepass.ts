import { isAlnumU, isUpper } from './detectors/chars.js';
import { isAsciiLetter, isAsciiWord, isHex } from './detectors/util.js';
import { disguiseTable } from './disguise.js';
import type { TextIndex } from './types.js';

/**
 * The pre-pass: one walk over the text (charCodeAt, a table for ASCII) that records where
 * each detector could possibly match, so the detectors try their sticky patterns only there
 * instead of each scanning the whole text. It only finds places; every decision stays with
 * the detectors. What is recorded (all positions ascending, UTF-16 offsets):
 * - maximal runs of ASCII digits (numbers of every kind, dates, IPv4, house numbers, IBAN check digits);
 * - '@' (email), ':' (IPv6, MAC), and '-' (MAC) and '.' (Cisco MAC) between two hex digits;
 * - link starts: the letters before '://' and 'www.' (URL);
 * - capitalised word starts (PERSON);
 * - ASCII word starts whose first two characters may open a secret (AKIA, ghp_, xox…, sk_live_, eyJ, wdn_, password=…, login);
 * - whether U+0130 or U+212A (the two characters whose lower case is ASCII) occurs (plainCase, see caselessBefore);
 * - whether a lone surrogate occurs (wellFormed: the scan refuses such text, and learns it here for free);
 * - whether a character occurs that the text's plain form changes (disguised, see disguise.ts).
 */
const DIGIT = 1;
const UPPER = 2;
const AT = 4;
const COLON = 5;
const DASH = 6;
const DOT = 7;
const CLASS = new Uint8Array(128);
for (let c = 48; c <= 57; c++) CLASS[c] = DIGIT;
for (let c = 65; c <= 90; c++) CLASS[c] = UPPER;
CLASS[64] = AT;
CLASS[58] = COLON;
CLASS[45] = DASH;
CLASS[46] = DOT;

/**
 * The first two characters of every secret prefix (both cases of letters for the rules that ignore case):
 * a word start is a secret candidate only when its first two characters are such a pair.
 */
const SECRET_PAIRS = new Uint8Array(128 * 128);
const pair = (a: string, b: string) => {
  SECRET_PAIRS[a.charCodeAt(0) * 128 + b.charCodeAt(0)] = 1;
};
for (const p of ['AK', 'AS', 'AB', 'AC', 'AI', 'gh', 'gi', 'gl', 'xo', 'sk', 'rk', 'pk', 'wh', 'wd', 'np', 'SG', 'SK', 'ey']) pair(p[0], p[1]);
for (const p of ['aw', 'pa', 'pw', 'se', 'ap', 'ac', 'au', 'cl', 'lo']) {
  for (const a of [p[0], p[0].toUpperCase()]) for (const b of [p[1], p[1].toUpperCase()]) pair(a, b);
}

/** The two code units open some secret prefix (exported for tests). */
export const opensSecret = (a: number, b: number): boolean => a < 128 && b < 128 && SECRET_PAIRS[a * 128 + b] === 1;

/** Code units before a capital that keep it from starting a name (a letter or digit, _ @ # / . ' ’ -). */
const NOT_NAME_AFTER = new Uint8Array(128);
for (let c = 0; c < 128; c++) if (isAlnumU(c) || '_@#/.\'-'.includes(String.fromCharCode(c))) NOT_NAME_AFTER[c] = 1;
const notNameStartAfter = (c: number) => (c < 128 ? c >= 0 && NOT_NAME_AFTER[c] === 1 : c === 8217 || isAlnumU(c));

/**
 * The digit runs of the text being indexed, gathered here and copied out at the size they reach: a text
 * holds hundreds of runs, and an array grown by push allocates about three times its final size on the
 * way (the pre-pass was the largest allocator of a scan). Only indexText writes it, from index 0 each time;
 * it lets go of what an unusually large text made it grow to (SCRATCH_KEEP).
 */
const runScratch: number[] = [];
const SCRATCH_KEEP = 1 << 16;

/**
 * Builds the candidate index of a text in one pass. `names` false leaves `caps` empty (only PERSON reads it:
 * a scan that does not look for names need not record where they could start).
 */
export function indexText(text: string, names = true): TextIndex {
  let runEnds = 0;
  const at: number[] = [];
  const colon: number[] = [];
  const dash: number[] = [];
  const dot: number[] = [];
  const link: number[] = [];
  const caps: number[] = [];
  const secret: number[] = [];
  const n = text.length;
  let prev = -1;
  let plainCase = true;
  let wellFormed = true;
  let disguised = false;
  const plain = disguiseTable();
  for (let i = 0; i < n; ) {
    let c = text.charCodeAt(i);
    if (c >= 97 && c <= 122) {
      // a lower-case word (the common case): look at its start, then run through it
      if (!isAsciiWord(prev) && SECRET_PAIRS[c * 128 + text.charCodeAt(i + 1)] === 1) secret.push(i);
      // the rest of the word's ASCII letters, either case: after a letter none of them starts anything
      do c = text.charCodeAt(++i);
      while (isAsciiLetter(c));
      i = lowerWordsAfter(text, i, c, secret);
      prev = text.charCodeAt(i - 1);
      continue;
    }
    if (c === 32) {
      prev = c;
      i++;
      continue;
    }
    if (c >= 128) {
      if (names && isUpper(c) && !notNameStartAfter(prev)) caps.push(i);
      if (c === 0x130 || c === 0x212a) plainCase = false;
      if ((c & 0xf800) === 0xd800 && !pairedSurrogate(text, i, c)) wellFormed = false;
      else if (plain[c] !== 0) disguised = true;
    } else {
      switch (CLASS[c]) {
        case DIGIT: {
          const s = i;
          do c = text.charCodeAt(++i);
          while (c >= 48 && c <= 57);
          runScratch[runEnds++] = s;
          runScratch[runEnds++] = i;
          prev = text.charCodeAt(i - 1);
          continue;
        }
        case UPPER:
          if (names && !notNameStartAfter(prev)) caps.push(i);
          if (!isAsciiWord(prev) && SECRET_PAIRS[c * 128 + text.charCodeAt(i + 1)] === 1) secret.push(i);
          // as above: the letters that follow a letter record nothing
          do c = text.charCodeAt(++i);
          while (isAsciiLetter(c));
          i = lowerWordsAfter(text, i, c, secret);
          prev = text.charCodeAt(i - 1);
          continue;
        case AT:
          at.push(i);
          break;
        case COLON:
          colon.push(i);
          if (text.charCodeAt(i + 1) === 47 && text.charCodeAt(i + 2) === 47) {
            let s = i;
            while (s > 0 && isAsciiLetter(text.charCodeAt(s - 1))) s--;
            if (s < i) link.push(s);
          }
          break;
        case DASH:
          if (isHex(prev) && isHex(text.charCodeAt(i + 1))) dash.push(i);
          break;
        case DOT:
          if (isHex(prev) && isHex(text.charCodeAt(i + 1))) dot.push(i);
          else if (i >= 3 && (prev | 32) === 119 && (text.charCodeAt(i - 2) | 32) === 119 && (text.charCodeAt(i - 3) | 32) === 119) link.push(i - 3);
          break;
      }
    }
    prev = c;
    i++;
  }
  const digits = runScratch.slice(0, runEnds);
  if (runScratch.length > SCRATCH_KEEP) runScratch.length = 0;
  return { digits, at, colon, dash, dot, link, caps, secret, plainCase, wellFormed, disguised };
}

/**
 * The surrogate c at i has its other half: a high one (D800-DBFF) the low one right after it, a low one
 * the high one right before it. Every non-ASCII code unit reaches the main loop of indexText (the inner
 * loops only pass over ASCII), so testing each surrogate there finds what isWellFormed finds.
 */
function pairedSurrogate(text: string, i: number, c: number): boolean {
  const other = c < 0xdc00 ? text.charCodeAt(i + 1) : text.charCodeAt(i - 1);
  return (other & 0xfc00) === (c < 0xdc00 ? 0xdc00 : 0xd800);
}

/**
 * After a word that ends at i: the stretch of ' ' + lower-case ASCII word pairs that follows it (the bulk of
 * prose), taken in one loop instead of once round the main loop per space and per word. Each such word
 * starts after a space, so it records just what the main loop would: a secret opening when its first two
 * characters are a secret pair. Returns where the stretch ends (i itself when no such pair follows).
 */
function lowerWordsAfter(text: string, i: number, c: number, secret: number[]): number {
  while (c === 32) {
    const d = text.charCodeAt(i + 1);
    if (!(d >= 97 && d <= 122)) break;
    if (SECRET_PAIRS[d * 128 + text.charCodeAt(i + 2)] === 1) secret.push(i + 1);
    i += 2;
    do c = text.charCodeAt(i++);
    while (isAsciiLetter(c));
    i--;
  }
  return i;
}

