import type { Candidate, PersonLexicon, TextIndex } from '../types.js';
import { isAlnumU, isLetter, isUpper } from './chars.js';
import { hyphenatedGivenName } from './person-words.js';
import { candidate, isAsciiLetter } from './util.js';

/**
 * PERSON in lower case, as chats and prompts write names ("ask sarah", "my name is mike jones", "cc: tom"):
 * found after the lexicon's strong cues only, at anchors found with indexOf, the text's start and the ':'
 * the pre-pass recorded; never a walk over the text.
 */

interface LowerCues {
  /**
   * Each anchor with the inline cues that hold it, by the code unit right before the anchor in the cue
   * (lower case ASCII; `first` when the anchor opens the cue): at a hit, only the cues that fit the letter
   * before it are compared ("k" after 's' is "ask", after 'l' "talked to" …), then those it opens.
   */
  anchored: { anchor: string; first: Cue[]; byPrev: (Cue[] | undefined)[] }[];
  openers: readonly string[];
  /** Bit k set: some opener starts with the letter a + k. */
  openerFirst: number;
  labels: readonly string[];
}
interface Cue {
  cue: string;
  /** Where the anchor starts in the cue. */
  at: number;
}
const lowerCueSets = new WeakMap<PersonLexicon, LowerCues | null>();
function lowerCuesOf(lex: PersonLexicon): LowerCues | null {
  let c = lowerCueSets.get(lex);
  if (c === undefined) {
    const l = lex.lowerCase;
    c = l
      ? {
          anchored: l.anchors.map((anchor) => {
            const first: Cue[] = [];
            const byPrev: (Cue[] | undefined)[] = new Array(128);
            for (const cue of l.inline) {
              const at = cue.indexOf(anchor);
              if (at < 0) continue;
              if (at === 0) first.push({ cue, at });
              else (byPrev[cue.charCodeAt(at - 1) & 127] ??= []).push({ cue, at });
            }
            return { anchor, first, byPrev };
          }),
          openers: l.openers,
          openerFirst: l.openers.reduce((m, o) => m | (1 << (o.charCodeAt(0) - 97)), 0),
          labels: l.labels,
        }
      : null;
    lowerCueSets.set(lex, c);
  }
  return c;
}

/** The code unit c, a letter a-z in either case, starts an opener. */
const opensOpener = (lc: LowerCues, c: number) => {
  const k = (c | 32) - 97;
  return k >= 0 && k < 26 && ((lc.openerFirst >>> k) & 1) === 1;
};

/**
 * Names in lower case after a strong cue ("ask sarah", "talked to priya", "my name is mike jones", "cc: tom",
 * "hi anna" at the start): only where an anchor, the text's start or a recorded ':' is, never a walk over
 * the text. True when it added any.
 */
export function lowerCaseNames(text: string, index: TextIndex, lex: PersonLexicon, out: Candidate[]): boolean {
  const lc = lowerCuesOf(lex);
  if (lc === null) return false;
  const n = out.length;
  for (const { anchor, first, byPrev } of lc.anchored) {
    for (let h = text.indexOf(anchor); h >= 0; h = text.indexOf(anchor, h + 1)) {
      let prev = text.charCodeAt(h - 1);
      if (prev >= 65 && prev <= 90) prev |= 32;
      const before = prev < 128 ? byPrev[prev] : undefined;
      let end = before === undefined ? -1 : cueEnd(text, h, before);
      if (end < 0) end = cueEnd(text, h, first);
      if (end >= 0) lowerNameAfter(text, end, lex, out);
    }
  }
  // an opener that opens the text ("hi anna, …", "Hey priya")
  let s = 0;
  while (s < 8 && (text.charCodeAt(s) === 32 || text.charCodeAt(s) === 10)) s++;
  if (opensOpener(lc, text.charCodeAt(s))) openerAt(text, s, lc, lex, out);
  for (const p of index.colon) {
    // the word right before the ':' is a label ("cc:", "Attn:"), and a space or a lower-case letter follows
    const next = text.charCodeAt(p + 1);
    if (!(next === 32 || (next >= 97 && next <= 122)) || !isAsciiLetter(text.charCodeAt(p - 1))) continue;
    let w = p;
    while (w > 0 && p - w < 9 && isAsciiLetter(text.charCodeAt(w - 1))) w--;
    if (w === p || isLetter(text.charCodeAt(w - 1))) continue;
    for (const label of lc.labels) {
      if (label.length === p - w && cueAt(text, w, label)) {
        lowerNameAfter(text, p, lex, out);
        break;
      }
    }
  }
  return out.length > n;
}

