import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import type { Candidate, Detector } from '../types.js';
import { plansOfCode, validDigits } from './phone-plan.js';
import { before, isAsciiWord, matchesAfter } from './util.js';

/**
 * PHONE_NUMBER: digit runs with phone punctuation, validated by libphonenumber-js
 * (full metadata). International numbers (+ or 00) need no region; national ones
 * are tried against the configured regions. Dates, IPs, versions are excluded.
 * Validation runs on the metadata directly (phone-plan.ts) and is remembered
 * per digit string in a small LRU; the library itself only judges plans that
 * the fast path cannot.
 */
/** Leading boundary (no word char or @ . / : + # - before) checked in code (util.matchesAfter). */
const CANDIDATE = /(?:\+|\(\+?)?\d(?:[ .\-\/()\u00a0]{0,3}\d){6,16}(?:\)?(?:\s?(?:ext\.?|x|#)\s?\d{1,5}))?(?![\w@]|[.\-\/]\d)/g;
const DATE_LIKE = /^(?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4})$/;
const badBefore = (c: number) => isAsciiWord(c) || c === 64 || c === 46 || c === 47 || c === 58 || c === 43 || c === 35 || c === 45;
const NANP = new Set(['US', 'CA']);
/** Dotted groups with a single digit among them ("20.3.9966.165") are versions, not numbers people dial. */
const VERSION_LIKE = /^\d+(?:\.\d+)+$/;
const isVersion = (raw: string) => VERSION_LIKE.test(raw) && raw.split('.').some((g) => g.length === 1);

export const phoneDetector: Detector = {
  types: ['PHONE_NUMBER'],
  detect(text, ctx) {
    const out: Candidate[] = [];
    for (const m of matchesAfter(CANDIDATE, text, badBefore)) {
      let raw = m[0];
      let start = m.index;
      if (raw.startsWith('(') && !raw.includes(')')) {
        raw = raw.slice(1);
        start++;
      }
      const digits = raw.replace(/\s?(?:ext\.?|x|#)\s?\d+$/, '').replace(/\D/g, '');
      // E.164 allows 15 digits; an international prefix 00 adds two
      if (digits.length < 7 || digits.length > (raw.startsWith('00') ? 17 : 15)) continue;
      if (DATE_LIKE.test(raw) || /^\d{1,3}(?:\.\d{1,3}){3}$/.test(raw) || isVersion(raw)) continue;
      const res = judge(raw, digits, ctx.regions, () => hasContext(text, start, ctx.lang.context.PHONE_NUMBER ?? []));
      if (!res) continue;
      const end = start + raw.length;
      out.push({ type: 'PHONE_NUMBER', start, end, score: res.score, needsContext: res.score < 0.5 });
    }
    return out;
  },
};

/** Phone context words shortly before (only consulted for numbers that are otherwise too ambiguous). */
function hasContext(text: string, start: number, words: readonly string[]): boolean {
  const w = before(text, start, 40);
  return words.some((x) => w.includes(x));
}

const MEMO_SIZE = 4096;
const memo = new Map<string, boolean>();

/** Is `digits` valid (international when region is null)? Library fallback, memoized. */
function valid(digits: string, region: string | null): boolean {
  const key = (region ?? '+') + digits;
  let v = memo.get(key);
  if (v !== undefined) {
    memo.delete(key);
    memo.set(key, v);
    return v;
  }
  v = validDigits(digits, region);
  if (v === undefined) {
    const n = region === null ? parsePhoneNumberFromString('+' + digits) : parsePhoneNumberFromString(digits, region as CountryCode);
    v = !!n && n.isValid();
  }
  if (memo.size >= MEMO_SIZE) memo.delete(memo.keys().next().value!);
  memo.set(key, v);
  return v;
}

/** NANP numbers are written 3-3-4 ("(415) 555-2671", "415.555.2671", "1-415-555-2671"); other groupings are weaker evidence. */
function nanpGrouping(raw: string): boolean {
  const groups = raw.replace(/\s?(?:ext\.?|x|#)\s?\d+$/, '').split(/\D+/).filter(Boolean).map((g) => g.length).join(',');
  return groups === '3,3,4' || groups === '1,3,3,4';
}

const isCallingCode = (d: string) => d.length <= 3 && plansOfCode(d).length > 0;

function judge(raw: string, digits: string, regions: readonly string[], context: () => boolean): { score: number } | null {
  const formatted = /[ .\-\/()]/.test(raw.replace(/\s?(?:ext\.?|x|#)\s?\d+$/, ''));
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
  // without a trunk prefix, only a context word makes a non-NANP national number worth checking
  const otherRegions = trunk || context();
  for (const region of regions) {
    if (NANP.has(region) ? trunk || !nanpShape : !otherRegions) continue;
    if (!valid(digits, region)) continue;
    if (NANP.has(region)) return { score: formatted && nanpGrouping(raw) ? 0.75 : 0.4 };
    if (trunk) return { score: formatted ? 0.7 : 0.45 };
    return { score: 0.4 };
  }
  return null;
}
