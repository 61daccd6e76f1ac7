import { createHash } from 'node:crypto';
import ipaddr from 'ipaddr.js';
import { describe, expect, it } from 'vitest';
import { seededText } from './random-text.test-helpers.js';
import { generateCorpus } from '../../bench/pii-corpus/generate.js';
import { createContextMatcher } from './context.js';
import { createDetector } from './detector.js';
import { isAlnumU } from './detectors/chars.js';
import { legacyPrecheck } from './detectors/crypto-wallet.js';
import { writtenPrechecks } from './detectors/date-time.js';
import { dottedQuad, v6Pattern, v6Triggers } from './detectors/ip.js';
import { locationPrechecks } from './detectors/location.js';
import { shapeOf } from './detectors/phone.js';
import { en } from './lang/en.js';
import { matchesAtStarts } from './detectors/util.js';
import { indexText } from './prepass.js';
import { base58CheckValid, bech32Valid, sha256Short } from './validators/bitcoin.js';

/**
 * The fast paths must not change a verdict: every cheap check that stands before a pattern must hold
 * wherever the pattern matches, and every hand-written test must say what the pattern or library it
 * replaces says. Checked on seeded random text built from the pieces that matter.
 */
const { rnd, pick, randomText } = seededText(2024);
const digitRuns = (text: string) => {
  const r = indexText(text).digits;
  const out: [number, number][] = [];
  for (let k = 0; k < r.length; k += 2) out.push([r[k], r[k + 1]]);
  return out;
};

