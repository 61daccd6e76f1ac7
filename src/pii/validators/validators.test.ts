import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { seededText } from '../random-text.test-helpers.js';
import { base58CheckValid, bech32Valid } from './bitcoin.js';
import { IBAN_LENGTHS, ibanMod97, ibanValid, ibanValidSpaced } from './iban.js';
import { cardIssuer, luhnValid } from './luhn.js';
import { namedValidator } from './registry.js';
import { ssnValid } from './ssn.js';

describe('Luhn and issuers', () => {
  it('accepts known test card numbers and rejects a changed digit', () => {
    for (const n of ['4111111111111111', '5555555555554444', '378282246310005', '6011111111111117', '3530111333300000']) {
      expect(luhnValid(n), n).toBe(true);
    }
    expect(luhnValid('4111111111111112')).toBe(false);
    expect(luhnValid('79927398713')).toBe(true);
    expect(luhnValid('79927398710')).toBe(false);
  });
  it('maps IIN ranges and lengths to issuers', () => {
    expect(cardIssuer('4111111111111111')).toBe('visa');
    expect(cardIssuer('2221000000000009')).toBe('mastercard');
    expect(cardIssuer('378282246310005')).toBe('amex');
    expect(cardIssuer('37828224631000')).toBeNull();
    expect(cardIssuer('9111111111111111')).toBeNull();
  });
});

describe('IBAN mod-97', () => {
  it('validates real-format IBANs of several countries', () => {
    for (const iban of ['DE89370400440532013000', 'GB82WEST12345698765432', 'FR1420041010050500013M02606', 'NL91ABNA0417164300', 'BE68539007547034']) {
      expect(ibanValid(iban), iban).toBe(true);
      expect(ibanMod97(iban)).toBe(1);
    }
  });
  it('rejects wrong check digits, wrong length and unknown countries', () => {
    expect(ibanValid('DE88370400440532013000')).toBe(false);
    expect(ibanValid('DE8937040044053201300')).toBe(false);
    expect(ibanValid('ZZ89370400440532013000')).toBe(false);
  });
});

