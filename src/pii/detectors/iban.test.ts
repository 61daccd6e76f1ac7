import { describe, expect, it } from 'vitest';
import { seededText } from '../random-text.test-helpers.js';
import { ibanMod97, ibanValid } from '../validators/iban.js';
import { ibanDetector } from './iban.js';

describe('IBAN detector without compact copies', () => {
  // the detector as first written (a compact copy and a pattern search per try), the reference
  const CANDIDATE = /(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?:[ -]?[A-Z0-9]{4}){2,7}(?:[ -]?[A-Z0-9]{1,3})?(?![A-Za-z0-9])/g;
  const reference = (text: string) => {
    const out: [number, number][] = [];
    for (const m of text.matchAll(CANDIDATE)) {
      let raw = m[0];
      for (;;) {
        if (ibanValid(raw.replace(/[ -]/g, ''))) {
          out.push([m.index, m.index + raw.length]);
          break;
        }
        const cut = raw.search(/[ -][A-Z0-9]{1,4}$/);
        if (cut < 0) break;
        raw = raw.slice(0, cut);
      }
    }
    return out;
  };

  it('finds the same spans on random text around valid and damaged IBANs', () => {
    const { rnd, pick, randomText } = seededText(23);
    const CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
    const LENGTHS: Record<string, number> = { DE: 22, GB: 22, FR: 27, NL: 18, BE: 16, NO: 15, MT: 31 };
    const iban = () => {
      const [cc, n] = pick(Object.entries(LENGTHS));
      const bban = Array.from({ length: n - 4 }, () => (rnd(2) ? CHARS[26 + rnd(10)] : CHARS[rnd(36)])).join('');
      const plain = cc + String(98 - ibanMod97(cc + '00' + bban)).padStart(2, '0') + bban;
      // compact, or in groups of four by spaces or hyphens
      const sep = pick(['', ' ', '-', ' ']);
      return sep ? plain.replace(/(.{4})(?!$)/g, '$1' + sep) : plain;
    };
    let found = 0;
    for (let n = 0; n < 3000; n++) {
      const text = randomText([iban(), iban(), ' ', '-', ' AB12', ' 1234', ' XY', 'DE44', 'x', '\n', 'Z9', ' 7 ', 'GB0'], 8);
      const want = reference(text);
      found += want.length;
      expect(ibanDetector.detect(text, {} as never).map((c) => [c.start, c.end]), JSON.stringify(text)).toEqual(want);
    }
    expect(found).toBeGreaterThan(300);
  });
});