describe('fast path: location prechecks never hide a match', () => {
  const { NUMBER_FIRST, NUMBER_AFTER, GLUED, TAIL_AHEAD, streetMayFollow, gluedMay, commaWithin, strAbbrev } = locationPrechecks;
  const PIECES = [
    '12', '1234', '7', '56857', '0', 'a', 'B', ' bis', 'bis', 'ter', ' ter', ',', ', ', ' ', '  ', '\u00a0', '\u2003', '\n', '\t', 'Rue', 'rue', 'RUE', 'via', 'Via',
    'al.', 'ul.', 'Hauptstraße', 'STRAẞE', 'Kerkstraat', 'weg', 'Weg', 'Str.', 'str', 'Str', 'N', 'N.', 'Main', 'Street', 'St', '5th', '21st', 'Avenue', 'Élysée',
    'élysée', '\u212a', 'ſ', '𝐀', 'Springfield', 'IL', '62704', '10115', 'Berlin', 'AB', 'de', 'la', '-', '/', 'II', 'hs', 'x', 'Park', 'PARK', 'Lake',
  ];

  const SPACE = [' ', ' ', ' ', '  ', '\u00a0', '\u2003', '\n'];
  const WORDS = ['Main', 'N', 'N.', 'Élysée', 'élysée', '𝐀bc', '5th', '21st', '103rd', '2nd', '1234th', '12TH', '9999', 'Pat', 'rue', 'Rue', 'via', 'al.', 'de', 'la', 'Paix', 'Roma', 'x', 'IL'];
  const SUFFIX = ['Street', 'St', 'St.', 'Avenue', 'Park', 'PARK', 'Lake', 'Forges', 'NW'];
  const TAIL = ['', ', Springfield, IL 62704', ', Lake Tom, NY 88344', ', 75002 Paris', ', 10115 Berlin', ', 1017 GC Amsterdam', ',', ', 2024 Edition'];
  /** An address-like string (number, optional letter, bis, comma, street words, suffix, tail) with random noise around it. */
  const addressLike = () =>
    randomText(PIECES, 4) + ' ' + pick(['12', '7', '1138', '56857', '355']) + pick(['', '', 'a', 'B', ' bis', 'bis', 'ter']) + pick(['', '', ',']) + pick(SPACE) +
    Array.from({ length: 1 + rnd(3) }, () => pick(WORDS) + pick(SPACE)).join('') + pick(SUFFIX) + pick(TAIL) + randomText(PIECES, 4);

  it('NUMBER_FIRST, GLUED, TAIL_AHEAD and "Str" only match where their checks hold', () => {
    let matched = 0;
    for (let n = 0; n < 8000; n++) {
      const text = n % 2 ? addressLike() : randomText(PIECES);
      for (const [i, j] of digitRuns(text)) {
        NUMBER_FIRST.lastIndex = i;
        if (j - i <= 6 && NUMBER_FIRST.exec(text)) {
          matched++;
          expect(streetMayFollow(text, j), text).toBe(true);
        }
        if (TAIL_AHEAD.test(text.slice(j, j + 14))) expect(commaWithin(text, j, 14), text).toBe(true);
        if (text.charCodeAt(i - 1) === 32) {
          const w0 = text.lastIndexOf(' ', i - 2) + 1;
          if (w0 >= i - 1) continue;
          const word = text.slice(w0, i - 1);
          if (GLUED.test(word)) expect(gluedMay(text, w0, i - 1), word).toBe(true);
          expect(strAbbrev(text, w0, i - 1), word).toBe(/^[Ss]tr\.?$/.test(word));
        }
      }
    }
    expect(matched).toBeGreaterThan(100);
  });

  it('the patterns that go without the u flag find what they find with it', () => {
    const pairs = Object.values(locationPrechecks.withoutU).map((re) => [re, new RegExp(re.source, re.flags + 'u')] as const);
    const pieces = [...PIECES, 'Corso', 'Allée', 'allée', 'Ul.', 'rua', 'Rua', 'bd', 'xrue', 'rues', 'Van', 'De', 'Am', '😀', '\ud83d', '\ude00', 'van', 'der'];
    let hits = 0;
    for (let n = 0; n < 20000; n++) {
      const text = randomText(pieces, 10);
      for (const [plain, u] of pairs) {
        const a = plain.test(text);
        if (a) hits++;
        expect(a, text).toBe(u.test(text));
      }
    }
    expect(hits).toBeGreaterThan(500);
  });

  it('no NUMBER_AFTER match reaches past a short number that follows a digit or "_" and a space', () => {
    const pieces = ['Hauptstraße', 'Weg', 'Am', 'Ehrenfriedhof', 'van', 'der', 'Bergweg', 'Str.', ' ', ' ', '12', '3456', '7', '12a', '5_', ' / ', '-', ', ', '10115', 'Berlin', 'II', 'bis', 'x'];
    let checked = 0;
    for (let n = 0; n < 30000; n++) {
      const text = randomText(pieces, 14);
      for (const [i, j] of digitRuns(text)) {
        const c = text.charCodeAt(i - 2);
        if (j - i > 4 || text.charCodeAt(i - 1) !== 32 || !((c >= 48 && c <= 57) || c === 95)) continue;
        checked++;
        for (let at = 0; at < i; at++) {
          NUMBER_AFTER.lastIndex = at;
          const m = NUMBER_AFTER.exec(text);
          if (m) expect(at + m[0].length < j, text).toBe(true);
        }
      }
    }
    expect(checked).toBeGreaterThan(300);
  });

  it('gluedMay holds for every word GLUED accepts, in any case', () => {
    for (let n = 0; n < 20000; n++) {
      const word = randomText(['a', 'Haupt', 'STRA', 'ẞE', 'ße', 'sse', 'SSE', 'weg', 'WEG', 'laan', 'plein', 'vägen', 'gränd', 'str.', 'par', '\u212a', 'k', 'ſ', 'E', 'e', 'x'], 5);
      if (GLUED.test(word)) expect(gluedMay(word, 0, word.length), word).toBe(true);
    }
  });
});

describe('fast path: character tables', () => {
  it('isAlnumU is \\p{L} or \\p{N} for every code unit', () => {
    for (let c = 0; c < 65536; c++) expect(isAlnumU(c), c.toString(16)).toBe(/[\p{L}\p{N}]/u.test(String.fromCharCode(c)));
  });
});

