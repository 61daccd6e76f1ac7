import type { Candidate, Detector } from '../types.js';
import { indexText } from '../prepass.js';
import { candidate, isAsciiWord, triggeredAt } from './util.js';

/**
 * MAC_ADDRESS: six hex pairs split by one kind of ':' or '-', or Cisco's three dotted quads.
 * The patterns are sticky and only tried two (four) characters before a ':' or '-' ('.') the pre-pass found:
 * hex letters are everywhere in prose, so letting them scan the text would try almost every position.
 */
const COLON = /[0-9A-Fa-f]{2}([:-])(?:[0-9A-Fa-f]{2}\1){4}[0-9A-Fa-f]{2}(?![\w:-])/y;
const CISCO = /[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}(?![\w.])/y;
const badPairBefore = (c: number) => isAsciiWord(c) || c === 58 || c === 45;
const badQuadBefore = (c: number) => isAsciiWord(c) || c === 46;

export const macDetector: Detector = {
  types: ['MAC_ADDRESS'],
  detect(text, _ctx, index = indexText(text)) {
    const out: Candidate[] = [];
    for (const seps of [index.colon, index.dash]) {
      // six pairs have their separator every three characters: most ':' (times, labels) and '-' (dates,
      // phone numbers) are not followed by four more of their kind at those places, and need no try
      const sixPairs = seps.filter((i) => sameEveryThird(text, i));
      for (const m of triggeredAt(COLON, text, sixPairs, (i) => i - 2, badPairBefore)) {
        if (/^(?:00[:-]){5}00$/.test(m[0])) continue;
        out.push(candidate('MAC_ADDRESS', m.index, m.index + m[0].length, 0.85));
      }
    }
    // a dotted quad has its second '.' five characters after the first
    const dots = index.dot.filter((i) => text.charCodeAt(i + 5) === 46);
    for (const m of triggeredAt(CISCO, text, dots, (i) => i - 4, badQuadBefore)) {
      if (!/[a-f]/i.test(m[0]) && !/\d/.test(m[0])) continue;
      out.push(candidate('MAC_ADDRESS', m.index, m.index + m[0].length, 0.6));
    }
    return out;
  },
};

/** The code unit at i stands again at i + 3, 6, 9 and 12 (where COLON, started two before i, needs its separator). */
function sameEveryThird(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  for (let k = 3; k <= 12; k += 3) if (text.charCodeAt(i + k) !== c) return false;
  return true;
}
