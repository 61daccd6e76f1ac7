import { describe, expect, it } from 'vitest';
import { seededText } from '../random-text.test-helpers.js';
import { digitsOnly, digitsValue, isAsciiWord, matchesAtStarts, spansAtStarts } from './util.js';

const { randomText, rnd } = seededText(41);

describe('digitsOnly', () => {
  it('is s.replace(/\\D+/g, "") on random text', () => {
    const PIECES = ['4111', '0', '12', ' ', '-', '+', '(', ')', '.', 'a', '٣', '１', '😀', '', '\n'];
    for (let n = 0; n < 5000; n++) {
      const s = randomText(PIECES, 10);
      expect(digitsOnly(s), JSON.stringify(s)).toBe(s.replace(/\D+/g, ''));
    }
    expect(digitsOnly('')).toBe('');
    expect(digitsOnly('4111111111111111')).toBe('4111111111111111');
    expect(digitsOnly('(952) 787-9719')).toBe('9527879719');
  });
});

describe('spansAtStarts', () => {
  it('finds the matches of matchesAtStarts, as pairs start, end', () => {
    const PIECES = ['2024', '-', '01', '7', '.', ' ', 'a', 'T', '10:', '30', '1999-12-31', '192.168.0.1'];
    const patterns = [/(\d{4})-(\d{2})-(\d{2})(?:T\d{2}:\d{2})?(?![\w-])/y, /(?:\d{1,3}\.){3}\d{1,3}(?![\w]|\.\d)/y, /\d+(?:[.-]\d+)*/y];
    for (let n = 0; n < 3000; n++) {
      const text = randomText(PIECES, 12);
      const starts = [...text.matchAll(/\d/g)].map((m) => m.index).filter(() => rnd(3) > 0);
      for (const re of patterns) {
        for (const bad of [undefined, isAsciiWord]) {
          const spans = matchesAtStarts(re, text, starts, bad).flatMap((m) => [m.index, m.index + m[0].length]);
          expect(spansAtStarts(re, text, starts, bad), JSON.stringify(text)).toEqual(spans);
        }
      }
    }
  });
});

describe('digitsValue', () => {
  it('is the number the digits spell', () => {
    expect(digitsValue('x2024-07', 1, 5)).toBe(2024);
    expect(digitsValue('x2024-07', 6, 8)).toBe(7);
    expect(digitsValue('0', 0, 1)).toBe(0);
    expect(digitsValue('ab', 1, 1)).toBe(0);
  });
});
