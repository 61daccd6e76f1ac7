import { describe, expect, it } from 'vitest';
import { seededText } from '../random-text.test-helpers.js';
import { indexText } from '../prepass.js';
import { v4Precheck } from './ip.js';

const PIECES = ['1', '10', '192', '255', '1234', '0', '.', '.', '.', '..', ' ', 'a', '_', ':', '-', '10.0.0.1', '808.14', 'v1.2.3', '1.2.3.4.5'];
const { randomText: piecesOf } = seededText(17);
const randomText = () => piecesOf(PIECES, 12);

describe('IPv4 precheck', () => {
  it('holds wherever V4 matches at a digit run', () => {
    const { V4, dottedRuns } = v4Precheck;
    let matched = 0;
    for (let n = 0; n < 20000; n++) {
      const text = randomText();
      const runs = indexText(text).digits;
      for (let k = 0; k < runs.length; k += 2) {
        V4.lastIndex = runs[k];
        if (!V4.test(text)) continue;
        matched++;
        expect(dottedRuns(text, runs, k), text).toBe(true);
      }
    }
    expect(matched).toBeGreaterThan(2000);
  });
});
