import { describe, expect, it } from 'vitest';
import { createDetector } from './detector.js';
import { indexText, opensSecret } from './prepass.js';
import { seededText } from './random-text.test-helpers.js';

const d = createDetector();
const found = (text: string, entities?: string[]) => d.scan(text, entities ? { entities } : {}).map((f) => [f.type, text.slice(f.start, f.end)]);
const pairs = (runs: number[]) => runs.flatMap((x, i) => (i % 2 ? [] : [[x, runs[i + 1]]]));

describe('pre-pass: candidates', () => {
  it('records digit runs, separators, links, capitals and secret openings', () => {
    const text = 'Ana: call 030 1234-567 or mail a@b.io, see https://x.io and www.y.de; key AKIA1 ghp_x 3c-22.0a';
    const ix = indexText(text);
    expect(pairs(ix.digits).map(([s, e]) => text.slice(s, e))).toEqual(['030', '1234', '567', '1', '3', '22', '0']);
    expect(ix.at.map((i) => text[i])).toEqual(['@']);
    expect(ix.colon.map((i) => text.slice(i, i + 3))).toEqual([': c', '://']);
    expect(ix.link.map((i) => text.slice(i, i + 4))).toEqual(['http', 'www.']);
    expect(ix.caps.map((i) => text[i])).toEqual(['A', 'A']);
    // word starts whose first two letters open some rule ("see" could be "secret="); the detector checks the rest
    expect(ix.secret.map((i) => text.slice(i, i + 4))).toEqual(['see ', 'AKIA', 'ghp_']);
    // '-' and '.' only between two hex digits (MAC shapes)
    expect(ix.dash.map((i) => text.slice(i - 1, i + 2))).toEqual(['4-5', 'c-2']);
    expect(ix.dot.map((i) => text.slice(i - 1, i + 2))).toEqual(['2.0']);
  });

  it('finds what sits at the very start and end of the text', () => {
    const ix = indexText('4111 Zoe');
    expect(pairs(ix.digits)).toEqual([[0, 4]]);
    expect(ix.caps).toEqual([5]);
    expect(pairs(indexText('abc 42').digits)).toEqual([[4, 6]]);
    expect(indexText('sk_live_1').secret).toEqual([0]);
    expect(indexText('www.example.com').link).toEqual([0]);
    expect(indexText('ftp://h').link).toEqual([0]);
    expect(indexText('').digits).toEqual([]);
  });

  it('gives each text its own digit runs, before and after a text with very many', () => {
    const small = indexText('a 12 b 345');
    const many = indexText('7 '.repeat(40000));
    expect(many.digits.length).toBe(80000);
    expect(many.digits.slice(-2)).toEqual([79998, 79999]);
    expect(pairs(indexText('a 12 b 345').digits)).toEqual([[2, 4], [7, 10]]);
    expect(pairs(small.digits)).toEqual([[2, 4], [7, 10]]);
  });

  it('counts UTF-16 offsets through non-ASCII text and only ASCII digits', () => {
    const text = '😀 Łukasz Żak 12 ٣٤ １２ ÉMILE éMile';
    const ix = indexText(text);
    expect(pairs(ix.digits).map(([s, e]) => text.slice(s, e))).toEqual(['12']);
    expect(ix.caps.map((i) => text.slice(i, i + 2))).toEqual(['Łu', 'Ża', 'ÉM']);
  });
});

/** Seeded random text from pieces the detectors care about, to compare the index against plain scans. */
let seed = 7;
const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n);
const PIECES = ['0', '7', '42', ' ', '-', '.', ':', '//', '@', '+', '(', ')', '_', 'a', 'Z', 'www', 'http', 'AKIA', 'ghp_', 'eyJ', 'sk_live_', 'pwd', 'pw', 'Secret', 'login', 'LOGON', 'é', 'Ö', '’', '\n', '٣', 'xoxb-', 'SK', 'wdn_'];
const randomText = () => Array.from({ length: 5 + rnd(40) }, () => PIECES[rnd(PIECES.length)]).join('');
const starts = (re: RegExp, text: string) => [...text.matchAll(re)].map((m) => m.index);

