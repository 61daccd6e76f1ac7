import type { Candidate, Detector, PersonLexicon } from '../types.js';
import { after, before } from './util.js';

/**
 * PERSON: runs of capitalised words, judged by the language's lexicon of given
 * names and surnames (the NLP library's lexicon plus names of many origins),
 * surname morphology and context cues (titles, "my name is", "spoke with",
 * "said"). Only capitalised candidates are examined, never the whole text.
 */
const WORD = /(?<![\p{L}\p{N}_@#/.'’-])\p{Lu}(?:[\p{L}'’]|-(?=\p{L}))*\.?/gu;
const SENTENCE_END = /(?:^|[.!?:;\n"“(\[•*>-])\s*$/;

type Kind = 'F' | 'L' | 'U' | 'C' | 'I' | 'T';
interface Tok {
  start: number;
  end: number;
  kind: Kind;
}

export const personDetector: Detector = {
  types: ['PERSON'],
  detect(text, ctx) {
    const lex = ctx.lang.person;
    const out: Candidate[] = [];
    let group: Tok[] = [];
    let prevEnd = -1;
    const flush = () => {
      if (group.length) judge(text, group, lex, out);
      group = [];
    };
    for (const m of text.matchAll(WORD)) {
      const tok = classify(m[0], m.index, lex);
      if (!tok) {
        flush();
        prevEnd = -1;
        continue;
      }
      if (prevEnd < 0 || !joins(text.slice(prevEnd, tok.start), lex)) flush();
      group.push(tok);
      prevEnd = tok.end;
    }
    flush();
    return out;
  },
};

function classify(raw: string, start: number, lex: PersonLexicon): Tok | null {
  let word = raw.endsWith('.') ? raw.slice(0, -1) : raw;
  word = word.replace(/['’]s$/, '');
  const end = start + word.length;
  if (word.length === 1) return { start, end: raw.endsWith('.') ? end + 1 : end, kind: 'I' };
  if (word.length > 1 && word === word.toUpperCase()) return null;
  const lower = word.toLowerCase();
  if (lex.titles.has(lower)) return { start, end: start + raw.length, kind: 'T' };
  if (lex.isFirstName(lower)) return { start, end, kind: 'F' };
  if (lex.isLastName(lower)) return { start, end, kind: 'L' };
  if (lex.isCommonWord(lower)) return { start, end, kind: 'C' };
  if (/\d/.test(word)) return null;
  if (lower.length > 4 && lex.surnameSuffixes.some((s) => lower.endsWith(s))) return { start, end, kind: 'L' };
  if (/^(?:mc|mac|o['’])\p{Lu}/iu.test(word) || /^\p{Lu}\p{Ll}+-\p{Lu}\p{Ll}+$/u.test(word)) return { start, end, kind: 'L' };
  return { start, end, kind: 'U' };
}

/** Tokens belong to one name when only a space, or a space-separated particle, lies between. */
function joins(gap: string, lex: PersonLexicon): boolean {
  if (gap === ' ' || gap === '') return true;
  const m = /^ ((?:[a-z']+ ){1,2})$/.exec(gap);
  return !!m && m[1].trim().split(' ').every((p) => lex.particles.has(p));
}

function judge(text: string, toks: Tok[], lex: PersonLexicon, out: Candidate[]): void {
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
      judge(text, toks.slice(i, k), lex, out);
      judge(text, toks.slice(k), lex, out);
      return;
    }
  }
  const name = toks.slice(i, j);
  const words = name.filter((t) => t.kind !== 'I');
  if (words.length === 0 || words.length > 4) return;
  const first = words[0].kind;
  const hasName = words.some((t) => t.kind === 'F' || t.kind === 'L');
  let score: number;
  if (words.length >= 2) score = first === 'F' ? 0.85 : hasName ? 0.7 : first === 'C' ? 0.25 : 0.45;
  else score = first === 'F' ? 0.55 : first === 'L' ? 0.35 : 0.2;
  const start = name[0].start;
  const end = name[name.length - 1].end;
  const prior = before(text, start, 28).replace(/[\s,:;"“(-]+$/, '');
  if (titled) score += 0.45;
  else if (lex.before.some((c) => endsWithCue(prior, c))) score += 0.3;
  if (lex.after.some((c) => after(text, end, 16).startsWith(c.startsWith("'") || c.startsWith('’') ? c : ' ' + c))) score += 0.25;
  out.push({ type: 'PERSON', start, end, score: Math.min(1, score), contextDone: true });
}

/** The cue ends the text before the name (already stripped of trailing spaces and ',' ':'). */
function endsWithCue(p: string, cue: string): boolean {
  if (!p.endsWith(cue)) return false;
  const k = p.length - cue.length - 1;
  return k < 0 || !/[a-z]/.test(p[k]);
}