describe('Luhn and issuers without patterns or slices', () => {
  // as first written, the reference for the hand-written walk and prefixes
  const luhnReference = (digits: string) => /^\d{2,}$/.test(digits) && luhnValid(digits);
  const issuerReference = (digits: string) => {
    const n = digits.length;
    const [p2, p3, p4, p6] = [2, 3, 4, 6].map((k) => Number(digits.slice(0, k)));
    if ((p2 === 34 || p2 === 37) && n === 15) return 'amex';
    if (digits[0] === '4' && (n === 13 || n === 16 || n === 19)) return 'visa';
    if (((p2 >= 51 && p2 <= 55) || (p4 >= 2221 && p4 <= 2720)) && n === 16) return 'mastercard';
    if ((p4 === 6011 || (p3 >= 644 && p3 <= 649) || p2 === 65 || (p6 >= 622126 && p6 <= 622925)) && n >= 16 && n <= 19) return 'discover';
    if (((p3 >= 300 && p3 <= 305) || p2 === 36 || p2 === 38 || p2 === 39) && n >= 14 && n <= 19) return 'diners';
    if (p4 >= 3528 && p4 <= 3589 && n >= 16 && n <= 19) return 'jcb';
    if (p2 === 62 && n >= 16 && n <= 19) return 'unionpay';
    if ((p2 === 50 || (p2 >= 56 && p2 <= 69)) && n >= 12 && n <= 19) return 'maestro';
    return null;
  };
  it('agree with the pattern and Number(slice) forms on random strings', () => {
    let seed = 5;
    const rnd = (n: number) => Math.floor(((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x80000000) * n);
    const HEADS = ['34', '37', '4', '51', '55', '2221', '2720', '6011', '644', '65', '622126', '622925', '300', '36', '3528', '3589', '62', '50', '56', '69', ' 4', '4a', '', '-'];
    let issued = 0;
    for (let n = 0; n < 40000; n++) {
      const tail = Array.from({ length: rnd(20) }, () => (rnd(30) === 0 ? ' a-\u0660.'[rnd(5)] : String(rnd(10)))).join('');
      const s = HEADS[rnd(HEADS.length)] + tail;
      const luhn = luhnReference(s);
      expect(luhnValid(s), JSON.stringify(s)).toBe(luhn);
      const issuer = issuerReference(s);
      if (issuer) issued++;
      expect(cardIssuer(s), JSON.stringify(s)).toBe(issuer);
    }
    expect(issued).toBeGreaterThan(5000);
  });
});

describe('IBAN check without a pattern', () => {
  const LENGTH_OF: Record<string, number> = { DE: 22, GB: 22, FR: 27, NL: 18, BE: 16, NO: 15, MT: 31, RU: 33 };
  // the check as first written with a pattern, the reference for the one-walk version
  const reference = (compact: string) => {
    if (!/^[A-Z]{2}\d{2}[A-Z0-9]+$/.test(compact)) return false;
    const len = IBAN_LENGTHS[compact.slice(0, 2)];
    if (len === undefined || compact.length !== len) return false;
    return ibanMod97(compact) === 1;
  };
  it('agrees with the pattern and mod-97 on valid, damaged and random strings', () => {
    let seed = 11;
    const rnd = (n: number) => Math.floor(((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x80000000) * n);
    const CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
    // complete an IBAN of each country: pick the check digits that make mod-97 = 1
    const valid: string[] = [];
    for (const [cc, n] of Object.entries(LENGTH_OF)) {
      for (let t = 0; t < 50; t++) {
        const bban = Array.from({ length: n - 4 }, () => CHARS[rnd(t % 2 ? 10 : 36) + (t % 2 ? 26 : 0)]).join('');
        const r = ibanMod97(cc + '00' + bban);
        valid.push(cc + String(98 - r).padStart(2, '0') + bban);
      }
    }
    let ok = 0;
    for (const iban of valid) {
      expect(ibanValid(iban), iban).toBe(true);
      const damaged = [iban.slice(0, -1), iban + '0', iban.toLowerCase(), iban.slice(0, 6) + (iban[6] === '1' ? '2' : '1') + iban.slice(7), iban.replace(/^../, 'ZZ'), iban.slice(0, 4) + '-' + iban.slice(5)];
      for (const s of [iban, ...damaged]) {
        const want = reference(s);
        if (want) ok++;
        expect(ibanValid(s), s).toBe(want);
      }
    }
    for (let t = 0; t < 20000; t++) {
      const s = Array.from({ length: rnd(36) }, () => (rnd(20) === 0 ? ' -a\u0130é٣'[rnd(6)] : CHARS[rnd(36)])).join('');
      expect(ibanValid(s), s).toBe(reference(s));
    }
    expect(ok).toBeGreaterThanOrEqual(valid.length);
  });
});

describe('SSN rules', () => {
  it('accepts a plausible number', () => expect(ssnValid('536221234')).toBe(true));
  it.each(['000221234', '666221234', '900221234', '536001234', '536220000', '078051120', '123456789', '111111111'])('rejects %s', (n) => {
    expect(ssnValid(n)).toBe(false);
  });
});

describe('SSN rules without patterns', () => {
  // the rules as first written with patterns, the reference for the hand-written walk
  const NEVER = new Set(['078051120', '219099999', '123456789', '111111111', '333333333', '457555462']);
  const reference = (digits: string) => {
    if (!/^\d{9}$/.test(digits)) return false;
    const area = Number(digits.slice(0, 3));
    const group = Number(digits.slice(3, 5));
    const serial = Number(digits.slice(5));
    if (area === 0 || area === 666 || area >= 900) return false;
    if (group === 0 || serial === 0) return false;
    if (NEVER.has(digits)) return false;
    return !/^(\d)\1{8}$/.test(digits);
  };
  it('agrees with the pattern-based rules on random strings', () => {
    let seed = 7;
    const rnd = (n: number) => Math.floor(((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x80000000) * n);
    const PIECES = ['0', '1', '5', '6', '9', '66', '00', '000', '666', '900', '899', '078051120', '333333333', 'a', ' ', '\n', '-', '٣', '１'];
    let valid = 0;
    for (let n = 0; n < 50000; n++) {
      const s = n % 3 === 0 ? String(rnd(1e9)).padStart(9, '0') : Array.from({ length: 1 + rnd(6) }, () => PIECES[rnd(PIECES.length)]).join('');
      const want = reference(s);
      if (want) valid++;
      expect(ssnValid(s), JSON.stringify(s)).toBe(want);
    }
    for (const s of [...NEVER, '000000000', '999999999', '666000000', '123456789\n']) expect(ssnValid(s), s).toBe(reference(s));
    expect(valid).toBeGreaterThan(5000);
  });
});

describe('Bitcoin checksums', () => {
  it('Base58Check: P2PKH and P2SH addresses; a flipped character fails', () => {
    expect(base58CheckValid('1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2')).toBe(true);
    expect(base58CheckValid('3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy')).toBe(true);
    expect(base58CheckValid('1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN3')).toBe(false);
  });
  it('Bech32 (v0) and Bech32m (v1); a flipped character fails', () => {
    expect(bech32Valid('bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4')).toBe(true);
    expect(bech32Valid('bc1p5d7rjq7g6rdk2yhzks9smlaqtedr4dekq08ge8ztwac72sfr9rusxg3297')).toBe(true);
    expect(bech32Valid('bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5')).toBe(false);
  });
});

describe('named validators for custom recognizers', () => {
  it('exposes luhn and iban, and nothing inherited', () => {
    expect(namedValidator('luhn')?.('4111-1111-1111-1111')).toBe(true);
    expect(namedValidator('iban')?.('de89 3704 0044 0532 0130 00')).toBe(true);
    expect(namedValidator('toString')).toBeUndefined();
  });
});

describe('Bitcoin checksums without allocation', () => {
  // as first written (a byte array per address, toLowerCase and indexOf), the reference for the limb and one-walk forms
  const B58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
  const sha = (b: Uint8Array) => createHash('sha256').update(b).digest();
  const base58Reference = (s: string) => {
    const out = new Uint8Array(25);
    for (let k = 0; k < s.length; k++) {
      const v = B58.indexOf(s[k]);
      if (v < 0) return false;
      let carry = v;
      for (let j = 24; j >= 0; j--) {
        carry += out[j] * 58;
        out[j] = carry & 0xff;
        carry >>= 8;
      }
      if (carry > 0) return false;
    }
    let zeros = 0;
    while (zeros < s.length && s[zeros] === '1') zeros++;
    let lead = 0;
    while (lead < 25 && out[lead] === 0) lead++;
    if (Math.max(1, 25 - lead) + zeros !== 25) return false;
    if (out[0] !== 0x00 && out[0] !== 0x05) return false;
    const check = sha(sha(out.subarray(0, 21)));
    return [0, 1, 2, 3].every((i) => check[i] === out[21 + i]);
  };
  const CHARSET = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';
  const GEN = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];
  const polymod = (values: number[]) => {
    let chk = 1;
    for (const v of values) {
      const top = chk >>> 25;
      chk = ((chk & 0x1ffffff) << 5) ^ v;
      for (let i = 0; i < 5; i++) if ((top >>> i) & 1) chk ^= GEN[i];
    }
    return chk >>> 0;
  };
  const bech32Reference = (address: string) => {
    if (address !== address.toLowerCase() && address !== address.toUpperCase()) return false;
    const a = address.toLowerCase();
    const pos = a.lastIndexOf('1');
    if (pos !== 2 || !a.startsWith('bc') || a.length - pos - 1 < 7 || a.length > 90) return false;
    const data = [...a.slice(pos + 1)].map((ch) => CHARSET.indexOf(ch));
    if (data.some((v) => v < 0)) return false;
    const check = polymod([3, 3, 0, 2, 3, ...data]);
    return data[0] === 0 ? check === 1 : data[0] <= 16 && check === 0x2bc830a3;
  };

  const { rnd, pick } = seededText(17);
  /** A legacy address with a random 20-byte hash and a right checksum. */
  const legacy = () => {
    const raw = new Uint8Array(25);
    raw[0] = pick([0, 5, 0, 1, 0x6f]);
    // some hashes start with zero bytes, which become leading '1's
    for (let i = 1 + rnd(4); i < 21; i++) raw[i] = rnd(256);
    raw.set(sha(sha(raw.subarray(0, 21))).subarray(0, 4), 21);
    let n = 0n;
    for (const b of raw) n = n * 256n + BigInt(b);
    let s = '';
    for (; n > 0n; n /= 58n) s = B58[Number(n % 58n)] + s;
    for (let i = 0; i < 25 && raw[i] === 0; i++) s = '1' + s;
    return s;
  };
  /** A SegWit address (v0 bech32 or v1+ bech32m) with a right checksum, in one case. */
  const segwit = () => {
    const version = pick([0, 0, 1, 16, 17]);
    const data = [version, ...Array.from({ length: 3 + rnd(60) }, () => rnd(32))];
    const mod = polymod([3, 3, 0, 2, 3, ...data, 0, 0, 0, 0, 0, 0]) ^ (version === 0 ? 1 : 0x2bc830a3);
    for (let i = 0; i < 6; i++) data.push((mod >>> (5 * (5 - i))) & 31);
    const s = 'bc1' + data.map((v) => CHARSET[v]).join('');
    return rnd(4) === 0 ? s.toUpperCase() : s;
  };
  const ODD = ['0', 'O', 'I', 'l', '1', 'B', 'b', ' ', '\u212a', 'K', 'k', '\u0130', 'é', '😀'];
  const mutate = (s: string, alphabet: string) => {
    const a = [...s];
    const op = rnd(7);
    const at = rnd(a.length + 1);
    const ch = rnd(3) === 0 ? pick(ODD) : alphabet[rnd(alphabet.length)];
    if (op === 0) a[at] = ch;
    else if (op === 1) a.splice(at, 1);
    else if (op === 2) a.splice(at, 0, ch);
    else if (op === 3) a[at] = (a[at] ?? '').toUpperCase();
    else if (op === 4) a[at] = (a[at] ?? '').toLowerCase();
    else if (op === 5) a.unshift('1');
    else return a.join('').replaceAll('k', '\u212a').replaceAll('K', '\u212a');
    return a.join('');
  };

  it('Base58Check agrees with the byte-array form on valid and mutated addresses', () => {
    let valid = 0;
    for (let n = 0; n < 6000; n++) {
      let s = legacy();
      for (let m = rnd(3); m > 0; m--) s = mutate(s, B58);
      const want = base58Reference(s);
      if (want) valid++;
      expect(base58CheckValid(s), s).toBe(want);
    }
    expect(valid).toBeGreaterThan(1500);
  });

  it('Bech32 agrees with the lower-casing form on valid and mutated addresses', () => {
    let valid = 0;
    for (let n = 0; n < 6000; n++) {
      let s = segwit();
      for (let m = rnd(3); m > 0; m--) s = mutate(s, CHARSET + CHARSET.toUpperCase());
      const want = bech32Reference(s);
      if (want) valid++;
      expect(bech32Valid(s), s).toBe(want);
    }
    // the Kelvin sign lower-cases to 'k': an upper-case address may hold it in place of 'K'
    const upper = 'BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4';
    for (const s of [upper, upper.replace('K', '\u212a'), upper.toLowerCase().replace('k', '\u212a'), 'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4']) {
      expect(bech32Valid(s), s).toBe(bech32Reference(s));
    }
    expect(bech32Valid(upper.replace('K', '\u212a'))).toBe(true);
    expect(valid).toBeGreaterThan(1500);
  });
});

describe('IBAN check in place', () => {
  it('ibanValidSpaced is ibanValid of the span without spaces and hyphens', () => {
    const { rnd, pick } = seededText(19);
    const CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
    let valid = 0;
    for (let n = 0; n < 20000; n++) {
      const [cc, len] = pick(Object.entries(IBAN_LENGTHS));
      const bban = Array.from({ length: len - 4 }, () => CHARS[rnd(36)]).join('');
      let s = cc + String(98 - ibanMod97(cc + '00' + bban)).padStart(2, '0') + bban;
      // separators, damage and other characters, sometimes on a valid IBAN
      for (let m = rnd(4); m > 0; m--) {
        const at = rnd(s.length + 1);
        const ch = pick([' ', '-', ' ', '-', '\t', 'a', '0', 'Z', '\u0130', '٣', '.']);
        s = rnd(3) ? s.slice(0, at) + ch + s.slice(at) : s.slice(0, at) + ch + s.slice(at + 1);
      }
      const pad = pick(['', 'x ', '-']);
      const text = pad + s + pick(['', ' y', '-']);
      const want = ibanValid(s.replace(/[ -]/g, ''));
      if (want) valid++;
      expect(ibanValidSpaced(text, pad.length, pad.length + s.length), JSON.stringify(s)).toBe(want);
    }
    expect(valid).toBeGreaterThan(3000);
  });
});
