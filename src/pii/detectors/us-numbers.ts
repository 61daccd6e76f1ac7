import type { Candidate, Detector } from '../types.js';
import { indexText } from '../prepass.js';
import { candidate, isAsciiWord, spansAtStarts } from './util.js';

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
    const spans = spansAtStarts(PASSPORT, text, passportStarts(text, index.digits), passportBefore);
    for (let k = 0; k < spans.length; k += 2) out.push(candidate('US_PASSPORT', spans[k], spans[k] + 9, 0.4, undefined, true));
    return out;
  },
};

export const usBankNumberDetector: Detector = {
  types: ['US_BANK_NUMBER'],
  detect(text, _ctx, index = indexText(text)) {
    const out: Candidate[] = [];
    const spans = spansAtStarts(BANK, text, bankStarts(index.digits), bankBefore);
    for (let k = 0; k < spans.length; k += 2) {
      if (sameDigit(text, spans[k], spans[k + 1])) continue;
      out.push(candidate('US_BANK_NUMBER', spans[k], spans[k + 1], 0.3, undefined, true));
    }
    return out;
  },
};

const passportBefore = (c: number) => isAsciiWord(c) || c === 45;
const bankBefore = (c: number) => isAsciiWord(c) || c === 46 || c === 44 || c === 45;

/** Every digit of text[from, to) the same ("00000000"). */
function sameDigit(text: string, from: number, to: number): boolean {
  const d = text.charCodeAt(from);
  for (let i = from + 1; i < to; i++) if (text.charCodeAt(i) !== d) return false;
  return true;
}
