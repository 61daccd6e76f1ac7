import type { Operator } from './types.js';

/**
 * mask: every character but the last N (default 4) becomes the mask character
 * (default '*'); separators such as spaces, dashes, dots and '@' are kept so the
 * shape stays readable. At most half of the other characters are kept, so a short
 * value (an IP such as 1.2.3.4, a short name) is never left readable whole.
 * Counts code points, so astral characters mask as one.
 */
const KEEP_SHAPE = /[\s\-.@()/+]/;

export const maskOperator: Operator = (value, _finding, spec) => {
  const keepLast = spec.type === 'mask' && spec.keepLast !== undefined ? spec.keepLast : 4;
  const char = spec.type === 'mask' && spec.char ? spec.char : '*';
  const chars = [...value];
  let significant = chars.filter((c) => !KEEP_SHAPE.test(c)).length;
  const kept = Math.min(keepLast, Math.floor(significant / 2));
  return chars
    .map((c) => {
      if (KEEP_SHAPE.test(c)) return c;
      return significant-- > kept ? char : c;
    })
    .join('');
};
