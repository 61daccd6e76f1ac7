import type { Candidate, Detector } from '../types.js';
import { ssnValid } from '../validators/ssn.js';
import { matchesAfter } from './util.js';

/**
 * US_SSN: AAA-GG-SSSS (dashes or spaces) that passes the SSA rules scores as a likely SSN;
 * nine bare digits only count with a context word such as "ssn" nearby.
 */
/** Not after a digit or '-' (checked in code, see util.matchesAfter). */
const CANDIDATE = /(\d{3})([- ]?)(\d{2})\2(\d{4})(?![\d-])/g;

export const ssnDetector: Detector = {
  types: ['US_SSN'],
  detect(text) {
    const out: Candidate[] = [];
    for (const m of matchesAfter(CANDIDATE, text, (c) => (c >= 48 && c <= 57) || c === 45)) {
      const digits = m[1] + m[3] + m[4];
      if (!ssnValid(digits)) continue;
      const formatted = m[2] !== '';
      out.push({
        type: 'US_SSN',
        start: m.index,
        end: m.index + m[0].length,
        score: formatted ? 0.6 : 0.3,
        needsContext: !formatted,
      });
    }
    return out;
  },
};