describe('fast path: written dates', () => {
  const { WRITTEN, monthAt, monthAfterDay } = writtenPrechecks;
  const PIECES = ['March', 'mar', 'MAR', 'Sept.', 'sep', 'May', 'june', 'Dec', 'of', 'OF', ' ', '  ', '\u2003', '\u00a0', '\n', '3', '21', '7', 'st', 'ND', 'rd', 'th', ',', '1985', '2024', '.', 'x', 'ſ'];
  const SP = [' ', '  ', '\u2003', '\u00a0', '\n', ''];
  const MONTH = ['March', 'mar', 'MAR', 'Sept', 'sep', 'May', 'june', 'Dec', 'Decemb', 'Mars', 'Ma'];
  /** A written-date-like string in either order, with random spacing, case and noise. */
  const dateLike = () =>
    randomText(PIECES, 3) +
    (rnd(2)
      ? pick(['3', '21', '7']) + pick(['', 'st', 'ND', 'rd', 'th', 'x']) + pick(SP) + pick(['', '', 'of ', 'OF\u2003', 'of']) + pick(MONTH) + pick(['', '.']) + pick(['', ',']) + pick(SP) + pick(['1985', '2024', '98'])
      : pick(MONTH) + pick(['', '.']) + pick(SP) + pick(['3', '21', '7']) + pick(['', 'st', 'th']) + pick(['', ',']) + pick(SP) + pick(['1985', '2024'])) +
    randomText(PIECES, 3);

  it('WRITTEN matches only where a month name stands', () => {
    let matched = 0;
    for (let n = 0; n < 24000; n++) {
      const text = n % 4 ? ' ' + dateLike() + ' ' : randomText(PIECES, 12);
      for (const [s, e] of digitRuns(text)) {
        if (e - s > 2) continue;
        WRITTEN.lastIndex = s;
        if (WRITTEN.exec(text)) {
          matched++;
          expect(monthAfterDay(text, e), text).toBe(true);
        }
      }
      for (let w = 0; w < text.length; w++) {
        if (w > 0 && /[A-Za-z]/.test(text[w - 1])) continue;
        WRITTEN.lastIndex = w;
        if (/[A-Za-z]/.test(text[w] ?? '') && WRITTEN.exec(text)) {
          matched++;
          expect(monthAt(text, w), text).toBe(true);
        }
      }
    }
    expect(matched).toBeGreaterThan(100);
  });
});

describe('fast path: phone shapes', () => {
  const DATE_LIKE = /^(?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4})$/;
  const IPV4_LIKE = /^\d{1,3}(?:\.\d{1,3}){3}$/;
  const isVersion = (raw: string) => /^\d+(?:\.\d+)+$/.test(raw) && raw.split('.').some((g) => g.length === 1);
  const nanpGrouping = (body: string) => {
    const groups = body.split(/\D+/).filter(Boolean).map((g) => g.length).join(',');
    return groups === '3,3,4' || groups === '1,3,3,4';
  };
  it('say what the date, dotted-quad, version and NANP-grouping patterns say', () => {
    const PIECES = ['1', '12', '123', '1234', '5', '00', '.', '-', '/', ' ', '(', ')', '\u00a0', '..', '20', '2024'];
    for (let n = 0; n < 30000; n++) {
      const body = randomText(PIECES, 9);
      const s = shapeOf(body);
      const digits = body.replace(/\D/g, '');
      expect(s.count, body).toBe(digits.length);
      expect(s.formatted, body).toBe(/[ .\-/()]/.test(body));
      expect(s.notPhone, body).toBe(DATE_LIKE.test(body) || IPV4_LIKE.test(body) || isVersion(body));
      expect(s.nanpGroups, body).toBe(nanpGrouping(body));
    }
  });
});

describe('fast path: IP addresses', () => {
  it('dottedQuad agrees with ipaddr.js on four dotted runs of one to three digits', () => {
    for (let n = 0; n < 20000; n++) {
      const parts = Array.from({ length: 4 }, () => String(rnd(4) === 0 ? rnd(10) : rnd(400)).padStart(1 + rnd(3) * (rnd(5) === 0 ? 1 : 0), '0').slice(-3));
      const s = parts.join('.');
      expect(dottedQuad(s), s).toBe(ipaddr.IPv4.isValidFourPartDecimal(s) && !/(^|\.)0\d/.test(s));
    }
  });

  it('an IPv6 match only opens at a colon the trigger filter keeps', () => {
    const { V6, v6Start } = v6Pattern;
    const PIECES = ['2001', 'db8', ':', '::', 'a', 'ff', '0', '12:30', ' ', '.', '192.168.0.1', 'g', 'fe80', ':1'];
    let matched = 0;
    for (let n = 0; n < 5000; n++) {
      const text = randomText(PIECES, 12);
      const colon = indexText(text).colon;
      const kept = new Set(v6Triggers(colon));
      for (const i of colon) {
        const s = v6Start(text, i);
        if (s < 0) continue;
        V6.lastIndex = s;
        if (V6.exec(text)) {
          matched++;
          expect(kept.has(i), text).toBe(true);
        }
      }
    }
    expect(matched).toBeGreaterThan(100);
  });
});

