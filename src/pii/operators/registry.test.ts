import { describe, expect, it } from 'vitest';
import { planOperators } from './registry.js';

describe('planOperators', () => {
  it('takes one visible character as the mask character', () => {
    for (const char of ['#', '•', '😀', 'x']) expect(planOperators({ DEFAULT: { type: 'mask', char } }).forType('X').spec).toEqual({ type: 'mask', char });
  });
  it('refuses mask characters that would not show as one masked character (line breaks, controls, combining marks, spaces)', () => {
    for (const char of ['\n', '\r', '\t', ' ', '\u0000', '\u200b', '\u0301', '\ufeff', '##']) {
      expect(() => planOperators({ EMAIL_ADDRESS: { type: 'mask', char } })).toThrow(expect.objectContaining({ code: 'PII_UNKNOWN_OPERATOR' }));
    }
  });
  it('refuses a replace value with a lone surrogate (input with one is refused; the output must not get one either)', () => {
    for (const value of ['\ud83d', 'x\udc00y']) {
      expect(() => planOperators({ DEFAULT: { type: 'replace', value } })).toThrow(expect.objectContaining({ code: 'PII_UNKNOWN_OPERATOR' }));
    }
    expect(planOperators({ DEFAULT: { type: 'replace', value: '[😀 removed]' } }).forType('X').spec).toEqual({ type: 'replace', value: '[😀 removed]' });
  });
});
