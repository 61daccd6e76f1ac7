import type { Candidate, Detector } from '../types.js';
import { indexText } from '../prepass.js';
import { candidate, isAsciiDigit, isAsciiWord } from './util.js';

/**
 * US_PASSPORT (9 digits, or a letter and 8 digits) and US_BANK_NUMBER (8-17 digits):
 * shapes far too common to mean anything alone, so both need a context word nearby.
 */
/**
 * The shapes as patterns (sticky, leading boundaries checked apart). Tried at the start of a maximal digit
 * run (or at the capital before one) they can only match the whole run, so each comes down to the run's
 * length and the character after it: passportSpans and bankSpans decide by hand (us-numbers.test.ts holds
 * them to the patterns on random text).
 */
export const PASSPORT = /(?:[A-Z]\d{8}|\d{9})(?![\w-])/y;
export const BANK = /\d{8,17}(?![\w-]|[.,]\d)/y;

const passportBefore = (c: number) => isAsciiWord(c) || c === 45;
const bankBefore = (c: number) => isAsciiWord(c) || c === 46 || c === 44 || c === 45;

/** Passport numbers as pairs start, end: a run of nine digits, or of eight after a capital letter, then no word character or '-'. */
export function passportSpans(text: string, runs: readonly number[]): number[] {
  const out: number[] = [];
  for (let k = 0; k < runs.length; k += 2) {
    const len = runs[k + 1] - runs[k];
    const s = len === 9 ? runs[k] : len === 8 && isCapital(text.charCodeAt(runs[k] - 1)) ? runs[k] - 1 : -1;
    if (s < 0 || (s > 0 && passportBefore(text.charCodeAt(s - 1)))) continue;
    const after = text.charCodeAt(runs[k + 1]);
    if (isAsciiWord(after) || after === 45) continue;
    out.push(s, s + 9);
  }
  return out;
}

/** Bank account numbers as pairs start, end: a run of 8-17 digits, then no word character or '-', and no '.' or ',' before a digit. */
export function bankSpans(text: string, runs: readonly number[]): number[] {
  const out: number[] = [];
  for (let k = 0; k < runs.length; k += 2) {
    const s = runs[k];
    const e = runs[k + 1];
    if (e - s < 8 || e - s > 17 || (s > 0 && bankBefore(text.charCodeAt(s - 1)))) continue;
    const after = text.charCodeAt(e);
    if (isAsciiWord(after) || after === 45 || ((after === 46 || after === 44) && isAsciiDigit(text.charCodeAt(e + 1)))) continue;
    out.push(s, e);
  }
  return out;
}

export const usPassportDetector: Detector = {
  types: ['US_PASSPORT'],
  detect(text, _ctx, index = indexText(text)) {
    const out: Candidate[] = [];
    const spans = passportSpans(text, index.digits);
    for (let k = 0; k < spans.length; k += 2) out.push(candidate('US_PASSPORT', spans[k], spans[k + 1], 0.4, undefined, true));
    return out;
  },
};

export const usBankNumberDetector: Detector = {
  types: ['US_BANK_NUMBER'],
  detect(text, _ctx, index = indexText(text)) {
    const out: Candidate[] = [];
    const spans = bankSpans(text, index.digits);
    for (let k = 0; k < spans.length; k += 2) {
      if (sameDigit(text, spans[k], spans[k + 1])) continue;
      out.push(candidate('US_BANK_NUMBER', spans[k], spans[k + 1], 0.3, undefined, true));
    }
    return out;
  },
};

const isCapital = (c: number) => c >= 65 && c <= 90;

/** Every digit of text[from, to) the same ("00000000"). */
function sameDigit(text: string, from: number, to: number): boolean {
  const d = text.charCodeAt(from);
  for (let i = from + 1; i < to; i++) if (text.charCodeAt(i) !== d) return false;
  return true;
}
