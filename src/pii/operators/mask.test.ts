import { describe, expect, it } from 'vitest';
import type { Finding } from '../types.js';
import { maskOperator } from './mask.js';
import type { OperatorContext, OperatorSpec } from './types.js';

const finding: Finding = { type: 'X', start: 0, end: 0, score: 1 };
const mask = (value: string, spec: Partial<Extract<OperatorSpec, { type: 'mask' }>> = {}) =>
  maskOperator(value, finding, { type: 'mask', ...spec }, {} as OperatorContext);

describe('mask', () => {
  it('keeps the last N characters and the separators', () => {
    expect(mask('4111 1111 1111 1234')).toBe('**** **** **** 1234');
    expect(mask('4111 1111 1111 1234', { keepLast: 2, char: '#' })).toBe('#### #### #### ##34');
    expect(mask('jane.doe@example.com', { keepLast: 0 })).toBe('****.***@*******.***');
  });
  it('never shows more than half of a short value', () => {
    expect(mask('1.2.3.4')).toBe('*.*.3.4');
    expect(mask('Wu Li')).toBe('** Li');
    expect(mask('a@b.io')).toBe('*@*.io');
    expect(mask('10.0.0.1')).toBe('**.*.0.1');
    expect(mask('x')).toBe('*');
  });
  it('counts code points', () => {
    expect(mask('😀😀😀😀😀😀 ab', { keepLast: 2, char: '•' })).toBe('•••••• ab');
  });
});
