import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import { indexText } from '../prepass.js';
import type { Candidate, Detector } from '../types.js';
import { plansOfCode, validDigits } from './phone-plan.js';
import { regionIndex } from './phone-regions.js';
import { before, chainDigits, isAsciiWord } from './util.js';

/**
 * PHONE_NUMBER: digit runs with phone punctuation, validated by libphonenumber-js
 * (full metadata). International numbers (+ or 00) need no region; national ones
 * are tried against the configured regions. Dates, IPs, versions are excluded.
 * Validation runs on the metadata directly (phone-plan.ts) and is remembered
 * per digit string in a small LRU; the library itself only judges plans that
 * the fast path cannot.
 */
/**
 * Sticky, tried at each digit run of the pre-pass (and one or two characters before it for '+', '(' and '(+')
 * that starts a chain of at least seven digits; the leading boundary (no word char or @ . / : + # - before) in code.
 */
const CANDIDATE = /(?:\+|\(\+?)?\d(?:[ .\-\/()\u00a0]{0,3}\d){6,16}(?:\)?(?:\s?(?:ext\.?|x|#)\s?\d{1,5}))?(?![\w@]|[.\-\/]\d)/y;
const PUNCT = (c: number) => c === 32 || c === 46 || c === 45 || c === 47 || c === 40 || c === 41 || c === 160;
const DATE_LIKE = /^(?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4})$/;
const badBefore = (c: number) => isAsciiWord(c) || c === 64 || c === 46 || c === 47 || c === 58 || c === 43 || c === 35 || c === 45;
const NANP = new Set(['US', 'CA']);
/** Dotted groups with a single digit among them ("20.3.9966.165") are versions, not numbers people dial. */
const VERSION_LIKE = /^\d+(?:\.\d+)+$/;
const isVersion = (raw: string) => VERSION_LIKE.test(raw) && raw.split('.').some((g) => g.length === 1);
const EXTENSION = /\s?(?:ext\.?|x|#)\s?\d+$/;

/** The ASCII digits of a string. */
function digitsOf(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) out += s[i];
  }
  return out;
}

export const phoneDetector: Detector = {
  types: ['PHONE_NUMBER'],
  detect(text, ctx, index = indexText(text)) {
    const out: Candidate[] = [];
    for (const m of candidates(text, index.digits)) {
      let raw = m[0];
      let start = m.index;
      if (raw.startsWith('(') && !raw.includes(')')) {
        raw = raw.slice(1);
        start++;
      }
      const body = raw.replace(EXTENSION, '');
      const digits = digitsOf(body);
      // E.164 allows 15 digits; an international prefix 00 adds two
      if (digits.length < 7 || digits.length > (raw.startsWith('00') ? 17 : 15)) continue;
      if (DATE_LIKE.test(raw) || /^\d{1,3}(?:\.\d{1,3}){3}$/.test(raw) || isVersion(raw)) continue;
      const res = judge(raw, body, digits, ctx.regions, () => hasContext(text, start, ctx.lang.context.PHONE_NUMBER ?? []));
      if (!res) continue;
      const end = start + raw.length;
      out.push({ type: 'PHONE_NUMBER', start, end, score: res.score, needsContext: res.score < 0.5 });
    }
    return out;
  },
};

/** The matches a global scan of CANDIDATE would give (leading boundary checked), tried only where one can start. */
function* candidates(text: string, runs: readonly number[]): Generator<RegExpExecArray> {
  let reach = 0;
  for (let k = 0; k < runs.length; k += 2) {
    const r = runs[k];
    if (r < reach || chainDigits(text, runs, k, 3, PUNCT) < 7) continue;
    const c1 = text.charCodeAt(r - 1);
    // possible starts before the run, in text order: '(+' then '+' or '(' then the digit itself
    for (let s = c1 === 43 && text.charCodeAt(r - 2) === 40 ? r - 2 : c1 === 43 || c1 === 40 ? r - 1 : r; s <= r; s++) {
      if (s < reach || (s > 0 && badBefore(text.charCodeAt(s - 1)))) continue;
      CANDIDATE.lastIndex = s;
      const m = CANDIDATE.exec(text);
      if (!m) continue;
      reach = s + m[0].length;
      yield m;
      break;
    }
  }
}

/** Phone context words shortly before (only consulted for numbers that are otherwise too ambiguous). */
function hasContext(text: string, start: number, words: readonly string[]): boolean {
  const w = before(text, start, 40);
  return words.some((x) => w.includes(x));
}

/** Verdicts remembered in two generations of MEMO_SIZE: the older is dropped when the newer fills up. */
const MEMO_SIZE = 4096;
let memo = new Map<string, boolean>();
let older = new Map<string, boolean>();

/** Is `digits` valid (international when region is null)? Library fallback, memoized. */
function valid(digits: string, region: string | null): boolean {
  const key = (region ?? '+') + digits;
  let v = memo.get(key);
  if (v !== undefined) return v;
  v = older.get(key);
  if (v === undefined) {
    v = validDigits(digits, region);
    if (v === undefined) {
      const n = region === null ? parsePhoneNumberFromString('+' + digits) : parsePhoneNumberFromString(digits, region as CountryCode);
      v = !!n && n.isValid();
    }
  }
  if (memo.size >= MEMO_SIZE) {
    older = memo;
    memo = new Map();
  }
  memo.set(key, v);
  return v;
}

/** NANP numbers are written 3-3-4 ("(415) 555-2671", "415.555.2671", "1-415-555-2671"); other groupings are weaker evidence. */
function nanpGrouping(body: string): boolean {
  const groups = body.split(/\D+/).filter(Boolean).map((g) => g.length).join(',');
  return groups === '3,3,4' || groups === '1,3,3,4';
}

const isCallingCode = (d: string) => d.length <= 3 && plansOfCode(d).length > 0;

/** `body` is `raw` without an extension. */
function judge(raw: string, body: string, digits: string, regions: readonly string[], context: () => boolean): { score: number } | null {
  const formatted = /[ .\-\/()]/.test(body);
  const intl = raw.startsWith('+') || raw.startsWith('(+') || /^00[1-9]/.test(raw);
  if (intl) {
    // "0049 30 …", "00 49 30 …": after 00 the calling code stands alone ("004-9721457" is no German number)
    if (raw.startsWith('00') && formatted && !/^00(?:\D|$)/.test(raw) && !isCallingCode(/^00(\d+)/.exec(raw)![1])) return null;
    const d = raw.startsWith('00') ? digits.slice(2) : digits;
    return valid(d, null) ? { score: formatted ? 0.95 : 0.85 } : null;
  }
  const trunk = digits.startsWith('0');
  const nanp = digits.length === 11 && digits.startsWith('1') ? digits.slice(1) : digits;
  // NANP: area code and exchange start with 2-9 (cheap check before the full one)
  const nanpShape = nanp.length === 10 && nanp[0] >= '2' && nanp[3] >= '2';
  // without a trunk prefix, only a context word makes a non-NANP national number worth checking (asked once, when it matters)
  let otherRegions: boolean | undefined = trunk || undefined;
  for (const region of regionIndex(regions).candidates(digits)) {
    const nanpRegion = NANP.has(region);
    if (nanpRegion ? trunk || !nanpShape : !(otherRegions ??= context())) continue;
    if (!valid(digits, region)) continue;
    if (nanpRegion) return { score: formatted && nanpGrouping(body) ? 0.75 : 0.4 };
    if (trunk) return { score: formatted ? 0.7 : 0.45 };
    return { score: 0.4 };
  }
  return null;
}
