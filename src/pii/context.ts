import { caselessBefore, lowerAsciiWords, lowerBefore } from './detectors/util.js';
import type { Candidate, EntityType, LanguagePack, TextIndex } from './types.js';

/**
 * Context scoring: a context word of the candidate's type among the few words
 * before it (or as the JSON field name it sits in) raises its score; an
 * identifier word right before a bare number ("order", "version") lowers it.
 */
export const CONTEXT_BOOST = 0.35;
const NEGATIVE_PENALTY = 0.4;
const WINDOW = 48;
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
  const negative = new RegExp(`(?:^|[^a-z])(?:${lang.negativeContext.map((w) => escape(w.trim())).join('|')})[\\s#:.no-]*$`, flags);
  /** Scores the candidate in place from the lower-cased window before it; false when it must be dropped. */
  const score = (c: Candidate, window: string, hint: string): boolean => {
    const re = forType(c.type);
    const hit = !!re && (re.test(window) || (hint !== '' && re.test(hint)));
    if (hit) c.score = Math.min(1, c.score + CONTEXT_BOOST);
    else if (c.needsContext) return false;
    // an identifier word right before the number outweighs a context word further back ("Call log: … the order 717-5471512")
    if (NUMERIC_TYPES.has(c.type) && negative.test(window.slice(-20)) && !(hit && re!.test(window.slice(-20)))) {
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
