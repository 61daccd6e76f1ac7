import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import type { Candidate, Detector } from '../types.js';
import { validDigits } from './phone-plan.js';
import { before } from './util.js';

/**
 * PHONE_NUMBER: digit runs with phone punctuation, validated by libphonenumber-js
 * (full metadata). International numbers (+ or 00) need no region; national ones
 * are tried against the configured regions. Dates, IPs, versions are excluded.
 * Validation runs on the metadata directly (phone-plan.ts) and is remembered
 * per digit string in a small LRU; the library itself only judges plans that
 * the fast path cannot.
 */
const CANDIDATE = /(?<![\w@.\/:+#-])(?:\+|\(\+?)?\d(?:[ .\-\/()\u00a0]{0,3}\d){6,16}(?:\)?(?:\s?(?:ext\.?|x|#)\s?\d{1,5}))?(?![\w@]|[.\-\/]\d)/g;
const DATE_LIKE = /^(?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4})$/;
const NANP = new Set(['US', 'CA']);

export const phoneDetector: Detector = {
  types: ['PHONE_NUMBER'],
  detect(text, ctx) {
    const out: Candidate[] = [];
    for (const m of text.matchAll(CANDIDATE)) {
      let raw = m[0];
      let start = m.index;
      if (raw.startsWith('(') && !raw.includes(')')) {
        raw = raw.slice(1);
        start++;
      }
      const digits = raw.replace(/\s?(?:ext\.?|x|#)\s?\d+$/, '').replace(/\D/g, '');
      if (digits.length < 7 || digits.length > 15) continue;
      if (DATE_LIKE.test(raw) || /^\d{1,3}(?:\.\d{1,3}){3}$/.test(raw)) continue;
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

function judge(raw: string, digits: string, regions: readonly string[], context: () => boolean): { score: number } | null {
  const formatted = /[ .\-\/()]/.test(raw.replace(/\s?(?:ext\.?|x|#)\s?\d+$/, ''));
  const intl = raw.startsWith('+') || raw.startsWith('(+') || /^00[1-9]/.test(raw);
  if (intl) {
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
    if (NANP.has(region)) return { score: formatted ? 0.75 : 0.4 };
    if (trunk) return { score: formatted ? 0.7 : 0.45 };
    return { score: 0.4 };
  }
  return null;
}
