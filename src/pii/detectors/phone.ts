import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import { indexText } from '../prepass.js';
import type { Candidate, Detector, TextIndex } from '../types.js';
import { planOf, plansOfCode, validDigits } from './phone-plan.js';
import { regionIndex, type RegionIndex } from './phone-regions.js';
import { candidate, isAsciiDigit, isAsciiWord, isRegexSpace, wordBefore } from './util.js';

/**
 * PHONE_NUMBER: digit runs with phone punctuation, validated by libphonenumber-js
 * (full metadata). International numbers (+ or 00) need no region; national ones
 * are tried against the configured regions. Dates, IPs, versions are excluded.
 * Validation runs on the metadata directly (phone-plan.ts); the library itself
 * only judges plans that the fast path cannot (its verdicts are remembered per
 * digit string in a small LRU). Candidates are found on the pre-pass digit runs
 * (chainEnd), and each is walked once over its runs (shapeIn) for its digit count,
 * separators and grouping, so most rejections cost no regex and no string.
 */
/**
 * What a phone candidate is, after a leading boundary (no word char or @ . / : + # - before, but for the ':' of "tel:"): seven to
 * seventeen digits with up to three PUNCT characters between them, an optional extension, and no word
 * character or digit group right after. The scan does not run it: chainEnd finds the same matches on the
 * pre-pass digit runs (exported for phone-scan.test.ts, which checks that).
 */