/** Where the first of the cues that holds the anchor found at h ends, or -1. */
function cueEnd(text: string, h: number, cues: readonly Cue[]): number {
  for (let k = 0; k < cues.length; k++) {
    const s = h - cues[k].at;
    if (s >= 0 && cueAt(text, s, cues[k].cue)) return s + cues[k].cue.length;
  }
  return -1;
}

/** An opener starts at s ("hi", "Hi"): a name in lower case may follow it. */
function openerAt(text: string, s: number, lc: LowerCues, lex: PersonLexicon, out: Candidate[]): void {
  for (const o of lc.openers) {
    if (cueAt(text, s, o)) {
      lowerNameAfter(text, s + o.length, lex, out);
      return;
    }
  }
}

/** The cue (lower case) stands at s in the text, in either case, as words of their own (no letter right before or after it). */
function cueAt(text: string, s: number, cue: string): boolean {
  if ((s > 0 && isLetter(text.charCodeAt(s - 1))) || isLetter(text.charCodeAt(s + cue.length))) return false;
  for (let k = 0; k < cue.length; k++) {
    let c = text.charCodeAt(s + k);
    if (c >= 65 && c <= 90) c |= 32;
    if (c !== cue.charCodeAt(k)) return false;
  }
  return true;
}

/**
 * After a cue that ends at p: spaces and at most one ',' or ':', then a given name in lower case that the lexicon
 * knows and that is no ordinary word ("sarah", "jean-luc"; not "will", "may", "support"), and a known surname
 * in lower case may follow ("mike jones"). Scored as a given name after a cue (and a surname).
 */
function lowerNameAfter(text: string, p: number, lex: PersonLexicon, out: Candidate[]): void {
  let q = p;
  let punct = false;
  for (;;) {
    const c = text.charCodeAt(q);
    if (c === 32 && q - p < 4) q++;
    else if ((c === 44 || c === 58) && !punct) {
      punct = true;
      q++;
    } else break;
  }
  if (q === p) return;
  const e = lowerWordEnd(text, q);
  if (e < 0) return;
  const lower = text.slice(q, e).toLowerCase();
  const known = lex.kindOf ? lex.kindOf(lower) : lex.isFirstName(lower) ? 'F' : undefined;
  if (lex.givenWords?.has(lower) || !(known === 'F' || (known === undefined && lower.includes('-') && hyphenatedGivenName(lower, lex)))) return;
  let end = e;
  let score = 0.55 + 0.3;
  if (text.charCodeAt(e) === 32) {
    const e2 = lowerWordEnd(text, e + 1);
    // (surnames of one or two letters, "do", "le", "ho", are ordinary words in lower case)
    if (e2 - e > 3 && (lex.kindOf ? lex.kindOf(text.slice(e + 1, e2).toLowerCase()) === 'L' : lex.isLastName(text.slice(e + 1, e2).toLowerCase()))) {
      end = e2;
      score += 0.3;
    }
  }
  out.push(candidate('PERSON', q, end, Math.min(1, score), undefined, false, true));
}

/**
 * The end of a word in lower case that starts at s (letters, inner hyphens, and a possessive 's left out),
 * or -1 when there is none or it runs on into a file name, an address or a handle ("john.txt", "john@",
 * "john_doe", "john2") or a contraction ("don't").
 */
function lowerWordEnd(text: string, s: number): number {
  const c0 = text.charCodeAt(s);
  if (!isLetter(c0) || isUpper(c0)) return -1;
  let e = s + 1;
  for (;;) {
    const d = text.charCodeAt(e);
    if (isLetter(d) || (d === 45 && isLetter(text.charCodeAt(e + 1)))) e++;
    else break;
  }
  const d = text.charCodeAt(e);
  if (d === 39 || d === 8217) return text.charCodeAt(e + 1) === 115 && !isAlnumU(text.charCodeAt(e + 2)) ? e : -1;
  if (d === 46) return isAlnumU(text.charCodeAt(e + 1)) ? -1 : e;
  return isAlnumU(d) || d === 95 || d === 64 || d === 47 || d === 45 ? -1 : e;
}
