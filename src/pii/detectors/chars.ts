/**
 * Character classes by code unit, for detectors that walk text with charCodeAt instead of
 * running Unicode regexes over all of it. ASCII is decided inline; other code units are
 * classified once with a Unicode regex and remembered in a table.
 */
const UNKNOWN = 0;
const OTHER = 1;
const LOWER = 2; // a letter that is not upper case (lower, title, modifier, other letters)
const UPPER = 3;
const NUMBER = 4;
const table = new Uint8Array(65536);

function classOf(c: number): number {
  let k = table[c];
  if (k === UNKNOWN) {
    const ch = String.fromCharCode(c);
    k = /\p{Lu}/u.test(ch) ? UPPER : /\p{L}/u.test(ch) ? LOWER : /\p{N}/u.test(ch) ? NUMBER : OTHER;
    table[c] = k;
  }
  return k;
}

/** Upper-case letter (\p{Lu}). */
export function isUpper(c: number): boolean {
  if (c !== c) return false;
  if (c < 128) return c >= 65 && c <= 90;
  return classOf(c) === UPPER;
}

/** Letter (\p{L}). */
export function isLetter(c: number): boolean {
  if (c !== c) return false;
  if (c < 128) return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
  const k = classOf(c);
  return k === UPPER || k === LOWER;
}

/** Letter or number (\p{L} or \p{N}). NaN (outside the text) is neither. */
export function isAlnumU(c: number): boolean {
  if (c < 128) return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
  if (c !== c) return false;
  return classOf(c) >= LOWER;
}