export const CANDIDATE = /(?:\+|\(\+?)?\d(?:[ .\-\/()\u00a0]{0,3}\d){6,16}(?:\)?(?:\s?(?:ext\.?|x|#)\s?\d{1,5}))?(?![\w@]|[.\-\/]\d)/y;
const PUNCT = (c: number) => c === 32 || c === 46 || c === 45 || c === 47 || c === 40 || c === 41 || c === 160;
const badBefore = (c: number) => isAsciiWord(c) || c === 64 || c === 46 || c === 47 || c === 58 || c === 43 || c === 35 || c === 45;
/** The fewest and the most digits CANDIDATE takes before its extension (\d and 6..16 more). */
const MIN_DIGITS = 7;
const MAX_DIGITS = 17;

/** What one walk over a candidate's body tells: its digits and the punctuation between them. */
export interface Shape {
  /** Number of ASCII digits. */
  count: number;
  /** Some ' ', '.', '-', '/', '(' or ')' (a formatted number). */
  formatted: boolean;
  /** The digit groups are 3,3,4 or 1,3,3,4 (how NANP numbers are written). */
  nanpGroups: boolean;
  /**
   * Digit groups joined by single separators that read as a date (4-2-2 or 2-2-4 digits, at most, split
   * by '-', '/' or '.': "2024-03-01", "01.03.24"), a dotted quad ("10.0.0.1") or a dotted version with
   * a one-digit part ("20.3.9966.165"). phone.test.ts checks this against the equivalent regexes.
   */
  notPhone: boolean;
}

const inRange = (x: number, lo: number, hi: number) => x >= lo && x <= hi;
/** The length of digit group k from the left, out of the last four packed four bits each. */
const groupAt = (groups: number, ngroups: number, k: number) => (groups >> (4 * (ngroups - 1 - k))) & 15;

/** The shape of a candidate without its extension (exported for tests). */
export function shapeOf(body: string): Shape {
  return shapeIn(body, indexText(body, false).digits, 0, 0, body.length);
}

/**
 * The shape of text[from, to), whose digit runs are runs[k], runs[k + 1], … up to `to` (pre-pass runs, each
 * of them wholly inside the range): one walk over the runs, character by character only between them.
 */
function shapeIn(text: string, runs: readonly number[], k: number, from: number, to: number): Shape {
  let count = 0;
  let formatted = false;
  // digit group lengths packed four bits each (capped at 15; only the last four groups are kept)
  let groups = 0;
  let ngroups = 0;
  let oneDigitGroup = false;
  // every separator a single '.' ('-', '/' or '.' for dateSeps) between two digits
  let dots = true;
  let dateSeps = true;
  let single = true;
  for (let i = from, q = k; ; q += 2) {
    const next = q < runs.length && runs[q] < to ? runs[q] : to;
    if (next > i) {
      // separators: single ones stand between two digit groups
      if (next - i > 1 || i === from || next === to) single = false;
      for (; i < next; i++) {
        const c = text.charCodeAt(i);
        if (c !== 46) dots = false;
        if (c === 46 || c === 45 || c === 47) formatted = true;
        else {
          dateSeps = false;
          if (c === 32 || c === 40 || c === 41) formatted = true;
        }
      }
    }
    if (next === to) break;
    const run = runs[q + 1] - next;
    count += run;
    groups = (groups * 16 + Math.min(run, 15)) % 0x10000;
    if (run === 1) oneDigitGroup = true;
    ngroups++;
    i = runs[q + 1];
  }
  if (ngroups === 0) single = false;
  const nanpGroups = (ngroups === 3 && groups === 0x334) || (ngroups === 4 && groups === 0x1334);
  let notPhone = false;
  if (single && dateSeps) {
    // group k from the left (a closure here would be built per candidate)
    const g0 = groupAt(groups, ngroups, 0);
    const g1 = groupAt(groups, ngroups, 1);
    const g2 = groupAt(groups, ngroups, 2);
    if (ngroups === 3) notPhone = (g0 === 4 && inRange(g1, 1, 2) && inRange(g2, 1, 2)) || (inRange(g0, 1, 2) && inRange(g1, 1, 2) && inRange(g2, 2, 4));
    if (dots) {
      if (ngroups === 4 && inRange(g0, 1, 3) && inRange(g1, 1, 3) && inRange(g2, 1, 3) && inRange(groupAt(groups, ngroups, 3), 1, 3)) notPhone = true;
      if (ngroups >= 2 && oneDigitGroup) notPhone = true;
    }
  }
  return { count, formatted, nanpGroups, notPhone };
}

export const phoneDetector: Detector = {
  types: ['PHONE_NUMBER'],
  detect(text, ctx, index = indexText(text)) {
    const out: Candidate[] = [];
    const regions = regionIndex(ctx.regions);
    const scan: Scan = { text, index, words: ctx.lang.context.PHONE_NUMBER ?? [], beyondNanp: !ctx.regions.every(isNanpRegion) };
    const runs = index.digits;
    const spans = candidates(text, runs);
    for (let k = 0; k < spans.length; k += 4) {
      let start = spans[k];
      const bodyEnd = spans[k + 1];
      const end = spans[k + 2];
      const run = spans[k + 3];
      // an opening bracket without a closing one is not part of the number
      if (text.charCodeAt(start) === 40 && !closes(text, start, end)) start++;
      const shape = shapeIn(text, runs, run, start, bodyEnd);
      // E.164 allows 15 digits; an international prefix 00 adds two
      if (shape.count < 7 || shape.count > (text.charCodeAt(start) === 48 && text.charCodeAt(start + 1) === 48 ? 17 : 15)) continue;
      // dates, dotted quads, versions (all digits and single separators: an extension makes it none of them)
      if (shape.notPhone && bodyEnd === end) continue;
      const res = judge(scan, start, bodyEnd, run, shape, regions);
      if (!res) continue;
      out.push(candidate('PHONE_NUMBER', start, end, res, undefined, res < 0.5));
    }
    return out;
  },
};

/**
 * The matches a global scan of CANDIDATE would give (leading boundary checked), as quadruples: start, end of
 * the number without its extension, end, and the index of its first digit run in `runs` (exported for
 * tests). Only a digit run can open a match (after '+', '(' or '(+', which change nothing after them), so
 * the first start the boundary allows at a run is taken when the run's chain matches (chainEnd); no regex runs.
 */
export function candidates(text: string, runs: readonly number[]): number[] {
  const out: number[] = [];
  let reach = 0;
  for (let k = 0; k < runs.length; k += 2) {
    const r = runs[k];
    if (r < reach) continue;
    // (what chainEnd says first, without a call: a short run with no other within three characters is no chain)
    if (runs[k + 1] - r < MIN_DIGITS && (k + 2 >= runs.length || runs[k + 2] - runs[k + 1] > 3)) continue;
    const c1 = text.charCodeAt(r - 1);
    // possible starts before the run, in text order: '(+' then '+' or '(' then the digit itself
    let s = c1 === 43 && text.charCodeAt(r - 2) === 40 ? r - 2 : c1 === 43 || c1 === 40 ? r - 1 : r;
    while (s <= r && (s < reach || (s > 0 && badBefore(text.charCodeAt(s - 1)) && !telLink(text, s - 1)))) s++;
    if (s > r) continue;
    const digitsEnd = chainEnd(text, runs, k);
    if (digitsEnd < 0) continue;
    const x = extensionEnd(text, digitsEnd);
    // the number ends where the extension would start: a ')' before it stays with the number
    out.push(s, x < 0 || text.charCodeAt(digitsEnd) !== 41 ? digitsEnd : digitsEnd + 1, (reach = x < 0 ? digitsEnd : x), k);
  }
  return out;
}

/**
 * The character at i is the ':' of a "tel:" link ("tel:+4930901820", any case, not inside a word): the
 * number after it starts there although a ':' stands before it.
 */
export function telLink(text: string, i: number): boolean {
  return (
    text.charCodeAt(i) === 58 &&
    (text.charCodeAt(i - 3) | 32) === 116 &&
    (text.charCodeAt(i - 2) | 32) === 101 &&
    (text.charCodeAt(i - 1) | 32) === 108 &&
    !isAsciiWord(text.charCodeAt(i - 4))
  );
}

/**
 * Where CANDIDATE's digits end (its extension, if any, follows) when its first digit is the start of digit
 * run `k`, or -1 when it does not match there: what the sticky regex answers, worked out on the pre-pass
 * runs. Between digits the pattern allows up to three PUNCT characters, so its digits are the chain of runs
 * joined by such gaps, at most 17 of them
 * (\d and 6..16 more). Greedy, it first tries the whole chain with an extension, then without, and then
 * backs off digit by digit; a shorter end passes the final lookahead only at the end of a run (inside one a
 * digit follows), and there no extension can start (the gap holds no 'e', 'x' or '#' before the next digit).
 * phone-scan.test.ts compares this with the regex on random text.
 */
export function chainEnd(text: string, runs: readonly number[], k: number): number {
  let count = 0;
  // digits up to the end of the run before the one the chain ends in
  let before = 0;
  let q = k;
  let end: number;
  for (;;) {
    const len = runs[q + 1] - runs[q];
    before = count;
    if (count + len >= MAX_DIGITS) {
      end = runs[q] + MAX_DIGITS - count;
      count = MAX_DIGITS;
      break;
    }
    count += len;
    end = runs[q + 1];
    if (q + 2 >= runs.length || !punctGap(text, end, runs[q + 2])) break;
    q += 2;
  }
  if (count < MIN_DIGITS) return -1;
  // with or without an extension, the chain ends here (which one, candidates asks)
  if (endsHere(text, end) || extensionEnd(text, end) >= 0) return end;
  for (let p = q - 2; p >= k && before >= MIN_DIGITS; p -= 2) {
    if (endsHere(text, runs[p + 1])) return runs[p + 1];
    before -= runs[p + 1] - runs[p];
  }
  return -1;
}

/** The gap between two digit runs is one to three PUNCT characters. */
function punctGap(text: string, from: number, to: number): boolean {
  if (to - from > 3) return false;
  for (let i = from; i < to; i++) if (!PUNCT(text.charCodeAt(i))) return false;
  return true;
}

/** CANDIDATE's final lookahead (?![\w@]|[.\-\/]\d) holds at i. */
function endsHere(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  if (isAsciiWord(c) || c === 64) return false;
  return !((c === 46 || c === 45 || c === 47) && isAsciiDigit(text.charCodeAt(i + 1)));
}

/**
 * The end of CANDIDATE's extension \)?(?:\s?(?:ext\.?|x|#)\s?\d{1,5}) at i, followed by the final lookahead,
 * or -1. Each optional part is taken when its character is there (giving it up leaves a character the next
 * part cannot match), and \d{1,5} with the lookahead after it needs a run of one to five digits.
 */
function extensionEnd(text: string, i: number): number {
  if (text.charCodeAt(i) === 41) i++;
  if (isRegexSpace(text.charCodeAt(i))) i++;
  const c = text.charCodeAt(i);
  if (c === 101 && text.charCodeAt(i + 1) === 120 && text.charCodeAt(i + 2) === 116) {
    i += 3;
    if (text.charCodeAt(i) === 46) i++;
  } else if (c === 120 || c === 35) i++;
  else return -1;
  if (isRegexSpace(text.charCodeAt(i))) i++;
  const from = i;
  while (isAsciiDigit(text.charCodeAt(i))) i++;
  return i > from && i - from <= 5 && endsHere(text, i) ? i : -1;
}

/** Whether the range has a ')'. */
function closes(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (text.charCodeAt(i) === 41) return true;
  return false;
}

/** What the checks of one scan share (one object per scan rather than a closure per candidate). */
interface Scan {
  text: string;
  index: TextIndex;
  /** Phone context words. */
  words: readonly string[];
  /** Some configured region is outside NANP. */
  beyondNanp: boolean;
}

/** The regions of the North American Numbering Plan among those a detector may be configured with. */
const isNanpRegion = (region: string) => region === 'US' || region === 'CA';

/** Phone context words shortly before (only consulted for numbers that are otherwise too ambiguous). */
function hasContext(scan: Scan, start: number): boolean {
  return wordBefore(scan.text, scan.index, start, 40, scan.words);
}

/** Library verdicts remembered in two generations of MEMO_SIZE: the older is dropped when the newer fills up. */
const MEMO_SIZE = 4096;
let memo = new Map<string, boolean>();
let older = new Map<string, boolean>();

/**
 * Is `digits` valid (international when region is null)? The metadata check of phone-plan.ts
 * decides almost every case at once; only plans it does not emulate go to the library, whose
 * (slow) verdicts are memoized.
 */
function valid(digits: string, region: string | null): boolean {
  const fast = validDigits(digits, region);
  if (fast !== undefined) return fast;
  const key = (region ?? '+') + digits;
  let v = memo.get(key) ?? older.get(key);
  if (v === undefined) {
    const n = region === null ? parsePhoneNumberFromString('+' + digits) : parsePhoneNumberFromString(digits, region as CountryCode);
    v = !!n && n.isValid();
  }
  if (memo.size >= MEMO_SIZE) {
    older = memo;
    memo = new Map();
  }
  memo.set(key, v);
  return v;
}

const isCallingCode = (d: string) => d.length <= 3 && plansOfCode(d).length > 0;

/** The end of the run of ASCII digits from i. */
function runEnd(text: string, i: number): number {
  while (isAsciiDigit(text.charCodeAt(i))) i++;
  return i;
}

/** The code of the n-th (from 0) ASCII digit from `from` on. */
function nthDigit(text: string, from: number, n: number): number {
  for (let i = from; ; i++) {
    const c = text.charCodeAt(i);
    if (isAsciiDigit(c) && n-- === 0) return c;
  }
}

/** The digits of the number that ends at `end`, whose first digit run is runs[k]: its runs joined. */
function digitsOf(text: string, runs: readonly number[], k: number, end: number): string {
  let digits = text.slice(runs[k], runs[k + 1]);
  for (let q = k + 2; q < runs.length && runs[q] < end; q += 2) digits += text.slice(runs[q], runs[q + 1]);
  return digits;
}

/** The digits open with the region's literal national prefix, or the region has none. */
function startsWithTrunk(digits: string, region: string): boolean {
  const prefix = planOf(region)?.prefixLiteral;
  return prefix == null || digits.startsWith(prefix);
}

/** The score of the candidate from `start` to `end` (without its extension), or 0 when it is no phone number. */
function judge(scan: Scan, start: number, end: number, run: number, shape: Shape, regions: RegionIndex): number {
  const { text } = scan;
  const count = shape.count;
  const formatted = shape.formatted;
  const c0 = text.charCodeAt(start);
  const c2 = text.charCodeAt(start + 2);
  const intl = c0 === 43 || (c0 === 40 && text.charCodeAt(start + 1) === 43) || (c0 === 48 && text.charCodeAt(start + 1) === 48 && c2 >= 49 && c2 <= 57);
  if (intl) {
    // "0049 30 …": after 00 the calling code stands alone ("004-9721457" is no German number)
    if (c0 === 48 && formatted && !isCallingCode(text.slice(start + 2, runEnd(text, start + 2)))) return 0;
    const digits = digitsOf(text, scan.index.digits, run, end);
    return valid(c0 === 48 ? digits.slice(2) : digits, null) ? (formatted ? 0.95 : 0.85) : 0;
  }
  const d0 = nthDigit(text, start, 0);
  const trunk = d0 === 48;
  const off = count === 11 && d0 === 49 ? 1 : 0;
  // NANP: area code and exchange start with 2-9 (cheap check before the full one)
  const nanpShape = count - off === 10 && nthDigit(text, start, off) >= 50 && nthDigit(text, start, off + 3) >= 50;
  // without a trunk prefix, only a context word makes a non-NANP national number worth checking (asked once, when it matters)
  let otherRegions: boolean | undefined = trunk || undefined;
  // no NANP region can take it: without a context word no region can (decided before the digits are read out)
  if (!trunk && !nanpShape && !(scan.beyondNanp && (otherRegions = hasContext(scan, start)))) return 0;
  const digits = digitsOf(text, scan.index.digits, run, end);
  const list = regions.candidates(digits);
  for (let r = 0; r < list.length; r++) {
    const region = list[r];
    const nanpRegion = isNanpRegion(region);
    if (nanpRegion ? trunk || !nanpShape : !(otherRegions ??= hasContext(scan, start))) continue;
    // a national number of a region with a plain trunk prefix is written with it ("030 901820", never
    // "30 901820"): without it a long digit string ("IMEI 356938035643809" near "phone") is no German number
    if (!nanpRegion && !startsWithTrunk(digits, region)) continue;
    if (!valid(digits, region)) continue;
    if (nanpRegion) return formatted && shape.nanpGroups ? 0.75 : 0.4;
    if (trunk) return formatted ? 0.7 : 0.45;
    return 0.4;
  }
  return 0;
}
