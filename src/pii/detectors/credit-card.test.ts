import { describe, expect, it } from 'vitest';
import { seededText } from '../random-text.test-helpers.js';
import { cardIssuer, luhnValid, luhnValidIn } from '../validators/luhn.js';
import { creditCardDetector } from './credit-card.js';

describe('credit card detector with the checksum read in the text', () => {
  // the detector as a plain global scan with a string of digits per match, the reference
  const CANDIDATE = /(?<![\d.,-])\d(?:[ -]?\d){11,18}(?![\d-]|[.,]\d)/g;
  const reference = (text: string) => {
    const out: [number, number, string][] = [];
    for (const m of text.matchAll(CANDIDATE)) {
      const seps = new Set(m[0].replace(/\d/g, ''));
      if (seps.size > 1) continue;
      const digits = m[0].replace(/\D/g, '');
      if (/^(\d)\1*$/.test(digits) || !luhnValid(digits)) continue;
      const issuer = cardIssuer(digits);
      if (issuer) out.push([m.index, m.index + m[0].length, issuer]);
    }
    return out;
  };
  const { rnd, pick, randomText } = seededText(29);
  /** A number of 12 to 19 digits with a right Luhn digit, sometimes in groups of four. */
  const card = () => {
    const body = pick(['4', '51', '34', '6011', '3528', '62', '50', '9', '']) + Array.from({ length: 18 }, () => rnd(10)).join('');
    let s = body.slice(0, 11 + rnd(8));
    for (let d = 0; d < 10; d++) if (luhnValid(s + d)) s += d;
    const sep = pick(['', ' ', '-', '']);
    return sep ? s.replace(/(\d{4})(?!$)/g, '$1' + sep) : s;
  };

  it('finds the same spans and issuers as a global scan on random text', () => {
    let found = 0;
    for (let n = 0; n < 3000; n++) {
      const text = randomText([card(), card(), ' ', '-', '.', ',', '1', '4444 4444 4444 4444', '12 ', 'x', '\n', '٣', '2024-01-02'], 8);
      const want = reference(text);
      found += want.length;
      expect(creditCardDetector.detect(text, {} as never).map((c) => [c.start, c.end, c.subtype]), JSON.stringify(text)).toEqual(want);
    }
    expect(found).toBeGreaterThan(150);
  });

  it('luhnValidIn is luhnValid of the digits of the span', () => {
    for (let n = 0; n < 20000; n++) {
      const s = randomText(['0', '1', '4', '7', '9', '59', ' ', '-', 'a', '٣', '.', card()], 6);
      const from = rnd(3);
      const to = s.length - rnd(3);
      expect(luhnValidIn(s, from, to), JSON.stringify(s)).toBe(luhnValid(s.slice(from, Math.max(from, to)).replace(/[^0-9]/g, '')));
    }
  });
});
