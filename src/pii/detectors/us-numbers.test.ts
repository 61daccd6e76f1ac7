import { describe, expect, it } from 'vitest';
import { seededText } from '../random-text.test-helpers.js';
import { indexText } from '../prepass.js';
import { BANK, bankSpans, PASSPORT, passportSpans } from './us-numbers.js';
import { isAsciiWord, matchesAtStarts } from './util.js';

const PIECES = ['12345678', '123456789', '1234567', '0', '42', 'A', 'Z', 'x', '_', '-', '.', ',', ' ', ' ', '\n', '1234567890123456', '123456789012345678', '.5', ',7', 'é'];
const { randomText: piecesOf } = seededText(31);
const randomText = () => piecesOf(PIECES, 10);
const everyPosition = (text: string) => Array.from({ length: text.length + 1 }, (_, i) => i);
/** The pattern's matches as start, end pairs: the reference the hand-written shapes must equal. */
const spansAtStarts = (re: RegExp, text: string, starts: number[], badBefore: (c: number) => boolean) =>
  matchesAtStarts(re, text, starts, badBefore).flatMap((m) => [m.index, m.index + m[0].length]);

describe('passport and bank number shapes by hand', () => {
  it('find what their patterns find when tried at every position (with the same leading boundaries)', () => {
    let found = 0;
    for (let n = 0; n < 20000; n++) {
      const text = randomText();
      const runs = indexText(text).digits;
      const passports = spansAtStarts(PASSPORT, text, everyPosition(text), (c) => isAsciiWord(c) || c === 45);
      const banks = spansAtStarts(BANK, text, everyPosition(text), (c) => isAsciiWord(c) || c === 46 || c === 44 || c === 45);
      expect(passportSpans(text, runs), text).toEqual(passports);
      expect(bankSpans(text, runs), text).toEqual(banks);
      found += passports.length + banks.length;
    }
    expect(found).toBeGreaterThan(5000);
  });
});
