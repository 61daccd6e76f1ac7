import type { Candidate, Detector } from '../types.js';
import { indexText } from '../prepass.js';
import { candidate, isAsciiWord, matchesAtStarts } from './util.js';

/**
 * US_PASSPORT (9 digits, or a letter and 8 digits) and US_BANK_NUMBER (8-17 digits):
 * shapes far too common to mean anything alone, so both need a context word nearby.
 */
/** Sticky, tried at digit runs of the pre-pass; leading boundaries are checked in code. */
const PASSPORT = /(?:[A-Z]\d{8}|\d{9})(?![\w-])/y;
const BANK = /\d{8,17}(?![\w-]|[.,]\d)/y;

/** Where a passport number can start: a run of nine digits, or of eight after a capital letter. */
function passportStarts(text: string, runs: readonly number[]): number[] {
  const out: number[] = [];
  for (let k = 0; k < runs.length; k += 2) {
    const len = runs[k + 1] - runs[k];
    if (len === 9) out.push(runs[k]);
    else if (len === 8) {
      const c = text.charCodeAt(runs[k] - 1);
      if (c >= 65 && c <= 90) out.push(runs[k] - 1);
    }
  }
  return out;
}

/** Runs of 8-17 digits (a longer run cannot end the pattern). */
function bankStarts(runs: readonly number[]): number[] {
  const out: number[] = [];
  for (let k = 0; k < runs.length; k += 2) {
    const len = runs[k + 1] - runs[k];
    if (len >= 8 && len <= 17) out.push(runs[k]);
  }
  return out;
}

export const usPassportDetector: Detector = {
  types: ['US_PASSPORT'],
  detect(text, _ctx, index = indexText(text)) {
    const out: Candidate[] = [];
    for (const m of matchesAtStarts(PASSPORT, text, passportStarts(text, index.digits), (c) => isAsciiWord(c) || c === 45)) {
      out.push(candidate('US_PASSPORT', m.index, m.index + 9, 0.4, undefined, true));
    }
    return out;
  },
};

export const usBankNumberDetector: Detector = {
  types: ['US_BANK_NUMBER'],
  detect(text, _ctx, index = indexText(text)) {
    const out: Candidate[] = [];
    for (const m of matchesAtStarts(BANK, text, bankStarts(index.digits), (c) => isAsciiWord(c) || c === 46 || c === 44 || c === 45)) {
      if (sameDigit(m[0])) continue;
      out.push(candidate('US_BANK_NUMBER', m.index, m.index + m[0].length, 0.3, undefined, true));
    }
    return out;
  },
};

/** Every digit the same ("00000000"). */
function sameDigit(digits: string): boolean {
  const d = digits.charCodeAt(0);
  for (let i = 1; i < digits.length; i++) if (digits.charCodeAt(i) !== d) return false;
  return true;
}
