import type { Candidate, Detector } from '../types.js';
import { ssnValid } from '../validators/ssn.js';
import { indexText } from '../prepass.js';
import { candidate } from './util.js';

/**
 * US_SSN: AAA-GG-SSSS (dashes or spaces) that passes the SSA rules scores as a likely SSN;
 * nine bare digits only count with a context word such as "ssn" nearby.
 */
/** Sticky, tried at digit runs of the pre-pass; not after a digit or '-' (checked in code). */
const CANDIDATE = /(\d{3})([- ]?)(\d{2})\2(\d{4})(?![\d-])/y;

export const ssnDetector: Detector = {
  types: ['US_SSN'],
  detect(text, _ctx, index = indexText(text)) {
    const out: Candidate[] = [];
    const runs = index.digits;
    let reach = 0;
    // a match starts at a run of three digits followed by '-' or ' ', or of exactly nine
    for (let k = 0; k < runs.length; k += 2) {
      const s = runs[k];
      const len = runs[k + 1] - s;
      const next = text.charCodeAt(runs[k + 1]);
      if (s < reach || !(len === 9 || (len === 3 && (next === 45 || next === 32))) || text.charCodeAt(s - 1) === 45) continue;
      CANDIDATE.lastIndex = s;
      const m = CANDIDATE.exec(text);
      if (!m) continue;
      reach = s + m[0].length;
      const digits = m[1] + m[3] + m[4];
      if (!ssnValid(digits)) continue;
      const formatted = m[2] !== '';
      out.push(candidate('US_SSN', m.index, m.index + m[0].length, formatted ? 0.6 : 0.3, undefined, !formatted));
    }
    return out;
  },
};
