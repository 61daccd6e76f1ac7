import type { PersonLexicon } from '../types.js';
import { capitalisedWordFrom, capitalisedWordTo, givenName } from './person-words.js';

/** Whether a run of names is a company's: by a suffix after it, or by the lexicon's organizations. */

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
export function isCompany(text: string, name: ReadonlyArray<{ start: number; end: number }>, end: number, lex: PersonLexicon, words: number): boolean {
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
