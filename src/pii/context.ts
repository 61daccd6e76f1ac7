import { caselessBefore, isAsciiLetter, isRegexSpace, lowerAsciiWords, lowerBefore } from './detectors/util.js';
import type { Candidate, EntityType, LanguagePack, TextIndex } from './types.js';

/**
 * Context scoring: a context word of the candidate's type among the few words
 * before it (or as the JSON field name it sits in) raises its score; an
 * identifier word right before a bare number ("order", "version") lowers it.
 */
export const CONTEXT_BOOST = 0.35;
const NEGATIVE_PENALTY = 0.4;
const WINDOW = 48;
/** How far before a number an identifier word counts. */
const NEAR = 20;
const NUMERIC_TYPES = new Set<EntityType>(['PHONE_NUMBER', 'US_SSN', 'US_BANK_NUMBER', 'US_PASSPORT', 'CREDIT_CARD']);

export interface ContextMatcher {
  /**
   * A judge for the candidates of one text: it scores a candidate in place and returns false when it
   * must be dropped. Lazy: the field hint is prepared once, and the window before a candidate is
   * only taken when it needs one (never for PERSON, SECRET, dates of birth). With the scan's `index`
   * a window is a slice of the text (see caselessBefore) or of its lower case, no copy; without it a
   * lower-cased copy, made once per position however many detectors propose something there.
   */
  forText(text: string, fieldHint?: string, index?: TextIndex): (c: Candidate) => boolean;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function wordsRegex(words: readonly string[], flags: string): RegExp | null {
  if (words.length === 0) return null;
  return new RegExp(`(?:^|[^a-z0-9])(?:${words.map(escape).join('|')})(?:e?s)?(?![a-z0-9])`, flags);
}

/**
 * The identifier words as a pattern over the end of a window: a word at the window start or after a
 * character that is no letter, then nothing but white space, '#', ':', '.', '-', 'n' or 'o' to the end.
 */
export function identifierPattern(words: readonly string[], flags: string): RegExp {
  return new RegExp(`(?:^|[^a-z])(?:${words.map((w) => escape(w.trim())).join('|')})[\\s#:.no-]*$`, flags);
}

/** What identifierPattern allows between the word and the end: \s # : . - n o (either case). */
const inIdentifierTail = (c: number) => c === 35 || c === 58 || c === 46 || c === 45 || (c | 32) === 110 || (c | 32) === 111 || isRegexSpace(c);

/** Lower case of an ASCII letter; any other code unit as it is. */
const foldAscii = (c: number) => (c >= 65 && c <= 90 ? c | 32 : c);

/**
 * identifierPattern with the i flag, as a look at the end of the stretch only: the pattern is tried from
 * every position, where only the words ending in the closing run of \s # : . - n o (or right before it)
 * can match; this walks back over that run and compares those words, with no pattern run and no slice
 * per candidate. Built for words that are lower-case ASCII and not empty once trimmed (else null): then
 * an ASCII letter matches its two cases and every other character only itself (without the u flag
 * nothing outside ASCII folds to ASCII), which is what comparing with foldAscii does.
 */
export function identifierAtEnd(words: readonly string[]): ((s: string, from: number, to: number) => boolean) | null {
  const trimmed = words.map((w) => w.trim());
  if (trimmed.length === 0 || !lowerAsciiWords(trimmed) || trimmed.some((w) => w === '')) return null;
  // the words by their last character
  const byLast: (string[] | undefined)[] = new Array(128);
  for (const w of trimmed) (byLast[w.charCodeAt(w.length - 1)] ??= []).push(w);
  /** identifierPattern's verdict on s[from, to) as a string of its own. */
  return (s, from, to) => {
    // the longest stretch before `to` of what may follow the word: the word ends in it or right before it
    let tail = to;
    while (tail > from && inIdentifierTail(s.charCodeAt(tail - 1))) tail--;
    for (let end = to; end >= tail && end > from; end--) {
      const last = foldAscii(s.charCodeAt(end - 1));
      const ws = last < 128 ? byLast[last] : undefined;
      if (ws === undefined) continue;
      for (const w of ws) {
        const p = end - w.length;
        if (p < from || (p > from && isAsciiLetter(s.charCodeAt(p - 1)))) continue;
        let k = 0;
        while (k < w.length && foldAscii(s.charCodeAt(p + k)) === w.charCodeAt(k)) k++;
        if (k === w.length) return true;
      }
    }
    return false;
  };
}

export function createContextMatcher(lang: LanguagePack, extra: Record<string, readonly string[]> = {}): ContextMatcher {
  // lower-case ASCII words (English) are matched case-insensitively in plain slices of the text, the
  // same as in lower-cased windows (caselessBefore); other words in lower-cased windows
  const caseless =
    lowerAsciiWords(lang.negativeContext.map((w) => w.trim())) &&
    Object.values(lang.context).every((ws) => lowerAsciiWords(ws ?? [])) &&
    Object.values(extra).every((ws) => lowerAsciiWords(ws));
  const flags = caseless ? 'i' : '';
  const cache = new Map<string, RegExp | null>();
  const forType = (type: string): RegExp | null => {
    let re = cache.get(type);
    if (re === undefined) {
      re = wordsRegex([...(lang.context[type] ?? []), ...(extra[type] ?? [])], flags);
      cache.set(type, re);
    }
    return re;
  };
  // an identifier word within the last NEAR characters of a window: looked for at the end by hand when the words allow it
  const atEnd = caseless ? identifierAtEnd(lang.negativeContext) : null;
  const negative = identifierPattern(lang.negativeContext, flags);
  const identifierNear = atEnd ? (w: string) => atEnd(w, w.length > NEAR ? w.length - NEAR : 0, w.length) : (w: string) => negative.test(w.slice(-NEAR));
  /** Scores the candidate in place from the lower-cased window before it; false when it must be dropped. */
  const score = (c: Candidate, window: string, hint: string): boolean => {
    const re = forType(c.type);
    const hit = !!re && (re.test(window) || (hint !== '' && re.test(hint)));
    if (hit) c.score = Math.min(1, c.score + CONTEXT_BOOST);
    else if (c.needsContext) return false;
    // an identifier word right before the number outweighs a context word further back ("Call log: … the order 717-5471512")
    if (NUMERIC_TYPES.has(c.type) && identifierNear(window) && !(hit && re!.test(window.slice(-NEAR)))) {
      c.score -= NEGATIVE_PENALTY + (hit ? CONTEXT_BOOST : 0);
    }
    return true;
  };
  /**
   * A candidate the judge cannot change: a full score stays full with a context word (the boost is capped
   * at 1) and without one, and only numeric types can lose points to an identifier word.
   */
  const settled = (c: Candidate) => c.score === 1 && !c.needsContext && !NUMERIC_TYPES.has(c.type);
  return {
    forText(text, fieldHint, index) {
      const hint = fieldHint ? fieldHint.toLowerCase().replace(/[_\-.]+/g, ' ') : '';
      if (index) {
        // windows are slices of the text (or of its lower case): cheaper to take again than to look up
        return (c) => c.contextDone === true || settled(c) || score(c, caseless ? caselessBefore(text, index, c.start, WINDOW) : lowerBefore(text, index, c.start, WINDOW), hint);
      }
      const windows = new Map<number, string>();
      return (c) => {
        if (c.contextDone || settled(c)) return true;
        let window = windows.get(c.start);
        if (window === undefined) {
          window = text.slice(Math.max(0, c.start - WINDOW), c.start).toLowerCase();
          windows.set(c.start, window);
        }
        return score(c, window, hint);
      };
    },
  };
}
