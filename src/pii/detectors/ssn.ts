import type { Candidate, Detector } from '../types.js';
import { ssnValid } from '../validators/ssn.js';

/**
 * US_SSN: AAA-GG-SSSS (dashes or spaces) that passes the SSA rules scores as a likely SSN;
 * nine bare digits only count with a context word such as "ssn" nearby.
 */
const CANDIDATE = /(?<![\d-])(\d{3})([- ]?)(\d{2})\2(\d{4})(?![\d-])/g;

export const ssnDetector: Detector = {
  types: ['US_SSN'],
  detect(text) {
    const out: Candidate[] = [];
    for (const m of text.matchAll(CANDIDATE)) {
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
