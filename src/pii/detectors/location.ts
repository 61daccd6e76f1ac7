import { indexText } from '../prepass.js';
import type { Candidate, Detector } from '../types.js';
import { isAlnumU, isLetter, isUpper } from './chars.js';
import { EU_GLUED, EU_OPENERS, US_SUFFIXES } from './street-words.js';
import { candidate, isAsciiDigit, isAsciiLetter, isRegexSpace } from './util.js';

/**
 * LOCATION (street addresses): "1234 Elm Street, Apt 5, Springfield, IL 62704" (US style),
 * "Hauptstraße 12, 10115 Berlin", "Am Ehrenfriedhof 59, 12345 Ort", "Kerklaan 7 II, 1234 AB Dorp"
 * and "12 rue de la Paix, 75002 Paris" (European styles). The patterns only run where a house
 * number (a digit run of the pre-pass) stands next to a word, never over the whole text, and only
 * after checks on a few characters that every match needs (streetMayFollow, gluedMay, openerWordAt)
 * have passed. City names alone are not reported: too ambiguous without a gazetteer of places.
 */
/**
 * A capitalised word: an upper-case letter, then letters, ' ’ . or - ("O'Neil", "Saint-Paul"). The same as
 * \p{Lu}[\p{L}'’.-]* (the tests compare the two), written so that runs of ASCII letters go through a loop of one
 * fixed-width class ([A-Za-z]*), which the engine runs without a backtracking entry per character; the
 * plain class, which can match a surrogate pair under the u flag, costs several times as much per letter.
 * It accepts the same words and tries their lengths in the same order (longest first): the rest of the
 * class ([^\P{L}A-Za-z] — the other letters — and ' ’ . -) holds no ASCII letter, so every prefix of a
 * word splits between the two loops one way only. For the same reason the first letter is tried as
 * [A-Z] before the other upper-case letters ([^\P{Lu}A-Z]: one character either way, no overlap).
 */
const CAP = "(?:[A-Z]|[^\\P{Lu}A-Z])[A-Za-z]*(?:(?:[^\\P{L}A-Za-z]|['’.-])[A-Za-z]*)*";
const alt = (ws: readonly string[]) => ws.map((w) => w.replace(/\./g, '\\.')).sort((a, b) => b.length - a.length).join('|');
/** "Apt 5", "Suite 3400", "# 12", and up to one more: "Suite 500, 10th Floor". */
const UNIT = '(?:,?\\s+(?:(?:Apt\\.?|Apartment|Suite|Ste\\.?|Unit|Floor|Fl\\.?|#)\\s*[\\w-]+|\\d{1,3}(?:st|nd|rd|th)\\s+(?:Floor|Fl\\.?))){0,2}';
/** A capitalised word of a city or state that ends where its word ends ("London", never the "SW" of "SW1A"). */
const TAIL_WORD = `${CAP}(?![\\p{L}\\p{N}])`;
/** A UK postcode after the town: "SW1A 2AA", "M1 1AE", "EC1A 1BB". */
const UK_POSTCODE = '[A-Z]{1,2}\\d[A-Z\\d]?\\s?\\d[A-Z]{2}(?![\\p{L}\\p{N}])';
/** A Canadian postal code after the province: "M5H 2N2". */
const CA_POSTCODE = '[A-Z]\\d[A-Z]\\s?\\d[A-Z]\\d(?![\\p{L}\\p{N}])';
const US_TAIL = `(?:,\\s*${TAIL_WORD}(?:\\s${TAIL_WORD}){0,2}(?:,\\s*[A-Z]{2}(?![\\p{L}\\p{N}])|,\\s*${TAIL_WORD}(?:\\s${TAIL_WORD})?)?(?:,?\\s+\\d{5}(?:-\\d{4})?|,?\\s+${UK_POSTCODE}|,?\\s+${CA_POSTCODE})?)?`;
const PARTICLES = "du de des la le les d' l' dem del della dei da do dos das di y van von der den het am an im in zum zur auf op aan bei ob".split(' ');
const initialEitherCase = (w: string) => `[${w[0].toUpperCase()}${w[0]}]${w.slice(1).replace(/\./g, '\\.')}`;
const PARTICLE = `(?:${PARTICLES.map(initialEitherCase).join('|')})`;
/** ", Springfield, IL 62704": city, state and ZIP code make a number and a name an address even without a suffix. */
const US_STRICT_TAIL = `,\\s*${CAP}(?:\\s${CAP}){0,2},\\s*[A-Z]{2}\\s+\\d{5}(?:-\\d{4})?(?!\\d)`;
const CITY = `${CAP}(?:[\\s-]${CAP}){0,2}(?:\\s${PARTICLE}(?:\\s${PARTICLE})?\\s${CAP})?(?:\\s\\(${CAP}(?:\\s${CAP})?\\))?`;
/**
 * ", 10115 Berlin", ", D-10115 Berlin", ", 1234 AB Dorp": a postcode before the city; also the Polish
 * ", 00-590 Warszawa", the Portuguese ", 1100-053 Lisboa" and the Swedish, Czech, Slovak and Greek ", 111 21 Stockholm".
 */
