import { describe, expect, it } from 'vitest';
import { identifierAtEnd, identifierPattern } from './context.js';
import { en } from './lang/en.js';
import { seededText } from './random-text.test-helpers.js';

const { rnd, randomText } = seededText(2027);

describe('identifier words at the end of a window', () => {
  it('identifierAtEnd says what identifierPattern (i flag) says, on seeded random windows', () => {
    const atEnd = identifierAtEnd(en.negativeContext)!;
    const pattern = identifierPattern(en.negativeContext, 'i');
    const PIECES = [
      ...en.negativeContext, 'ORDER', 'Order', 'V.', 'Id:', 'ID', 'PO', 'Ref', 'reFerence', 'tickets', 'xorder', 'order2', '2order', 'ver', 'vern',
      ' ', ' ', '  ', '#', ':', '.', '-', 'n', 'o', 'N', 'O', 'no', 'on', 'No.', '\u00a0', '\u2003', '\n', '\t', 'x', 'é', '\u212a', 'ſ', '1', '42', '_', '/',
    ];
    let hits = 0;
    for (let n = 0; n < 20000; n++) {
      const w = randomText(PIECES, 8).slice(-(1 + rnd(48)));
      for (const near of [20, w.length]) {
        const expected = pattern.test(w.slice(-near));
        expect(atEnd(w, Math.max(0, w.length - near), w.length), JSON.stringify([w, near])).toBe(expected);
        if (expected) hits++;
      }
    }
    expect(hits).toBeGreaterThan(5000);
  });

  it('is left to the pattern for words it cannot take', () => {
    expect(identifierAtEnd(['Order'])).toBeNull();
    expect(identifierAtEnd(['order', ' '])).toBeNull();
    expect(identifierAtEnd([])).toBeNull();
  });
});
