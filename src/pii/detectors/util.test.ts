import { describe, expect, it } from 'vitest';
import { seededText } from '../random-text.test-helpers.js';
import { digitsOnly } from './util.js';

const { randomText } = seededText(41);

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