const EU_TAIL = `,\\s*(?:[A-Z]{1,2}-)?(?:\\d{4,5}(?:\\s?[A-Z]{2}(?![\\p{L}]))?|\\d{4}-\\d{3}|\\d{2}-\\d{3}|\\d{3}\\s\\d{2})\\s+${CITY}`;
const OPENER = `(?:${EU_OPENERS.map(initialEitherCase).join('|')})`;

/** A direction after the street's suffix: "Pennsylvania Ave NW", "Queen Street West". */
const DIRECTION = 'Northwest|Northeast|Southwest|Southeast|North|South|East|West|NW|NE|SW|SE|N|S|E|W';

/** Number first: US "742 Evergreen Terrace …", European "12 rue de la Paix, 75002 Paris". */
const NUMBER_FIRST = new RegExp(
  `\\d{1,6}[A-Za-z]?(?:\\s?(?:bis|ter))?,?\\s+(?:` +
    `((?:[NSEW]\\.?\\s+)?(?:(?:${CAP}|\\d{1,3}(?:st|nd|rd|th))\\s+){1,4}(?:${alt(US_SUFFIXES)})\\.?(?:\\s(?:${DIRECTION})\\.?)?(?![\\p{L}])${UNIT}${US_TAIL})` +
    `|((?:[NSEW]\\.?\\s+)?${CAP}(?:\\s+${CAP}){0,3}${US_STRICT_TAIL})` +
    `|(${OPENER}\\s+(?:${PARTICLE}\\s*)*${CAP}(?:\\s+(?:${PARTICLE}\\s*)*${CAP}){0,3}(?:${EU_TAIL})?)` +
    `)`,
  'uy',
);
/** Number after: "Hauptstraße 12", "Am Ehrenfriedhof 59", "via Roma 3"; group 1 the street, 2 the postcode tail. */
const NUMBER_AFTER = new RegExp(
  `((?:${PARTICLE}\\s+(?:\\p{Ll}+\\s+)?){0,2}${CAP}(?:[\\s-](?:${PARTICLE}\\s+)*${CAP}){0,3})\\s+\\d{1,4}[a-zA-Z]?(?:\\s?[-/]\\s?\\d{1,4}[a-z]?)?(?:\\s(?:I{1,3}|IV|hs|bis)(?![\\p{L}]))?(${EU_TAIL})?`,
  'uy',
);
/*
 * The next four have no \p class, no case folding and no character outside the BMP, and can only match at
 * the start or after white space (never inside a surrogate pair): the u flag changes nothing for them
 * and only slows them down, so they go without it.
 */
const CAP_PARTICLE_INSIDE = new RegExp(`\\s(?:${PARTICLES.map((w) => w[0].toUpperCase() + w.slice(1)).join('|')})\\s`);
/** After the house number: an optional letter or floor ("12a", "7 II"), then ", 10115" (a postcode: EU_TAIL's, as far as it tells them apart). */
const TAIL_AHEAD = /^[a-zA-Z]?(?:\s?[-/]\s?\d{1,4}[a-z]?)?(?:\s(?:I{1,3}|IV|hs|bis))?,\s*(?:[A-Z]{1,2}-)?(?:\d{4}|\d{2}-\d{3}|\d{3}\s\d{2})/;
/** An opener word ("rue", "Via") or a Dutch name particle ("van der Bergweg") and white space: a street may open here. */
const OPENS_STREET = new RegExp(`^(?:${OPENER}|van|de|het|ten|ter)\\s`);
const OPENER_NEAR = new RegExp(`(?:^|\\s)${OPENER}\\s`);
const GLUED = new RegExp(`(?:${alt(EU_GLUED)})$`, 'iu');
const OPENS = new RegExp(`^(?:${PARTICLE}\\s+)*${OPENER}\\s`);
/** "Görlitzer-Str.": a capitalised word joined to "Str". */
const HYPHEN_STR = /^\p{Lu}[\p{L}-]*-Str\.?$/u;

