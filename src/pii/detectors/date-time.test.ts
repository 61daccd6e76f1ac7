import { describe, expect, it } from 'vitest';
import { seededText } from '../random-text.test-helpers.js';
import { indexText } from '../prepass.js';
import { numberPrechecks } from './date-time.js';

const PIECES = ['2024', '1985', '03', '3', '12', '31', '7', '123', '-', '/', '.', ' ', 'T', ':', '10:30', 'Z', 'x', '2024-03-01', '01/03/24', '1.2.1999', '4018-2457'];
const { randomText: piecesOf } = seededText(5);
const randomText = () => piecesOf(PIECES, 10);

describe('date shapes checked before the patterns', () => {
  it('hold wherever ISO or NUMERIC matches at a digit run', () => {
    const { ISO, NUMERIC, isoShape, numericShape } = numberPrechecks;
    let iso = 0;
    let numeric = 0;
    for (let n = 0; n < 20000; n++) {
      const text = randomText();
      const runs = indexText(text).digits;
      for (let k = 0; k < runs.length; k += 2) {
        const [s, e] = [runs[k], runs[k + 1]];
        ISO.lastIndex = s;
        if (e - s === 4 && ISO.test(text)) {
          iso++;
          expect(isoShape(text, s), text).toBe(true);
        }
        NUMERIC.lastIndex = s;
        if (e - s <= 2 && NUMERIC.test(text)) {
          numeric++;
          expect(numericShape(text, e), text).toBe(true);
        }
      }
    }
    expect(iso).toBeGreaterThan(500);
    expect(numeric).toBeGreaterThan(500);
  });
});
