import { describe, expect, it } from 'vitest';
import { seededText } from '../random-text.test-helpers.js';
import { SSN_PATTERN, ssnDetector, ssnMatchEnd } from './ssn.js';
import { en } from '../lang/en.js';

const PIECES = ['123', '45', '6789', '078', '05', '1120', '9', '0', '-', ' ', '  ', '--', '.', 'a', '_', '\n', '536-12-3456', '536 12 3456', '536123456', '536-12 3456', '1234567890'];
const { randomText: piecesOf } = seededText(9);
const randomText = () => piecesOf(PIECES, 12);

describe('ssnMatchEnd', () => {
  it('ends where SSN_PATTERN ends, at every position of random text', () => {
    let matched = 0;
    for (let n = 0; n < 20000; n++) {
      const text = randomText();
      for (let s = 0; s <= text.length; s++) {
        SSN_PATTERN.lastIndex = s;
        const m = SSN_PATTERN.exec(text);
        const end = ssnMatchEnd(text, s);
        expect(end, JSON.stringify([text, s])).toBe(m ? s + m[0].length : -1);
        if (m) matched++;
      }
    }
    expect(matched).toBeGreaterThan(5000);
  });

  it('finds formatted and bare numbers, not glued ones', () => {
    const found = (t: string) => ssnDetector.detect(t, { lang: en, regions: ['US'] }).map((c) => [t.slice(c.start, c.end), c.score, c.needsContext]);
    expect(found('ssn 536-12-3456 and 536 12 3456.')).toEqual([['536-12-3456', 0.6, false], ['536 12 3456', 0.6, false]]);
    expect(found('id 536123456')).toEqual([['536123456', 0.3, true]]);
    expect(found('536-12-3456-7 1536-12-3456 -536123456 536-12 3456')).toEqual([]);
  });
});