export const locationDetector: Detector = {
  types: ['LOCATION'],
  detect(text, _ctx, index = indexText(text)) {
    const out: Candidate[] = [];
    let reach = 0;
    const runs = index.digits;
    for (let k = 0; k < runs.length; k += 2) {
      const i = runs[k];
      const j = runs[k + 1];
      if (i < reach || j - i > 6) continue;
      const prev = text.charCodeAt(i - 1);
      if (isWordLike(prev) || prev === 46 || prev === 45 || prev === 47 || prev === 58 || prev === 36) continue;
      // NUMBER_AFTER takes at most four digits: a longer run cannot end its match
      const found = numberFirst(text, i, j) ?? (j - i <= 4 ? numberAfter(text, i, j) : null);
      if (found) {
        out.push(found);
        reach = found.end;
      }
    }
    return out;
  },
};

function numberFirst(text: string, i: number, j: number): Candidate | null {
  // right after the number: white space, ',' or a letter ("12a", "12bis"), as streetMayFollow needs; most
  // numbers are followed by something else ("-", ".", ":"), and this spares them the walk below
  const next = text.charCodeAt(j);
  if (!(isRegexSpace(next) || next === 44 || isAsciiLetter(next))) return null;
  // a capitalised word (or a lower-case opener like "rue") must follow the number
  let k = j;
  while (k < text.length && k - j < 6 && !isSpace(text.charCodeAt(k))) k++;
  if (k >= text.length || !isSpace(text.charCodeAt(k))) return null;
  if (!streetMayFollow(text, j)) return null;
  NUMBER_FIRST.lastIndex = i;
  const m = NUMBER_FIRST.exec(text);
  if (!m) return null;
  const end = trimmedEnd(text, i, i + m[0].length);
  const zip = m[1] || m[2] ? /\d{5}(?:-\d{4})?$/.test(text.slice(i, end)) : /\d{4,5}/.test(text.slice(j, end));
  return candidate('LOCATION', i, end, zip ? 0.85 : 0.7, 'street_address');
}

function numberAfter(text: string, i: number, j: number): Candidate | null {
  const before = text.charCodeAt(i - 2);
  if (text.charCodeAt(i - 1) !== 32 || !(isWordLike(before) || before === 46)) return null;
  // a street name holds no digit or '_', and nothing but "-" or "/" joins two numbers in a match: the
  // number after "1234 " or "x_ " (card and phone groups) starts no street address
  if (isAsciiDigit(before) || before === 95) return null;
  // every street NUMBER_AFTER can match here ends with a capitalised word right before the number's space
  if (!capitalisedBefore(text, i - 1)) return null;
  // cheap trigger before the walk back: a street word right before the number, or a postcode tail after it
  // text.lastIndexOf(' ', i - 2) + 1 as a loop (the built-in is a runtime call, dear for a word or two)
  let w0 = i - 2;
  while (w0 >= 0 && text.charCodeAt(w0) !== 32) w0--;
  w0++;
  // each test runs its pattern only when the characters it needs are there
  const glued = gluedMay(text, w0, i - 1) && GLUED.test(text.slice(w0, i - 1));
  if (!glued && !(commaWithin(text, j, 14) && TAIL_AHEAD.test(text.slice(j, j + 14))) && !strAbbrev(text, w0, i - 1) && !OPENER_NEAR.test(text.slice(Math.max(0, i - 40), i))) return null;
  // word starts up to four words back on the same line, farthest first
  const starts: number[] = [];
  let p = i - 1;
  while (starts.length < 6 && p > 0) {
    let q = p;
    while (q > 0 && !isSpace(text.charCodeAt(q - 1)) && text[q - 1] !== ',' && text[q - 1] !== '(') q--;
    if (q === p) break;
    starts.push(q);
    if (q === 0 || text[q - 1] !== ' ') break;
    p = q - 1;
  }
  for (let s = starts.length - 1; s >= 0; s--) {
    const at = starts[s];
    // a street name opens with a capital ("Am", "Hauptstraße"), an opener word ("via", "rue") or a Dutch name particle ("van der Bergweg")
    if (!isUpper(text.charCodeAt(at)) && !OPENS_STREET.test(text.slice(at, i))) continue;
    NUMBER_AFTER.lastIndex = at;
    const m = NUMBER_AFTER.exec(text);
    if (!m || at + m[0].length < j) continue;
    // "Lieferung an Am Ehrenfriedhof 59": a capitalised particle inside starts the street anew
    if (CAP_PARTICLE_INSIDE.test(m[1])) continue;
    const street = m[1];
    const lastWord = street.slice(street.search(/\S+$/));
    const streety = GLUED.test(lastWord) || HYPHEN_STR.test(lastWord) || OPENS.test(street + ' ');
    // without a street word only a real-looking postcode tail makes it an address ("Windows 11, 2024 Edition" is not)
    if (!streety && (!m[2] || yearLike(m[2]))) continue;
    const end = trimmedEnd(text, at, at + m[0].length);
    return candidate('LOCATION', at, end, m[2] ? 0.85 : 0.7, 'street_address');
  }
  return null;
}

