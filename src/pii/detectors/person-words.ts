import type { PersonLexicon } from '../types.js';
import { isLetter, isUpper } from './chars.js';

/** Small word tests the PERSON detector's parts share (person.ts, person-lower.ts, person-org.ts). */

/** The lexicon knows the word as a given name. */
export const givenName = (word: string, lex: PersonLexicon) => {
  const lower = word.toLowerCase();
  return lex.kindOf ? lex.kindOf(lower) === 'F' : lex.isFirstName(lower);
};

/** The end of a capitalised word (letters, ' ’ -) that starts at p, or -1. */
export function capitalisedWordFrom(text: string, p: number): number {
  if (!isUpper(text.charCodeAt(p))) return -1;
  let e = p + 1;
  while (isLetter(text.charCodeAt(e)) || text.charCodeAt(e) === 39 || text.charCodeAt(e) === 8217 || text.charCodeAt(e) === 45) e++;
  return e;
}

/** The start of a capitalised word (letters, ' ’ -) that ends at p, or -1. */
export function capitalisedWordTo(text: string, p: number): number {
  let s = p;
  while (s > 0 && (isLetter(text.charCodeAt(s - 1)) || text.charCodeAt(s - 1) === 39 || text.charCodeAt(s - 1) === 8217 || text.charCodeAt(s - 1) === 45)) s--;
  return s < p && isUpper(text.charCodeAt(s)) ? s : -1;
}

/** Every part of a hyphenated word is a given name ("jean-luc", "anne-marie"); one that is an ordinary word ("jean") counts too. */
export function hyphenatedGivenName(lower: string, lex: PersonLexicon): boolean {
  const parts = lower.split('-');
  return parts.length <= 3 && parts.every((p) => p.length > 1 && (givenName(p, lex) || lex.givenWords?.has(p) === true));
}
