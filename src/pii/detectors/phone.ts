import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import { indexText } from '../prepass.js';
import type { Candidate, Detector, TextIndex } from '../types.js';
import { plansOfCode, validDigits } from './phone-plan.js';
import { regionIndex, type RegionIndex } from './phone-regions.js';
import { candidate, chainDigits, digitsOnly, isAsciiWord, wordBefore } from './util.js';

/**
 * PHONE_NUMBER: digit runs with phone punctuation, validated by libphonenumber-js
 * (full metadata). International numbers (+ or 00) need no region; national ones
 * are tried against the configured regions. Dates, IPs, versions are excluded.
 * Validation runs on the metadata directly (phone-plan.ts); the library itself
 * only judges plans that the fast path cannot (its verdicts are remembered per
 * digit string in a small LRU). Each candidate is walked once (shapeOf) for its
 * digit count, separators and grouping, so most rejections cost no regex.
 */
/**
 * Sticky, tried at each digit run of the pre-pass (and one or two characters before it for '+', '(' and '(+')
 * that starts a chain of at least seven digits; the leading boundary (no word char or @ . / : + # - before) in code.
 */
const CANDIDATE = /(?:\+|\(\+?)?\d(?:[ .\-\/()\u00a0]{0,3}\d){6,16}(?:\)?(?:\s?(?:ext\.?|x|#)\s?\d{1,5}))?(?![\w@]|[.\-\/]\d)/y;
const PUNCT = (c: number) => c === 32 || c === 46 || c === 45 || c === 47 || c === 40 || c === 41 || c === 160;
const badBefore = (c: number) => isAsciiWord(c) || c === 64 || c === 46 || c === 47 || c === 58 || c === 43 || c === 35 || c === 45;
const EXTENSION = /\s?(?:ext\.?|x|#)\s?\d+$/;

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

/** One walk over a candidate without its extension (exported for tests). */
export function shapeOf(body: string): Shape {
  let count = 0;
  let formatted = false;
  // digit group lengths packed four bits each (capped at 15; only the last four groups are kept)
  let groups = 0;
  let ngroups = 0;
  let run = 0;
  let oneDigitGroup = false;
  // every separator a single '.' ('-', '/' or '.' for dateSeps) between two digits
  let dots = true;
  let dateSeps = true;
  let single = true;
  let prevDigit = false;
  for (let i = 0; i < body.length; i++) {
    const c = body.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      count++;
      run++;
      prevDigit = true;
      continue;
    }
    if (!prevDigit) single = false;
    prevDigit = false;
    if (run > 0) {
      groups = (groups * 16 + Math.min(run, 15)) % 0x10000;
      if (run === 1) oneDigitGroup = true;
      ngroups++;
      run = 0;
    }
    if (c !== 46) dots = false;
    if (c === 46 || c === 45 || c === 47) formatted = true;
    else {
      dateSeps = false;
      if (c === 32 || c === 40 || c === 41) formatted = true;
    }
  }
  if (run > 0) {
    groups = (groups * 16 + Math.min(run, 15)) % 0x10000;
    if (run === 1) oneDigitGroup = true;
    ngroups++;
  }
  if (!prevDigit) single = false;
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
    const words = ctx.lang.context.PHONE_NUMBER ?? [];
    const spans = candidates(text, index.digits);
    for (let k = 0; k < spans.length; k += 2) {
      let start = spans[k];
      let raw = text.slice(start, spans[k + 1]);
      if (raw.charCodeAt(0) === 40 && !raw.includes(')')) {
        raw = raw.slice(1);
        start++;
      }
      const body = raw.includes('x') || raw.includes('#') ? raw.replace(EXTENSION, '') : raw;
      const shape = shapeOf(body);
      // E.164 allows 15 digits; an international prefix 00 adds two
      if (shape.count < 7 || shape.count > (raw.startsWith('00') ? 17 : 15)) continue;
      // dates, dotted quads, versions (all digits and single separators: an extension makes raw none of them)
      if (shape.notPhone && raw === body) continue;
      const digits = shape.count === body.length ? body : digitsOnly(body);
      const res = judge(raw, digits, shape, regions, () => hasContext(text, index, start, words));
      if (!res) continue;
      const end = start + raw.length;
      out.push(candidate('PHONE_NUMBER', start, end, res, undefined, res < 0.5));
    }
    return out;
  },
};

/**
 * The matches a global scan of CANDIDATE would give (leading boundary checked), tried only where one can start,
 * as pairs start, end (test and lastIndex: no match array per candidate).
 */
function candidates(text: string, runs: readonly number[]): number[] {
  const out: number[] = [];
  let reach = 0;
  for (let k = 0; k < runs.length; k += 2) {
    const r = runs[k];
    if (r < reach || chainDigits(text, runs, k, 3, PUNCT, 7) < 7) continue;
    const c1 = text.charCodeAt(r - 1);
    // possible starts before the run, in text order: '(+' then '+' or '(' then the digit itself
    for (let s = c1 === 43 && text.charCodeAt(r - 2) === 40 ? r - 2 : c1 === 43 || c1 === 40 ? r - 1 : r; s <= r; s++) {
      if (s < reach || (s > 0 && badBefore(text.charCodeAt(s - 1)))) continue;
      CANDIDATE.lastIndex = s;
      if (!CANDIDATE.test(text)) continue;
      reach = CANDIDATE.lastIndex;
      out.push(s, reach);
      break;
    }
  }
  return out;
}

/** Phone context words shortly before (only consulted for numbers that are otherwise too ambiguous). */
function hasContext(text: string, index: TextIndex, start: number, words: readonly string[]): boolean {
  return wordBefore(text, index, start, 40, words);
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

/** The score of a candidate, or 0 when it is no phone number. `digits` are those of `raw` without an extension. */
function judge(raw: string, digits: string, shape: Shape, regions: RegionIndex, context: () => boolean): number {
  const formatted = shape.formatted;
  const c0 = raw.charCodeAt(0);
  const intl = c0 === 43 || (c0 === 40 && raw.charCodeAt(1) === 43) || (c0 === 48 && raw.charCodeAt(1) === 48 && raw.charCodeAt(2) >= 49 && raw.charCodeAt(2) <= 57);
  if (intl) {
    // "0049 30 …", "00 49 30 …": after 00 the calling code stands alone ("004-9721457" is no German number)
    if (c0 === 48 && formatted && !/^00(?:\D|$)/.test(raw) && !isCallingCode(/^00(\d+)/.exec(raw)![1])) return 0;
    const d = c0 === 48 ? digits.slice(2) : digits;
    return valid(d, null) ? (formatted ? 0.95 : 0.85) : 0;
  }
  const trunk = digits.charCodeAt(0) === 48;
  const off = digits.length === 11 && digits.charCodeAt(0) === 49 ? 1 : 0;
  // NANP: area code and exchange start with 2-9 (cheap check before the full one)
  const nanpShape = digits.length - off === 10 && digits.charCodeAt(off) >= 50 && digits.charCodeAt(off + 3) >= 50;
  const list = regions.candidates(digits);
  // without a trunk prefix, only a context word makes a non-NANP national number worth checking (asked once, when it matters)
  let otherRegions: boolean | undefined = trunk || undefined;
  for (let r = 0; r < list.length; r++) {
    const region = list[r];
    const nanpRegion = region === 'US' || region === 'CA';
    if (nanpRegion ? trunk || !nanpShape : !(otherRegions ??= context())) continue;
    if (!valid(digits, region)) continue;
    if (nanpRegion) return formatted && shape.nanpGroups ? 0.75 : 0.4;
    if (trunk) return formatted ? 0.7 : 0.45;
    return 0.4;
  }
  return 0;
}