describe('fast path: bitcoin', () => {
  const B58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

  it('a legacy address only starts where 25 Base58 characters follow', () => {
    const { LEGACY, base58Run } = legacyPrecheck;
    for (let n = 0; n < 5000; n++) {
      const text = randomText([...'13', 'x', ' ', '0', 'O', 'l', B58.slice(0, 20), B58.slice(20), '1A2b3C'], 12);
      for (let s = 0; s < text.length; s++) {
        if (text[s] !== '1' && text[s] !== '3') continue;
        LEGACY.lastIndex = s;
        if (LEGACY.exec(text)) expect(base58Run(text, s + 1, 25), text).toBe(25);
      }
    }
  });

  it('sha256Short is SHA-256 for every length up to 55 bytes', () => {
    for (let len = 0; len <= 55; len++) {
      for (let k = 0; k < 20; k++) {
        const msg = Uint8Array.from({ length: len }, () => rnd(256));
        expect(Buffer.from(sha256Short(msg)).toString('hex')).toBe(createHash('sha256').update(msg).digest('hex'));
      }
    }
    expect(() => sha256Short(new Uint8Array(56))).toThrow(RangeError);
  });

  it('the checksums agree with a plain reference implementation on mutated addresses', () => {
    const decode = (s: string): number[] | null => {
      const bytes = [0];
      for (const ch of s) {
        const v = B58.indexOf(ch);
        if (v < 0) return null;
        let carry = v;
        for (let j = 0; j < bytes.length; j++) {
          carry += bytes[j] * 58;
          bytes[j] = carry & 0xff;
          carry >>= 8;
        }
        while (carry > 0) {
          bytes.push(carry & 0xff);
          carry >>= 8;
        }
      }
      for (let k = 0; k < s.length && s[k] === '1'; k++) bytes.push(0);
      return bytes.reverse();
    };
    const sha = (b: Uint8Array) => createHash('sha256').update(b).digest();
    const reference = (s: string) => {
      const raw = decode(s);
      if (!raw || raw.length !== 25 || (raw[0] !== 0 && raw[0] !== 5)) return false;
      const check = sha(sha(Uint8Array.from(raw.slice(0, 21))));
      return [0, 1, 2, 3].every((i) => check[i] === raw[21 + i]);
    };
    const good = ['1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2', '3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy', '1111111111111111111114oLvT2'];
    let valid = 0;
    for (const g of good) {
      for (let n = 0; n < 3000; n++) {
        const a = [...g];
        const op = rnd(3);
        if (n > 0 && op === 0) a[rnd(a.length)] = pick([...B58, '0', 'O']);
        else if (n > 0 && op === 1) a.splice(rnd(a.length), 1);
        else if (n > 0) a.splice(rnd(a.length), 0, pick([...B58]));
        const s = n < 3000 / 2 && rnd(2) ? '1'.repeat(rnd(4)) + a.join('') : a.join('');
        expect(base58CheckValid(s), s).toBe(reference(s));
        if (reference(s)) valid++;
      }
    }
    expect(valid).toBeGreaterThan(0);
    // bech32: a changed character is always caught, the originals pass
    for (const a of ['bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4', 'BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4', 'bc1p5d7rjq7g6rdk2yhzks9smlaqtedr4dekq08ge8ztwac72sfr9rusxg3297']) {
      expect(bech32Valid(a)).toBe(true);
      for (let k = 4; k < a.length; k++) {
        const c = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l'[rnd(32)];
        const b = a.slice(0, k) + (a[k].toLowerCase() === c ? 'q' === c ? 'p' : 'q' : a === a.toUpperCase() ? c.toUpperCase() : c) + a.slice(k + 1);
        if (b.toLowerCase() !== a.toLowerCase()) expect(bech32Valid(b), b).toBe(false);
      }
    }
  });
});

