import { describe, expect, it } from 'vitest';
import { generateCorpus } from '../../bench/pii-corpus/generate.js';
import { createDetector } from './detector.js';
import { disguiseTable, plainForm } from './disguise.js';
import { createPii } from './index.js';
import { createEphemeralPiiCrypto } from './ephemeral-crypto.js';
import { createMemoryPiiStore } from './memory-store.js';

const d = createDetector();
const found = (text: string) => d.scan(text).map((f) => [f.type, text.slice(f.start, f.end)]);

describe('disguised PII is found, with offsets into the text as sent', () => {
  it.each([
    ['mail jo\u200Bhn@example.com today', 'EMAIL_ADDRESS', 'jo\u200Bhn@example.com'],
    ['mail john\uFF20example.com', 'EMAIL_ADDRESS', 'john\uFF20example.com'],
    ['email: \uFF4A\uFF4F\uFF48\uFF4E@example.com', 'EMAIL_ADDRESS', '\uFF4A\uFF4F\uFF48\uFF4E@example.com'],
    ['card 4111\u200B1111\u200B1111\u200B1111', 'CREDIT_CARD', '4111\u200B1111\u200B1111\u200B1111'],
    ['card \uFF14\uFF11\uFF11\uFF11 1111 1111 1111 thanks', 'CREDIT_CARD', '\uFF14\uFF11\uFF11\uFF11 1111 1111 1111'],
    ['ssn 536\u201122\u20111234', 'US_SSN', '536\u201122\u20111234'],
    ['phone +1 (415) 555\u20130132', 'PHONE_NUMBER', '+1 (415) 555\u20130132'],
    ['phone +\u0664\u0664 \u0662\u0660 \u0667\u0669\u0664\u0666 \u0660\u0669\u0665\u0668', 'PHONE_NUMBER', '+\u0664\u0664 \u0662\u0660 \u0667\u0669\u0664\u0666 \u0660\u0669\u0665\u0668'],
    ['host 192\u2024168\u20241\u202410', 'IP_ADDRESS', '192\u2024168\u20241\u202410'],
    ['iban DE89\u00AD3704\u00AD0044\u00AD0532\u00AD0130\u00AD00', 'IBAN_CODE', 'DE89\u00AD3704\u00AD0044\u00AD0532\u00AD0130\u00AD00'],
    ['key AKIA\u200DIOSFODNN7EXAMPLE', 'SECRET', 'AKIA\u200DIOSFODNN7EXAMPLE'],
  ])('%j', (text, type, value) => {
    expect(found(text)).toContainEqual([type, value]);
  });

  it('offsets stay right after characters outside the BMP and after dropped characters', () => {
    const text = '👨‍👩‍👧 \u200B\u200B call 415\u2011555\u20110132 or mail jo\u200Bhn@example.com';
    expect(found(text)).toEqual([['PHONE_NUMBER', '415\u2011555\u20110132'], ['EMAIL_ADDRESS', 'jo\u200Bhn@example.com']]);
  });

  it('anonymizing replaces the whole disguised value: no part of it is left behind', async () => {
    const pii = createPii({ crypto: createEphemeralPiiCrypto(), store: createMemoryPiiStore() });
    const text = 'jo\u200Bhn@example.com paid with 4111\u200B1111\u200B1111\u200B1111';
    const a = await pii.anonymize(text, { operators: { DEFAULT: 'pseudonymize' } });
    expect(a.text).toBe('<EMAIL_ADDRESS_1> paid with <CREDIT_CARD_1>');
    // restore gives back exactly what was sent, invisible characters included
    expect((await pii.restore(a.text, a.restoreToken)).text).toBe(text);
  });

  it('the same values are found, at the same places, when zero-width characters are scattered through a corpus', () => {
    const corpus = generateCorpus(300, 13);
    let rnd = 7;
    const next = () => (rnd = (rnd * 1103515245 + 12345) & 0x7fffffff);
    let compared = 0;
    for (const { text } of corpus) {
      let disguised = '';
      for (const ch of text) disguised += ch + (next() % 5 === 0 ? ['\u200B', '\u200C', '\u2060', '\uFEFF', '\u00AD'][next() % 5] : '');
      const strip = (s: string) => s.replace(/[\u200B\u200C\u2060\uFEFF\u00AD]/g, '');
      // PERSON is left out: a soft hyphen or a joiner inside a name is a different word to a name lexicon
      const plain = d.scan(text).filter((f) => f.type !== 'PERSON').map((f) => [f.type, text.slice(f.start, f.end)]);
      const seen = d.scan(disguised).filter((f) => f.type !== 'PERSON').map((f) => [f.type, strip(disguised.slice(f.start, f.end))]);
      expect(seen, disguised).toEqual(plain);
      compared += plain.length;
    }
    expect(compared).toBeGreaterThan(300);
  });
});

describe('the plain form', () => {
  it('leaves ASCII and ordinary typography alone (no second pass for everyday text)', () => {
    const t = disguiseTable();
    for (let c = 0; c < 128; c++) expect(t[c]).toBe(0);
    for (const ch of '’‘“”…—é€£°·•ßñçøΩЖ中あ') expect(t[ch.charCodeAt(0)], ch).toBe(0);
    const text = 'I’m “Jane” — café for €5…';
    expect(plainForm(text)).toEqual({ text, from: Int32Array.from(text, (_, i) => i) });
    expect(d.scan('I’m “Jane Doe”, mail jane@example.com…').length).toBe(2);
  });

  it('maps digits of every script, full-width forms and dashes, and drops format characters', () => {
    const p = plainForm('\u0661\u0662\u0969\u09EA\uFF15\u2013\u2212\u200B\u00ADx\uFF21\uFE6B');
    expect(p.text).toBe('12345--xA@');
    expect([...p.from]).toEqual([0, 1, 2, 3, 4, 5, 6, 9, 10, 11]);
  });
});