/**
 * A capitalised word of NUMBER_AFTER (CAP: an upper-case letter, then letters, ' ’ . or -) can end at `end`:
 * walking back from there over those characters reaches an upper-case letter. The street of a match that
 * reaches a house number at end + 1 always ends with one (the number's space follows a word character or
 * '.', so nothing else stands between them). A surrogate (a letter outside the BMP, maybe) is left to the pattern.
 */
function capitalisedBefore(text: string, end: number): boolean {
  for (let p = end - 1; p >= 0; p--) {
    const c = text.charCodeAt(p);
    if (c >= 97 && c <= 122) continue; // most of the word: lower-case ASCII
    if (isUpper(c) || (c >= 0xd800 && c <= 0xdfff)) return true;
    if (!(isLetter(c) || c === 39 || c === 8217 || c === 46 || c === 45)) return false;
  }
  return false;
}

/** A bare 4-digit "postcode" that reads as a year (19xx, 20xx, or 20xx-nnn, a numbered item of a year) proves nothing. */
const yearLike = (tail: string) => /^,\s*(?:19|20)\d\d(?:\s+(?![A-Z]{2}\s)|-)/.test(tail);
/**
 * The end of text[from, to) without the white space, ',' and '.' a match took last (what
 * .replace(/[\s,.]+$/, '') strips, found from the end instead of by a pattern tried at every position).
 */