describe('fast path: context windows without lower-casing', () => {
  it('findings are the same when the text forces the lower-cased path (U+0130, U+212A)', () => {
    const d = createDetector();
    const texts = generateCorpus(400, 21).map((s) => s.text);
    const docs: string[] = [];
    for (let i = 0; i < texts.length; i += 20) docs.push(texts.slice(i, i + 20).join('\n'));
    for (const text of docs) {
      const plain = d.scan(text);
      // a text holding either character is read through lower case; a line of its own changes no finding
      expect(d.scan(text + '\n\u0130'), 'U+0130').toEqual(plain);
      expect(d.scan(text + '\n\u212a'), 'U+212A').toEqual(plain);
    }
  });

  it('the pre-pass sees every U+0130 and U+212A', () => {
    for (let n = 0; n < 3000; n++) {
      const text = randomText(['a', 'B', ' ', '1', 'é', 'Ö', '\u0130', '\u212a', 'K', 'i', '😀', '\u0131'], 12);
      expect(indexText(text).plainCase, text).toBe(!/[\u0130\u212a]/.test(text));
    }
  });

  it('the judge skips only candidates it cannot change: full score, no context needed, not numeric', () => {
    const judgeOf = (text: string) => createContextMatcher(en).forText(text, undefined, indexText(text));
    const before = ['', 'email ', 'iban transfer ', 'my wallet ', 'order ', 'version ', 'card order ', 'Order #', 'credit card, see the old order '];
    // an identifier word within the last 20 characters, without a card word there too
    const penalised = new Set(['order ', 'version ', 'Order #', 'credit card, see the old order ']);
    for (const words of before) {
      const text = `${words}XXXXXXXXXX`;
      const at = words.length;
      for (const type of ['EMAIL_ADDRESS', 'IBAN_CODE', 'CRYPTO', 'URL', 'MAC_ADDRESS']) {
        const c = { type, start: at, end: text.length, score: 1 };
        expect(judgeOf(text)(c), `${type} after ${JSON.stringify(words)}`).toBe(true);
        expect(c.score).toBe(1);
      }
      // numeric types still go through the judge: an identifier word right before lowers even a full score
      const card = { type: 'CREDIT_CARD', start: at, end: text.length, score: 1 };
      expect(judgeOf(text)(card)).toBe(true);
      expect(card.score < 1, `card after ${JSON.stringify(words)}`).toBe(penalised.has(words));
      // and so do candidates that need a context word
      const bare = { type: 'EMAIL_ADDRESS', start: at, end: text.length, score: 1, needsContext: true };
      expect(judgeOf(text)(bare), `needs context after ${JSON.stringify(words)}`).toBe(/mail/.test(words));
    }
  });

  it('upper-case context words count like lower-case ones', () => {
    const d = createDetector();
    const score = (t: string) => d.scan(t, { entities: ['US_BANK_NUMBER'] }).map((f) => f.score);
    expect(score('ACCOUNT NUMBER 12345678901')).toEqual(score('account number 12345678901'));
    expect(score('Account Number 12345678901')).toEqual(score('account number 12345678901'));
    expect(score('account number 12345678901').length).toBe(1);
    // the Kelvin sign lower-cases to "k": "BAN\u212a" reads as "bank" (IBAN context) as it did before
    const iban = (t: string) => d.scan(t, { entities: ['IBAN_CODE'] }).map((f) => f.score);
    expect(iban('BAN\u212a DE89370400440532013000')).toEqual(iban('bank DE89370400440532013000'));
  });
});

describe('fast path: secrets found at links', () => {
  const d = createDetector();
  const secrets = (t: string) => d.scan(t, { entities: ['SECRET'] }).map((f) => [f.subtype, t.slice(f.start, f.end)]);
  const hook = 'https://hooks.slack.com/services/T0ABCDEF1/B0ABCDEF2/abcdefghijklmnopqrstuvwx';
  it.each([
    [hook, [['slack_webhook', hook]]],
    [`post to ${hook} please`, [['slack_webhook', hook]]],
    [`glued:x${hook} and again ${hook}`, [['slack_webhook', hook], ['slack_webhook', hook]]],
    [`http://hooks.slack.com/services/T0ABCDEF1/B0ABCDEF2/abc`, []],
    [`see www.example.com and ftp://hooks.slack.com/services/T1/B2/c3`, []],
  ])('%j', (text, expected) => {
    expect(secrets(text)).toEqual(expected);
  });
});
