import { describe, expect, it } from 'vitest';
import { en } from '../lang/en.js';
import { seededText } from '../random-text.test-helpers.js';
import { macDetector } from './mac.js';

const { randomText } = seededText(23);
const ctx = { lang: en, regions: ['US'] };

/** The six-pair shape as a plain global scan, with its leading boundary as a lookbehind and the same all-zero rule. */
const PLAIN = /(?<![\w:-])[0-9A-Fa-f]{2}([:-])(?:[0-9A-Fa-f]{2}\1){4}[0-9A-Fa-f]{2}(?![\w:-])/g;

describe('MAC_ADDRESS six pairs', () => {
  it('are what a plain scan of the whole text finds, though only separators followed by four more of their kind are tried', () => {
    const PIECES = ['3c', '0a', 'fF', '12', '00', ':', '-', ':', '-', ' ', 'x', '2024-01-15', '10:30', '555-123-4567', '3c:22:fb:9a:01:7e', '00-1b-44-11-3a-b7'];
    for (let n = 0; n < 4000; n++) {
      const text = randomText(PIECES, 14);
      const expected = [...text.matchAll(PLAIN)].filter((m) => !/^(?:00[:-]){5}00$/.test(m[0])).map((m) => [m.index, m.index + m[0].length]);
      // (colon-separated ones come first, then dash-separated ones)
      const got = macDetector.detect(text, ctx).filter((c) => c.score === 0.85).map((c) => [c.start, c.end]).sort((a, b) => a[0] - b[0]);
      expect(got, JSON.stringify(text)).toEqual(expected);
    }
  });
});
