import type { Candidate, Detector } from '../types.js';
import { isAsciiWord, matchesAfter } from './util.js';

/**
 * US_PASSPORT (9 digits, or a letter and 8 digits) and US_BANK_NUMBER (8-17 digits):
 * shapes far too common to mean anything alone, so both need a context word nearby.
 */
/** Leading boundaries are checked in code (util.matchesAfter). */
const PASSPORT = /(?:[A-Z]\d{8}|\d{9})(?![\w-])/g;
const BANK = /\d{8,17}(?![\w-]|[.,]\d)/g;

export const usPassportDetector: Detector = {
  types: ['US_PASSPORT'],
  detect(text) {
    const out: Candidate[] = [];
    for (const m of matchesAfter(PASSPORT, text, (c) => isAsciiWord(c) || c === 45)) {
      out.push({ type: 'US_PASSPORT', start: m.index, end: m.index + 9, score: 0.4, needsContext: true });
    }
    return out;
  },
};

export const usBankNumberDetector: Detector = {
  types: ['US_BANK_NUMBER'],
  detect(text) {
    const out: Candidate[] = [];
    for (const m of matchesAfter(BANK, text, (c) => isAsciiWord(c) || c === 46 || c === 44 || c === 45)) {
      if (/^(\d)\1+$/.test(m[0])) continue;
      out.push({ type: 'US_BANK_NUMBER', start: m.index, end: m.index + m[0].length, score: 0.3, needsContext: true });
    }
    return out;
  },
};