describe('pre-pass: nothing missed', () => {
  it('agrees with plain scans on random text', () => {
    for (let k = 0; k < 2000; k++) {
      const text = randomText();
      const ix = indexText(text);
      expect(pairs(ix.digits), text).toEqual([...text.matchAll(/\d+/g)].map((m) => [m.index, m.index + m[0].length]));
      expect(ix.at, text).toEqual(starts(/@/g, text));
      expect(ix.colon, text).toEqual(starts(/:/g, text));
      // every link, secret opening and name start a whole-text regex finds is a candidate
      for (const s of starts(/\b(?:(?:https?|ftp|wss?):\/\/|www\.)/gi, text)) expect(ix.link, text).toContain(s);
      for (const s of starts(/\b(?:AKIA|ASIA|ABIA|ACCA|AIza|gh[pousr]_|github_pat_|glpat-|xox[abposr]-|[srp]k_(?:live|test)_|whsec_|sk-|npm_|SG\.|SK|eyJ|wdn_)/g, text)) expect(ix.secret, text).toContain(s);
      for (const s of starts(/\b(?:aws|pass|pw|secret|api|access|auth|client|login|logon)/gi, text)) expect(ix.secret, text).toContain(s);
      for (const s of starts(/(?<![\p{L}\p{N}_@#/.'’-])\p{Lu}/gu, text)) expect(ix.caps, text).toContain(s);
    }
  });
});

describe('pre-pass: prose', () => {
  // runs of lower-case words between spaces take a shorter way through the walk; it must record the same
  const WORDS = ['the', 'see', 'pass', 'secret', 'aws', 'sk', 'ab', 'a', 'x', 'ghp_x', 'Ok', 'AKIA1', 'Zoë', '42', '3c', ' ', ' ', ' ', '  ', '.', ', ', '-', ':', '\n', 'é', 'éa', '_b', 'c_', '😀'];
  const prose = () => Array.from({ length: 1 + rnd(30) }, () => WORDS[rnd(WORDS.length)] + (rnd(3) ? ' ' : '')).join('');
  const isWord = (c: number) => /[A-Za-z0-9_]/.test(String.fromCharCode(c));
  it('records every secret opening at an ASCII word start, and nothing else', () => {
    for (let k = 0; k < 3000; k++) {
      const text = prose();
      const expected: number[] = [];
      for (let p = 0; p < text.length; p++) {
        const c = text.charCodeAt(p);
        if (/[A-Za-z]/.test(text[p]) && !(p > 0 && isWord(text.charCodeAt(p - 1))) && opensSecret(c, text.charCodeAt(p + 1))) expected.push(p);
      }
      const ix = indexText(text);
      expect(ix.secret, text).toEqual(expected);
      expect(pairs(ix.digits), text).toEqual([...text.matchAll(/\d+/g)].map((m) => [m.index, m.index + m[0].length]));
      expect(ix.caps, text).toEqual(starts(/(?<![\p{L}\p{N}_@#/.'’-])\p{Lu}/gu, text));
      expect(ix.dash, text).toEqual(starts(/(?<=[0-9A-Fa-f])-(?=[0-9A-Fa-f])/g, text));
    }
  });
});

describe('pre-pass without names', () => {
  it('records the same as the full pre-pass, only no capitals', () => {
    for (let k = 0; k < 2000; k++) {
      const text = randomText();
      const full = indexText(text);
      const plain = indexText(text, false);
      expect(plain.caps).toEqual([]);
      expect({ ...plain, caps: full.caps }, text).toEqual(full);
    }
  });
});

describe('detectors through the pre-pass', () => {
  it.each([
    ['AKIAIOSFODNN7EXAMPLE', ['SECRET'], [['SECRET', 'AKIAIOSFODNN7EXAMPLE']]],
    ['x AKIAIOSFODNN7EXAMPLE', ['SECRET'], [['SECRET', 'AKIAIOSFODNN7EXAMPLE']]],
    ['xAKIAIOSFODNN7EXAMPLE', ['SECRET'], []],
    ['Password: hunter2hunter2', ['SECRET'], [['SECRET', 'hunter2hunter2']]],
    ['call +1 415-555-2671', ['PHONE_NUMBER'], [['PHONE_NUMBER', '+1 415-555-2671']]],
    ['(+49) 30 1234567 ok', ['PHONE_NUMBER'], [['PHONE_NUMBER', '(+49) 30 1234567']]],
    ['4111 1111 1111 1111', ['CREDIT_CARD'], [['CREDIT_CARD', '4111 1111 1111 1111']]],
    ['Zoë: 203.0.113.45', ['IP_ADDRESS'], [['IP_ADDRESS', '203.0.113.45']]],
    ['WWW.Example.com/x', ['URL'], [['URL', 'WWW.Example.com/x']]],
    ['born March 3, 1985', ['DATE_TIME'], [['DATE_TIME', 'March 3, 1985']]],
    ['born 3rd of March 1985', ['DATE_TIME'], [['DATE_TIME', '3rd of March 1985']]],
    ['IBAN DE89370400440532013000', ['IBAN_CODE'], [['IBAN_CODE', 'DE89370400440532013000']]],
    ['😀 jane@example.com', ['EMAIL_ADDRESS'], [['EMAIL_ADDRESS', 'jane@example.com']]],
  ])('%j', (text, entities, expected) => {
    expect(found(text, entities)).toEqual(expected);
  });
});

describe('pre-pass: well-formedness', () => {
  it('records a lone surrogate exactly where isWellFormed finds one', () => {
    const { randomText } = seededText(11);
    const pieces = ['\ud83d', '\ude00', '😀', 'a', 'Z', '7', ' ', 'é', 'ab cd', '\udbff\udfff', '\ud800', '\udfff'];
    const isWellFormed = (t: string) => (t as string & { isWellFormed(): boolean }).isWellFormed();
    for (let n = 0; n < 3000; n++) {
      const text = randomText(pieces, 8);
      expect(indexText(text).wellFormed, JSON.stringify(text)).toBe(isWellFormed(text));
      expect(indexText(text, false).wellFormed, JSON.stringify(text)).toBe(isWellFormed(text));
    }
  });

  it('a scan refuses a lone surrogate at the start, the end, or as the only non-ASCII character, before checking entities', () => {
    for (const text of ['\ud800 abc', 'abc \udc00', '\udfff', '\ud83d', 'call 030 1234 \ud83d', 'ab\ude00cd 12', '😀\ud83d']) {
      expect(() => d.scan(text), JSON.stringify(text)).toThrow(expect.objectContaining({ code: 'PII_INVALID_UTF8' }));
      expect(() => d.scan(text, { entities: ['NOT_A_TYPE'] }), JSON.stringify(text)).toThrow(expect.objectContaining({ code: 'PII_INVALID_UTF8' }));
    }
    expect(d.scan('😀 call me').length).toBe(0);
    expect(() => d.scan('😀', { entities: ['NOT_A_TYPE'] })).toThrow(expect.objectContaining({ code: 'PII_UNKNOWN_ENTITY' }));
  });
});
