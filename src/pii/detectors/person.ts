import { indexText } from '../prepass.js';
import type { Candidate, Detector, PersonLexicon, TextIndex } from '../types.js';
import { isLetter, isUpper } from './chars.js';
import { lowerCaseNames } from './person-lower.js';
import { isCompany } from './person-org.js';
import { capitalisedWordFrom, givenName, hyphenatedGivenName } from './person-words.js';
import { US_SUFFIXES } from './street-words.js';
import { after, before, candidate, caselessAfter, caselessBefore, caselessWords } from './util.js';

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
    if (lex.lowerCase && lowerCaseNames(text, index, lex, out)) out.sort((a, b) => a.start - b.start);
    coordinate(text, out);
    return out;
  },
};

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

/** What ends the text before a name: no cue (0), a cue (CUE) or a weak cue (WEAK). */
const CUE = 1;
const WEAK = 2;
type CueKind = 0 | typeof CUE | typeof WEAK;
/**
 * What a weak cue adds: a lone word the lexicon does not know (0.2) stays below the threshold after one
 * ("Welcome to Onboarding", "Integration with Zapier"), a lone known surname (0.35) and two unknown words (0.45) pass.
 */
const WEAK_CUE = 0.25;

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
