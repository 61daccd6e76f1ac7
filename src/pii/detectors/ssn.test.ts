import { describe, expect, it } from 'vitest';
import { SSN_PATTERN, ssnDetector, ssnMatchEnd } from './ssn.js';
import { en } from '../lang/en.js';

let seed = 9;
const rnd = (n: number) => Math.floor(((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x80000000) * n);
const PIECES = ['123', '45', '6789', '078', '05', '1120', '9', '0', '-', ' ', '  ', '--', '.', 'a', '_', '\n', '536-12-3456', '536 12 3456', '536123456', '536-12 3456', '1234567890'];
const randomText = () => Array.from({ length: 1 + rnd(12) }, () => PIECES[rnd(PIECES.length)]).join('');

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
