import { describe, expect, it } from 'vitest';
import { indexText } from '../prepass.js';
import { seededText } from '../random-text.test-helpers.js';
import { CANDIDATE, candidates } from './phone.js';

/**
 * The phone candidate scan works on the pre-pass digit runs instead of running CANDIDATE: it must find
 * exactly what a global scan of the pattern finds, tried at every position, with the leading boundary,
 * and end each number where stripping the extension pattern from the match ends it.
 */
const badBefore = /[\w@./:+#-]/;
const EXTENSION = /\s?(?:ext\.?|x|#)\s?\d+$/;
function byRegex(text: string): number[] {
  const out: number[] = [];
  for (let s = 0; s < text.length; s++) {
    if (s > 0 && badBefore.test(text[s - 1]) && !/(?:^|[^\w])tel:$/i.test(text.slice(0, s))) continue;
    CANDIDATE.lastIndex = s;
    const m = CANDIDATE.exec(text);
    if (!m) continue;
    out.push(s, s + m[0].replace(EXTENSION, '').length, CANDIDATE.lastIndex);
    s = CANDIDATE.lastIndex - 1;
  }
  return out;
}

/** The scan's quadruples as the regex's triples, after checking that each names the first digit run of its match. */
function scanned(text: string): number[] {
  const runs = indexText(text).digits;
  const quads = candidates(text, runs);
  const out: number[] = [];
  for (let k = 0; k < quads.length; k += 4) {
    const [start, bodyEnd, end, run] = quads.slice(k, k + 4);
    expect(runs[run] >= start && runs[run] <= start + 2 && (run === 0 || runs[run - 1] <= start), text).toBe(true);
    out.push(start, bodyEnd, end);
  }
  return out;
}

describe('phone candidate scan', () => {
  const { randomText } = seededText(4242);
  const PIECES = [
    '1', '7', '0', '00', '12', '123', '555', '2671', '12345', '1234567', '4155552671', '123456789012345678', ' ', '  ', '   ', '.', '-', '/', '(', ')', '+', '(+',
    '\u00a0', '\u2003', '\n', '\t', 'ext', 'ext.', 'ex', 'x', 'X', '#', ' x', ' ext. ', 'e', '@', '_', 'a', 'Z', ':', '.5', '-1', '/2', '×', 'é', 'tel:', 'TEL', 'l:',
  ];

  it('finds what the pattern finds', () => {
    let found = 0;
    for (let n = 0; n < 40000; n++) {
      const text = randomText(PIECES, 24);
      const expected = byRegex(text);
      found += expected.length;
      expect(scanned(text), JSON.stringify(text)).toEqual(expected);
    }
    expect(found).toBeGreaterThan(10000);
  });

  it.each([
    ['a chain capped at seventeen digits backs off to a run end', '1234567890123456 78901', [0, 16, 16]],
    ['an extension of six digits is none', 'call 415 555 2671 x123456 now', [5, 17, 17]],
    ['an extension after a closing bracket', '(415) 555-2671) ext. 42', [0, 15, 23]],
    ['an extension glued to the number', '+44 20 7946 0958#12', [0, 16, 19]],
    ['a capped chain cannot back off to a run end before a dash and a digit', '1234567-12345678901', []],
    ['a number in a tel: link', '(tel:+4930901820)', [5, 16, 16]],
    ['no number after another word ending in tel:', 'hotel:4930901820', []],
  ])('%s', (_why, text, expected) => {
    expect(scanned(text)).toEqual(expected);
    expect(byRegex(text)).toEqual(expected);
  });
});
