import { indexText } from '../prepass.js';
import type { Candidate, Detector, PersonLexicon, TextIndex } from '../types.js';
import { isAlnumU, isLetter, isUpper } from './chars.js';
import { US_SUFFIXES } from './street-words.js';
import { after, before, candidate, caselessAfter, caselessBefore, caselessWords, isAsciiLetter } from './util.js';

/**
 * PERSON: runs of capitalised words, judged by the language's lexicon of given
 * names and surnames (the NLP library's lexicon plus names of many origins),
 * surname morphology and context cues (titles, "my name is", "spoke with",
 * "said"). Only capitalised candidates are examined, never the whole text.
 */
const SENTENCE_END = /(?:^|[.!?:;\n"“(\[•*>-])\s*$/;

type Kind = 'F' | 'L' | 'U' | 'C' | 'I' | 'T';
interface Tok {
  start: number;
  end: number;
  kind: Kind;
  /** An ordinary word (not a place word) that reads as a surname right after a given name. */
  surnameAfterFirst?: boolean;
  /** Written in capitals ("JOHN"): only a known given name or surname, and only in a name that opens with a given name (see judge). */
  caps?: boolean;
}
/** Words that after a given name make a place or an institution ("Virginia Beach", "Jordan River"), not a surname. */
const PLACE_WORDS = new Set([...US_SUFFIXES.map((w) => w.toLowerCase()), 'county', 'city', 'bay', 'hall', 'tower', 'church', 'museum', 'stadium', 'mall', 'group', 'foundation']);

/**
 * A word starts at an upper-case letter that does not follow a letter, digit or one of _ @ # / . ' ’ -
 * (the pre-pass lists those places), runs over letters, apostrophes and inner hyphens, and may end in a dot.
 */

export const personDetector: Detector = {
  types: ['PERSON'],
  detect(text, ctx, index = indexText(text)) {
    const lex = ctx.lang.person;
    const out: Candidate[] = [];
    let group: Tok[] = [];
    let prevEnd = -1;
    const flush = () => {
      if (group.length) judge(text, group, lex, out, index);
      group = [];
    };
    let i = 0;
    for (const cap of index.caps) {
      if (cap < i) continue;
      i = cap;
      let j = i + 1;
      for (;;) {
        const d = text.charCodeAt(j);
        if (isLetter(d) || d === 39 || d === 8217 || (d === 45 && isLetter(text.charCodeAt(j + 1)))) j++;
        else break;
      }
      if (text.charCodeAt(j) === 46) j++;
      const tok = classify(text, i, j, lex);
      i = j;
      if (!tok) {
        flush();
        prevEnd = -1;
        continue;
      }
      if (prevEnd < 0 || !joins(text, prevEnd, tok.start, lex)) flush();
      else if (tok.surnameAfterFirst && tok.start === prevEnd + 1 && group[group.length - 1].kind === 'F') tok.kind = 'L';
      else if ((tok.kind === 'L' || tok.kind === 'F') && group[group.length - 1].kind === 'C' && givenWordBefore(group[group.length - 1], tok, text, lex)) group[group.length - 1].kind = 'F';
      // (" and " or " & " after it)
      if (tok.kind === 'C' && text.charCodeAt(tok.end) === 32 && (text.charCodeAt(tok.end + 1) === 97 || text.charCodeAt(tok.end + 1) === 38) && joinedToName(text, tok, lex)) tok.kind = 'F';
      group.push(tok);
      prevEnd = tok.end;
    }
    flush();
    const lc = lowerCuesOf(lex);
    if (lc !== null && lowerCaseNames(text, index, lc, lex, out)) out.sort((a, b) => a.start - b.start);
    coordinate(text, out);
    return out;
  },
};

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
function lowerCaseNames(text: string, index: TextIndex, lc: LowerCues, lex: PersonLexicon, out: Candidate[]): boolean {
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

/** "Met Ana Ruiz and Lasse Meeuwis": a name joined by 'and' / '&' / ',' to a likely name is likely one too. */
function coordinate(text: string, out: Candidate[]): void {
  const base = out.map((c) => c.score);
  for (let k = 1; k < out.length; k++) {
    const a = out[k - 1];
    const b = out[k];
    if (b.start - a.end > 5 || !/^(?:,? and |,? & |, )$/.test(text.slice(a.end, b.start))) continue;
    if (base[k - 1] >= 0.5 && base[k] < 0.5) b.score = Math.min(1, b.score + COORDINATION);
    else if (base[k] >= 0.5 && base[k - 1] < 0.5) a.score = Math.min(1, a.score + COORDINATION);
  }
}
const COORDINATION = 0.3;

/**
 * `prev`, an ordinary word of the lexicon ('W': kind 'C' with surnameAfterFirst set), is a given name that is an ordinary word too
 * ("Frank", "Will"; see givenWords) and `tok` after it is a known surname, or a given name that is a surname
 * too ("Will Kelly"): then `prev` is a given name. An ordinary word or an unknown one after it is not
 * enough ("Bill Payment", "Will Zapier"). The word list is only looked at in that case.
 */
function givenWordBefore(prev: Tok, tok: Tok, text: string, lex: PersonLexicon): boolean {
  if (prev.kind !== 'C' || prev.surnameAfterFirst === undefined || !lex.givenWords) return false;
  if (tok.kind === 'F' && (tok.caps || !lex.isLastName(text.slice(tok.start, tok.end).toLowerCase()))) return false;
  return lex.givenWords.has(text.slice(prev.start, prev.end).toLowerCase());
}

/**
 * `tok`, an ordinary word of the lexicon ('W': kind 'C' with surnameAfterFirst set), is a given name that is an ordinary word too and
 * " and " or " & " joins it to a given name and a surname: "Frank and Linda Morrison" share the surname, so
 * "Frank" is a name ("Art and Design", "Will and Testament" are not).
 */
function joinedToName(text: string, tok: Tok, lex: PersonLexicon): boolean {
  const end = tok.end;
  const p = text.startsWith(' and ', end) ? end + 5 : text.startsWith(' & ', end) ? end + 3 : -1;
  if (p < 0 || tok.surnameAfterFirst === undefined || !lex.givenWords) return false;
  const e = capitalisedWordFrom(text, p);
  if (e < 0 || text.charCodeAt(e) !== 32 || !isUpper(text.charCodeAt(e + 1)) || !givenName(text.slice(p, e), lex)) return false;
  return lex.givenWords.has(text.slice(tok.start, end).toLowerCase());
}

/** Every part of a hyphenated word is a given name ("jean-luc", "anne-marie"); one that is an ordinary word ("jean") counts too. */
function hyphenatedGivenName(lower: string, lex: PersonLexicon): boolean {
  const parts = lower.split('-');
  return parts.length <= 3 && parts.every((p) => p.length > 1 && (givenName(p, lex) || lex.givenWords?.has(p) === true));
}

/** Surnames by shape: "McAllister", "MacLeod", "O'Brien", and double-barrelled "Smith-Jones". */
const SURNAME_PREFIXED = /^(?:mc|mac|o['’])\p{Lu}/iu;
const DOUBLE_BARRELLED = /^\p{Lu}\p{Ll}+-\p{Lu}\p{Ll}+$/u;

/** Classifies the word text[start, rawEnd) (a trailing dot and a possessive 's are not part of the name). */
function classify(text: string, start: number, rawEnd: number, lex: PersonLexicon): Tok | null {
  const dot = text.charCodeAt(rawEnd - 1) === 46;
  let end = dot ? rawEnd - 1 : rawEnd;
  if (end - start >= 3 && text.charCodeAt(end - 1) === 115 && (text.charCodeAt(end - 2) === 39 || text.charCodeAt(end - 2) === 8217)) end -= 2;
  if (end - start === 1) return { start, end: dot ? end + 1 : end, kind: 'I' };
  const word = text.slice(start, end);
  if (allCaps(word)) return besideCapital(text, start, rawEnd) ? capitalsWord(start, end, rawEnd, word.toLowerCase(), lex) : null;
  const lower = word.toLowerCase();
  if (lex.titles.has(lower)) return { start, end: rawEnd, kind: 'T' };
  const known = lex.kindOf ? lex.kindOf(lower) : lex.isFirstName(lower) ? 'F' : lex.isLastName(lower) ? 'L' : lex.isCommonWord(lower) ? 'C' : undefined;
  if (known === 'W') return { start, end, kind: 'C', surnameAfterFirst: !PLACE_WORDS.has(lower) };
  if (known) return { start, end, kind: known };
  // "Jean-Luc", "Anne-Marie": given names joined by a hyphen are one
  if (word.includes('-') && hyphenatedGivenName(lower, lex)) return { start, end, kind: 'F' };
  if (lower.length > 4 && suffixes(lex).test(lower)) return { start, end, kind: 'L' };
  // (each pattern only where its first letter or its hyphen is there: nothing else folds to m, M, o or O)
  const c0 = word.charCodeAt(0) | 32;
  if (((c0 === 109 || c0 === 111) && SURNAME_PREFIXED.test(word)) || (word.includes('-') && DOUBLE_BARRELLED.test(word))) return { start, end, kind: 'L' };
  return { start, end, kind: 'U' };
}

/**
 * A word in capitals ("JOHN", "SMITH", "MR"): forms, shipping labels and cards print names that way. Only a
 * title or a word the lexicon knows as a given name or surname is kept (acronyms and shouted words are not).
 */
function capitalsWord(start: number, end: number, rawEnd: number, lower: string, lex: PersonLexicon): Tok | null {
  if (lex.titles.has(lower)) return { start, end: rawEnd, kind: 'T' };
  const known = lex.kindOf ? lex.kindOf(lower) : lex.isFirstName(lower) ? 'F' : lex.isLastName(lower) ? 'L' : undefined;
  return known === 'F' || known === 'L' ? { start, end, kind: known, caps: true } : null;
}

const suffixRes = new WeakMap<PersonLexicon, RegExp>();
/** The lexicon's surname endings as one anchored pattern, built once per lexicon. */
function suffixes(lex: PersonLexicon): RegExp {
  let re = suffixRes.get(lex);
  if (!re) {
    // no u flag: literal suffixes anchored at the end match the same without it, only faster
    re = new RegExp(`(?:${lex.surnameSuffixes.map((x) => x.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})$`);
    suffixRes.set(lex, re);
  }
  return re;
}

/**
 * A capitalised word (or an initial's dot) stands right beside the word text[start, end), one space between: only then can a word in
 * capitals be part of a name of two or more words (capitalsName). Spares the lexicon lookup for the lone
 * acronyms of logs and code ("ERROR", "GET", "UTC").
 */
function besideCapital(text: string, start: number, end: number): boolean {
  return (text.charCodeAt(end) === 32 && isUpper(text.charCodeAt(end + 1))) || (text.charCodeAt(start - 1) === 32 && (isLetter(text.charCodeAt(start - 2)) || text.charCodeAt(start - 2) === 46));
}

/**
 * A name with words in capitals (each one a known name, see capitalsWord) has two to four words and opens
 * with a given name: "JOHN SMITH", or the surname in capitals as much of Europe writes it ("Jean DUPONT").
 */
function capitalsName(words: readonly Tok[]): boolean {
  return words.length >= 2 && words[0].kind === 'F';
}

/** No lower-case letter in the word ("ERROR", "NASA"); checks ASCII first, then asks the Unicode case mapping. */
function allCaps(word: string): boolean {
  for (let k = 1; k < word.length; k++) {
    const c = word.charCodeAt(k);
    if (c >= 97 && c <= 122) return false;
  }
  return word === word.toUpperCase();
}

/** Tokens belong to one name when only a space, or a space-separated particle, lies between. */
function joins(text: string, from: number, to: number, lex: PersonLexicon): boolean {
  if (to === from || (to === from + 1 && text.charCodeAt(from) === 32)) return true;
  if (to - from > 24) return false;
  const m = /^ ((?:[a-z']+ ){1,2})$/.exec(text.slice(from, to));
  return !!m && m[1].trim().split(' ').every((p) => lex.particles.has(p));
}

function judge(text: string, toks: Tok[], lex: PersonLexicon, out: Candidate[], index: TextIndex): void {
  let i = 0;
  let titled = false;
  // leading titles, initials at a sentence start and common words are not part of the name
  while (i < toks.length) {
    const t = toks[i];
    if (t.kind === 'T') titled = true;
    else if (t.kind === 'C') {
      const next = toks[i + 1];
      const atStart = SENTENCE_END.test(text.slice(Math.max(0, t.start - 3), t.start));
      if (atStart || !next || next.kind === 'C' || next.kind === 'U' || next.kind === 'T') titled = false;
      else break;
    } else break;
    i++;
  }
  let j = toks.length;
  while (j > i && (toks[j - 1].kind === 'C' || toks[j - 1].kind === 'I')) j--;
  // a common word inside splits the run; judge the first part, then the rest
  for (let k = i + 1; k < j; k++) {
    if (toks[k].kind === 'C' || toks[k].kind === 'T') {
      judge(text, toks.slice(i, k), lex, out, index);
      judge(text, toks.slice(k), lex, out, index);
      return;
    }
  }
  const name = toks.slice(i, j);
  const words = name.filter((t) => t.kind !== 'I');
  if (words.length === 0 || words.length > 4) return;
  // a name with words in capitals is a given name and more known names ("JOHN SMITH", "Jean DUPONT")
  if (words.some((t) => t.caps) && !capitalsName(words)) return;
  const first = words[0].kind;
  const hasName = words.some((t) => t.kind === 'F' || t.kind === 'L');
  let score: number;
  if (words.length >= 2) score = first === 'F' ? 0.85 : hasName ? 0.7 : first === 'C' ? 0.25 : 0.45;
  else score = first === 'F' ? 0.55 : first === 'L' ? 0.35 : 0.2;
  const start = name[0].start;
  const end = name[name.length - 1].end;
  if ((lex.organizationSuffixes || lex.organizations) && isCompany(text, name, end, lex, titled ? 0 : words.length)) return;
  const cues = cuesOf(lex);
  if (titled) score += 0.45;
  else {
    const cue = cues.before ? cueIn(cues.before, caselessBefore(text, index, start, 28)) : cueBefore(text, start, lex);
    if (cue !== 0) score += cue === CUE ? 0.3 : WEAK_CUE;
  }
  if (cues.after ? cues.after.test(caselessAfter(text, index, end, 16)) : cueAfter(text, end, lex)) score += 0.25;
  out.push(candidate('PERSON', start, end, Math.min(1, score), undefined, false, true));
}

interface Organizations {
  after: RegExp | null;
  words: ReadonlySet<string>;
  /** The lexicon's organizations as written and in capitals, as a name of capitals is written ("HARLEY DAVIDSON"). */
  names: ReadonlySet<string>;
  /** wordKey of the first word of each of `names`. */
  firsts: ReadonlySet<number>;
}
const orgRes = new WeakMap<PersonLexicon, Organizations>();
/**
 * The name is a company's: an organization suffix follows it ("Goodwin Inc", "Herzog and Sons") or
 * ends the run itself ("Raynor Group", when "Group" was taken as part of the name), or it is named
 * (knownOrganization). `words` is the number of words of the name, 0 for a titled one.
 */
function isCompany(text: string, name: Tok[], end: number, lex: PersonLexicon, words: number): boolean {
  let o = orgRes.get(lex);
  if (!o) {
    const suffixes = lex.organizationSuffixes ?? [];
    const esc = (w: string) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    // longest first, so "Co." is not cut at "Co"; the suffix must end the word ("Co-founder" is not "Co.")
    const alt = [...suffixes].sort((a, b) => b.length - a.length).map(esc).join('|');
    const names = (lex.organizations ?? []).flatMap((n) => [n, n.toUpperCase()]);
    o = {
      after: alt ? new RegExp(`^,? (?:${alt})(?![\\p{L}\\p{N}'’-])`, 'u') : null,
      words: new Set(suffixes.filter((w) => !w.includes(' '))),
      names: new Set(names),
      firsts: new Set(names.map((n) => wordKey(n, 0, n.includes(' ') ? n.indexOf(' ') : n.length))),
    };
    orgRes.set(lex, o);
  }
  if (name.length > 1 && o.words.has(text.slice(name[name.length - 1].start, name[name.length - 1].end))) return true;
  if (o.after && o.after.test(text.slice(end, end + 24))) return true;
  return knownOrganization(text, name[0].start, name[0].end, end, words, lex, o);
}

/** What ends the text before a name: no cue (0), a cue (CUE) or a weak cue (WEAK). */
const CUE = 1;
const WEAK = 2;
type CueKind = 0 | typeof CUE | typeof WEAK;
/**
 * What a weak cue adds: a lone word the lexicon does not know (0.2) stays below the threshold after one
 * ("Welcome to Onboarding", "Integration with Zapier"), a lone known surname (0.35) and two unknown words (0.45) pass.
 */
const WEAK_CUE = 0.25;

/**
 * A word text[start, end) as one small integer (30 bits, no heap number): the low eight bits of its first,
 * second and last code units and its length (up to 63).
 */
const wordKey = (text: string, start: number, end: number) =>
  ((text.charCodeAt(start) & 255) << 22) | ((text.charCodeAt(start + 1) & 255) << 14) | ((text.charCodeAt(end - 1) & 255) << 6) | Math.min(end - start, 63);

/**
 * The name is, or opens, an organization the lexicon knows by name ("Calvin Klein", "Walt Disney World"),
 * or it stands on one side of " & " in one ("Johnson & Johnson", "Marks & Spencer"). Two single words
 * joined by " & ", neither a given name, are a firm's name too ("Latham & Watkins", "Procter & Gamble"):
 * people written that way go by their given names ("Tom & Jerry").
 */
function knownOrganization(text: string, start: number, firstEnd: number, end: number, words: number, lex: PersonLexicon, o: Organizations): boolean {
  const { names: known, firsts } = o;
  // (a name whose first word opens no known organization, by wordKey, is not looked up)
  if (firsts.has(wordKey(text, start, firstEnd)) && knownAt(text, start, end, known)) return true;
  const right = text.charCodeAt(end) === 32 && text.charCodeAt(end + 1) === 38 && text.charCodeAt(end + 2) === 32;
  const left = start >= 3 && text.charCodeAt(start - 1) === 32 && text.charCodeAt(start - 2) === 38 && text.charCodeAt(start - 3) === 32;
  if (!right && !left) return false;
  // the end of the word after " & ", or the start of the word before it
  const other = right ? capitalisedWordFrom(text, end + 3) : capitalisedWordTo(text, start - 3);
  if (other < 0) return false;
  const whole = right ? text.slice(start, other) : text.slice(other, end);
  // "Ben & Jerry's": the other word may carry a possessive
  if (known.has(whole) || (right && /['’]s$/.test(whole) && known.has(whole.slice(0, -2)))) return true;
  if (words !== 1) return false;
  // (a titled name, "Ms. Watkins & Mr. Latham", is a person's: `words` is 0 for it)
  const otherWord = right ? text.slice(end + 3, other) : text.slice(other, start - 3);
  return !givenName(text.slice(start, end), lex) && !givenName(otherWord, lex) && !lex.titles.has(otherWord.toLowerCase()) && !(left && titleBefore(text, other, lex));
}

/** The name text[start, end) or one of its leading runs of words is a known organization. */
function knownAt(text: string, start: number, end: number, known: ReadonlySet<string>): boolean {
  if (known.has(text.slice(start, end))) return true;
  // "Walt Disney World", "Calvin Klein Jeans": an organization's name and more
  for (let p = text.lastIndexOf(' ', end - 1); p > start; p = text.lastIndexOf(' ', p - 1)) if (known.has(text.slice(start, p))) return true;
  return false;
}

/** A title ("Mr", "Dr.") ends right before the word that starts at p. */
function titleBefore(text: string, p: number, lex: PersonLexicon): boolean {
  let e = p - 1;
  while (e > 0 && text.charCodeAt(e - 1) === 32) e--;
  if (text.charCodeAt(e - 1) === 46) e--;
  const s = capitalisedWordTo(text, e);
  return s >= 0 && lex.titles.has(text.slice(s, e).toLowerCase());
}

const givenName = (word: string, lex: PersonLexicon) => {
  const lower = word.toLowerCase();
  return lex.kindOf ? lex.kindOf(lower) === 'F' : lex.isFirstName(lower);
};

/** The end of a capitalised word (letters, ' ’ -) that starts at p, or -1. */
function capitalisedWordFrom(text: string, p: number): number {
  if (!isUpper(text.charCodeAt(p))) return -1;
  let e = p + 1;
  while (isLetter(text.charCodeAt(e)) || text.charCodeAt(e) === 39 || text.charCodeAt(e) === 8217 || text.charCodeAt(e) === 45) e++;
  return e;
}

/** The start of a capitalised word (letters, ' ’ -) that ends at p, or -1. */
function capitalisedWordTo(text: string, p: number): number {
  let s = p;
  while (s > 0 && (isLetter(text.charCodeAt(s - 1)) || text.charCodeAt(s - 1) === 39 || text.charCodeAt(s - 1) === 8217 || text.charCodeAt(s - 1) === 45)) s--;
  return s < p && isUpper(text.charCodeAt(s)) ? s : -1;
}

/** A cue word ends the 28 characters before the name, but for spaces and , : ; " “ ( - (lower-cased); a full cue before a weak one. */
function cueBefore(text: string, start: number, lex: PersonLexicon): CueKind {
  const prior = before(text, start, 28).replace(/[\s,:;"“(-]+$/, '');
  if (lex.before.some((c) => endsWithCue(prior, c))) return CUE;
  return lex.weakBefore?.some((c) => endsWithCue(prior, c)) ? WEAK : 0;
}

/** cueBefore with the pattern of cuesOf over a caselessBefore window: group 1 holds a full cue. */
function cueIn(re: RegExp, window: string): CueKind {
  const m = re.exec(window);
  return m === null ? 0 : m[1] !== undefined ? CUE : WEAK;
}

/** A cue word follows the name ("said", "'s"), after one space unless it opens with an apostrophe (lower-cased). */
function cueAfter(text: string, end: number, lex: PersonLexicon): boolean {
  const next = after(text, end, 16);
  return lex.after.some((c) => next.startsWith(c.startsWith("'") || c.startsWith('’') ? c : ' ' + c));
}

interface Cues {
  /**
   * cueBefore as one case-insensitive pattern over a caselessBefore window, or null (then cueBefore): the
   * full cues in group 1, then the weak ones. At the leftmost place a cue can end the window a full cue is
   * tried first, and a full cue that ends with a weak one ("spoke with", "with") starts further left.
   */
  before: RegExp | null;
  /** cueAfter as one pattern over a caselessAfter window, or null. */
  after: RegExp | null;
}
const STRIPPED = /[\s,:;"“(-]$/;
const cueSets = new WeakMap<PersonLexicon, Cues>();
/**
 * The lexicon's cues as two patterns, when its words are caseless-safe (lower-case ASCII or characters
 * without case, see caselessBefore). Before: a cue at the window start or after a character that is no
 * letter a-z, then only the stripped characters to the end; a cue that itself ends with one of those can
 * never end the stripped text, so it is left out. After: a cue right at the start, after one space
 * unless it opens with an apostrophe.
 */
function cuesOf(lex: PersonLexicon): Cues {
  let c = cueSets.get(lex);
  if (!c) {
    const esc = (w: string) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const weakWords = lex.weakBefore ?? [];
    const before = lex.before.filter((w) => !STRIPPED.test(w));
    const weak = weakWords.filter((w) => !STRIPPED.test(w));
    const after = lex.after.map((w) => (w.startsWith("'") || w.startsWith('’') ? w : ' ' + w));
    const alternatives = [`(${before.length ? before.map(esc).join('|') : '(?!)'})`, ...weak.map(esc)].join('|');
    c = {
      before: caselessWords(lex.before) && caselessWords(weakWords) && before.length + weak.length ? new RegExp(`(?:^|[^a-z])(?:${alternatives})[\\s,:;"“(-]*$`, 'i') : null,
      after: caselessWords(lex.after) && after.length ? new RegExp(`^(?:${after.map(esc).join('|')})`, 'i') : null,
    };
    cueSets.set(lex, c);
  }
  return c;
}

/** The cue ends the text before the name (already stripped of trailing spaces and ',' ':'). */
function endsWithCue(p: string, cue: string): boolean {
  if (!p.endsWith(cue)) return false;
  const k = p.length - cue.length - 1;
  return k < 0 || !/[a-z]/.test(p[k]);
}
