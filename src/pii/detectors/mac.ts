import type { Candidate, Detector } from '../types.js';
import { isAsciiWord, matchesAfter } from './util.js';

/** MAC_ADDRESS: six hex pairs split by one kind of ':' or '-', or Cisco's three dotted quads. */
const COLON = /[0-9A-Fa-f]{2}([:-])(?:[0-9A-Fa-f]{2}\1){4}[0-9A-Fa-f]{2}(?![\w:-])/g;
const CISCO = /[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}(?![\w.])/g;

export const macDetector: Detector = {
  types: ['MAC_ADDRESS'],
  detect(text) {
    const out: Candidate[] = [];
    for (const m of matchesAfter(COLON, text, (c) => isAsciiWord(c) || c === 58 || c === 45)) {
      if (/^(?:00[:-]){5}00$/.test(m[0])) continue;
      out.push({ type: 'MAC_ADDRESS', start: m.index, end: m.index + m[0].length, score: 0.85 });
    }
    for (const m of matchesAfter(CISCO, text, (c) => isAsciiWord(c) || c === 46)) {
      if (!/[a-f]/i.test(m[0]) && !/\d/.test(m[0])) continue;
      out.push({ type: 'MAC_ADDRESS', start: m.index, end: m.index + m[0].length, score: 0.6 });
    }
    return out;
  },
};
