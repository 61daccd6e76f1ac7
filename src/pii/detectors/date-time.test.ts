import { describe, expect, it } from 'vitest';
import { seededText } from '../random-text.test-helpers.js';
import { indexText } from '../prepass.js';
import { createDetector } from '../detector.js';
import { dateStarts, numberPrechecks, writtenPrechecks } from './date-time.js';

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

describe('where the date patterns are tried', () => {
  const NOISE = ['2024', '1985', '03', '3', '12', '123', '-', '/', '.', ',', ' ', ' ', '\u2003', '\n', 'T', ':', '10:30', 'x', 'ſ', 'é', 'st', 'of', 'May'];
  const SP = [' ', '  ', '\u2003', '\u00a0', '\n', ''];
  const MONTH = ['March', 'mar', 'MAR', 'Sept', 'sep', 'May', 'june', 'Dec', 'Decemb', 'Mars', 'xMar', 'éMar'];
  const DAY = ['3', '21', '7', '03', '123'];
  const AFTER_DAY = ['', '', 'st', 'ND', 'rd', 'th', 'x', ',', '.', '/', '-', ':'];
  const { rnd, pick, randomText } = seededText(23);
  /** A date of one of the three kinds, or something close to one, with random noise around it. */
  const dateLike = () =>
    randomText(NOISE, 4) +
    [
      () => pick(DAY) + pick(AFTER_DAY) + pick(SP) + pick(['', '', 'of ', 'OF\u2003']) + pick(MONTH) + pick(['', '.']) + pick(['', ',']) + pick(SP) + pick(['1985', '2024', '98']),
      () => pick(MONTH) + pick(['', '.']) + pick(SP) + pick(DAY) + pick(AFTER_DAY) + pick(['', ',']) + pick(SP) + pick(['1985', '2024']),
      () => pick(['2024-03-01', '2024-13-01', '01/03/24', '1.2.1999', '31-12-2024', '2024-03-01T10:30:00Z', '1/2/3', '12.1.98', '2024-3-01']),
      () => pick(['2024/03/01', '2024/03-01', '2024/03/01 10:30 PM', '01/03/24 9:15 A.M.']),
      () => pick(DAY) + '-' + pick(MONTH) + pick(['-', '', ' ']) + pick(['1985', '2024', '98']),
    ][rnd(5)]() +
    randomText(NOISE, 4);

  it('every match the detector can report starts at a position starts() gives for its pattern', () => {
    const { starts, isoBefore, numericBefore } = dateStarts;
    const patterns = [
      ['iso', numberPrechecks.ISO, isoBefore],
      ['numeric', numberPrechecks.NUMERIC, numericBefore],
      ['written', writtenPrechecks.WRITTEN, () => false],
    ] as const;
    const hits = { iso: 0, numeric: 0, written: 0 };
    for (let n = 0; n < 24000; n++) {
      const text = dateLike();
      const found = starts(text, indexText(text).digits);
      for (const [key, re, skipAfter] of patterns) {
        for (let p = 0; p < text.length; p++) {
          if (p > 0 && skipAfter(text.charCodeAt(p - 1))) continue;
          re.lastIndex = p;
          if (!re.test(text)) continue;
          hits[key]++;
          expect(found[key], JSON.stringify([text, p])).toContain(p);
        }
      }
    }
    expect(Math.min(hits.iso, hits.numeric, hits.written)).toBeGreaterThan(300);
  });
});

describe('DATE_TIME forms', () => {
  const d = createDetector();
  const dates = (text: string) => d.scan(text, { entities: ['DATE_TIME'] }).map((f) => text.slice(f.start, f.end));

  it.each([
    // year first with slashes (East Asia, many logs), day-month-year with hyphens, AM/PM in capitals
    ['Shipped on 2024/03/14 from Osaka', '2024/03/14'],
    ['Statement date: 14-Mar-2024', '14-Mar-2024'],
    ['DOB 05-sep-1984 per the form', '05-sep-1984'],
    ['Appointment 09/05/2024 10:30 AM confirmed', '09/05/2024 10:30 AM'],
    ['Logged at 2024-03-14 09:30 P.M. local', '2024-03-14 09:30 P.M.'],
  ])('%j', (text, expected) => {
    expect(dates(text)).toEqual([expected]);
  });

  it.each(['tail -f logs/2024/03/14/app.log', 'Version 2024/13/45 of the form', 'ticket 14-March2024'])('no date in %j', (text) => {
    expect(dates(text)).toEqual([]);
  });
});
