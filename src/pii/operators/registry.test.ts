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
});