function trimmedEnd(text: string, from: number, to: number): number {
  let end = to;
  while (end > from) {
    const c = text.charCodeAt(end - 1);
    if (!(isRegexSpace(c) || c === 44 || c === 46)) break;
    end--;
  }
  return end;
}
const isSpace = (c: number) => c === 32 || c === 9 || c === 10 || c === 13 || c === 160;
function isWordLike(c: number): boolean {
  if (c !== c) return false;
  if ((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95) return true;
  // outside ASCII: a letter or number (\p{L}, \p{N}), from the per-code-unit table of chars.ts
  return c > 127 && isAlnumU(c);
}

/** Openers by their first letter (lower-case code) and length: the rest of the word ("ue" for "rue"). */
const OPENER_RESTS = new Map<number, string[]>();
const openerKey = (first: number, length: number) => first * 64 + length;
for (const w of EU_OPENERS) {
  const key = openerKey(w.charCodeAt(0), w.length);
  OPENER_RESTS.set(key, [...(OPENER_RESTS.get(key) ?? []), w.slice(1)]);
}
const MAX_OPENER = Math.max(...EU_OPENERS.map((w) => w.length));
/** Bit `length` set at the ASCII code of a first letter: some opener starts with it and has that length. */
const OPENER_SHAPES = new Uint16Array(128);
for (const w of EU_OPENERS) OPENER_SHAPES[w.charCodeAt(0)] |= 1 << w.length;

/** The word text[p, q) is an opener, its first letter in either case (as OPENER has it). */
function isOpener(text: string, p: number, q: number): boolean {
  if (q - p > MAX_OPENER) return false;
  let c = text.charCodeAt(p);
  if (c >= 65 && c <= 90) c |= 32;
  if (!(c < 128 && (OPENER_SHAPES[c] & (1 << (q - p))) !== 0)) return false;
  const rests = OPENER_RESTS.get(openerKey(c, q - p));
  if (!rests) return false;
  for (const r of rests) if (text.startsWith(r, p + 1)) return true;
  return false;
}

/** An opener word starts at p and white space follows it before `limit`. */
function openerWordAt(text: string, p: number, limit: number): boolean {
  // most words start with a letter no opener starts with (| 32 lower-cases A-Z and leaves other ASCII outside a-z)
  const first = text.charCodeAt(p) | 32;
  if (!(first < 128 && OPENER_SHAPES[first] !== 0)) return false;
  let q = p;
  while (q < limit && q - p <= MAX_OPENER && !isRegexSpace(text.charCodeAt(q))) q++;
  return q < limit && isRegexSpace(text.charCodeAt(q)) && isOpener(text, p, q);
}

/** "bis" or "ter" starts at p (compared by code, not startsWith: this runs for most house-number candidates). */
function bisTer(text: string, p: number): boolean {
  const c = text.charCodeAt(p);
  if (c === 98) return text.charCodeAt(p + 1) === 105 && text.charCodeAt(p + 2) === 115;
  return c === 116 && text.charCodeAt(p + 1) === 101 && text.charCodeAt(p + 2) === 114;
}

/**
 * What NUMBER_FIRST needs after the house number ending at j: after an optional letter, " bis" / "ter"
 * and ',', white space, then an upper-case letter (a street, a direction), an ordinal ("5th Avenue") or
 * an opener word ("rue"). Every way the optional parts can be read is tried.
 */
function streetMayFollow(text: string, j: number): boolean {
  if (afterPrefix(text, j)) return true;
  return isAsciiLetter(text.charCodeAt(j)) && afterPrefix(text, j + 1);
}

function afterPrefix(text: string, a: number): boolean {
  if (afterBisTer(text, a)) return true;
  if (bisTer(text, a) && afterBisTer(text, a + 3)) return true;
  return isRegexSpace(text.charCodeAt(a)) && bisTer(text, a + 1) && afterBisTer(text, a + 4);
}

function afterBisTer(text: string, b: number): boolean {
  return streetAfterSpace(text, b) || (text.charCodeAt(b) === 44 && streetAfterSpace(text, b + 1));
}

function streetAfterSpace(text: string, c: number): boolean {
  if (!isRegexSpace(text.charCodeAt(c))) return false;
  let p = c + 1;
  while (isRegexSpace(text.charCodeAt(p))) p++;
  const ch = text.charCodeAt(p);
  // a high surrogate may open an upper-case letter outside the BMP: let the pattern decide
  return isUpper(ch) || (ch >= 0xd800 && ch <= 0xdbff) || ordinalAt(text, p) || openerWordAt(text, p, text.length);
}

/** "5th", "21st", "103rd": one to three digits and a lower-case ordinal ending (the only way a street word opens with a digit). */
function ordinalAt(text: string, p: number): boolean {
  let q = p;
  while (q - p < 4 && isAsciiDigit(text.charCodeAt(q))) q++;
  if (q === p || q - p > 3) return false;
  const a = text.charCodeAt(q);
  const b = text.charCodeAt(q + 1);
  return (a === 115 && b === 116) || (a === 110 && b === 100) || (a === 114 && b === 100) || (a === 116 && b === 104);
}

/** Last two characters (lower-cased) of every glued street ending that is ASCII there, as a table by their codes. */
const GLUED_PAIRS = new Uint8Array(128 * 128);
for (const w of EU_GLUED) {
  const a = w.charCodeAt(w.length - 2);
  const b = w.charCodeAt(w.length - 1);
  if (a < 128 && b < 128) GLUED_PAIRS[a * 128 + b] = 1;
}

/**
 * Can the word text[from, to) end with a glued street word (GLUED, which ignores case)? It needs three
 * characters, and its last two must end one of them; outside ASCII the pattern decides (case folding).
 */
function gluedMay(text: string, from: number, to: number): boolean {
  if (to - from < 3) return false;
  const a = text.charCodeAt(to - 2);
  const b = text.charCodeAt(to - 1);
  if (a >= 128 || b >= 128) return true;
  return GLUED_PAIRS[(a >= 65 && a <= 90 ? a | 32 : a) * 128 + (b >= 65 && b <= 90 ? b | 32 : b)] === 1;
}

/** A ',' among the `n` characters from j on (TAIL_AHEAD reaches its comma within 14). */
function commaWithin(text: string, j: number, n: number): boolean {
  const end = Math.min(text.length, j + n);
  for (let k = j; k < end; k++) if (text.charCodeAt(k) === 44) return true;
  return false;
}

/** The word text[from, to) is "Str", "str", "Str." or "str.". */
function strAbbrev(text: string, from: number, to: number): boolean {
  const n = to - from;
  if (n !== 3 && n !== 4) return false;
  const c = text.charCodeAt(from);
  return (c === 83 || c === 115) && text.charCodeAt(from + 1) === 116 && text.charCodeAt(from + 2) === 114 && (n === 3 || text.charCodeAt(from + 3) === 46);
}

/** Each pattern with the check that stands before it, for tests: wherever the pattern matches, the check holds. */
export const locationPrechecks = { CAP, NUMBER_FIRST, NUMBER_AFTER, GLUED, TAIL_AHEAD, streetMayFollow, gluedMay, commaWithin, strAbbrev, capitalisedBefore, trimmedEnd, withoutU: { CAP_PARTICLE_INSIDE, OPENS_STREET, OPENER_NEAR, OPENS } };
