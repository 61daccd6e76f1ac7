import { describe, expect, it } from 'vitest';
import { createPii } from './index.js';
import { createMemoryPiiStore } from './memory-store.js';
import { createEphemeralPiiCrypto } from './ephemeral-crypto.js';

const crypto = createEphemeralPiiCrypto();
const pii = createPii({ crypto, store: createMemoryPiiStore() });
const TEXT = 'Mail jane@example.com or call (415) 555-2671. Card 4111 1111 1111 1111.';

describe('operators', () => {
  it('replace is the default: <TYPE>', async () => {
    const r = await pii.anonymize(TEXT);
    expect(r.text).toBe('Mail <EMAIL_ADDRESS> or call <PHONE_NUMBER>. Card <CREDIT_CARD>.');
    expect(r.items.map((i) => r.text.slice(i.start, i.end))).toEqual(['<EMAIL_ADDRESS>', '<PHONE_NUMBER>', '<CREDIT_CARD>']);
    expect(r.restoreToken).toBeUndefined();
  });
  it('replace with a fixed value, redact and keep', async () => {
    const r = await pii.anonymize(TEXT, { operators: { EMAIL_ADDRESS: { type: 'replace', value: '[email]' }, PHONE_NUMBER: 'redact', CREDIT_CARD: 'keep' } });
    expect(r.text).toBe('Mail [email] or call . Card 4111 1111 1111 1111.');
  });
  it('mask keeps the last N and the separators, with a chosen character', async () => {
    const r = await pii.anonymize('Card 4111 1111 1111 1111.', { operators: { CREDIT_CARD: { type: 'mask', keepLast: 4, char: '#' } } });
    expect(r.text).toBe('Card #### #### #### 1111.');
    const d = await pii.anonymize('Card 4111 1111 1111 1111.', { operators: { DEFAULT: 'mask' } });
    expect(d.text).toBe('Card **** **** **** 1111.');
  });
  it('hash is a keyed HMAC: stable for one key, different under another key, not a bare SHA-256', async () => {
    const a = await pii.anonymize('jane@example.com', { operators: { DEFAULT: 'hash' } });
    const b = await pii.anonymize('x jane@example.com', { operators: { DEFAULT: 'hash' } });
    expect(a.text).toMatch(/^[0-9a-f]{64}$/);
    expect(b.text).toBe('x ' + a.text);
    const other = createPii({ crypto: createEphemeralPiiCrypto() });
    expect((await other.anonymize('jane@example.com', { operators: { DEFAULT: 'hash' } })).text).not.toBe(a.text);
    const { createHash } = await import('node:crypto');
    expect(a.text).not.toBe(createHash('sha256').update('jane@example.com').digest('hex'));
  });
  it('pseudonymize is consistent within a document', async () => {
    const r = await pii.anonymize('Anna Schmidt met Joe Bloggs. Later Anna Schmidt wrote to a@example.com.', { operators: { DEFAULT: 'pseudonymize' } });
    expect(r.text).toBe('<PERSON_1> met <PERSON_2>. Later <PERSON_1> wrote to <EMAIL_ADDRESS_1>.');
    expect(r.restoreToken).toMatch(/^prt_/);
  });
  it('rejects unknown operators and bad mask characters', async () => {
    await expect(pii.anonymize(TEXT, { operators: { EMAIL_ADDRESS: 'shred' as never } })).rejects.toMatchObject({ code: 'PII_UNKNOWN_OPERATOR' });
    await expect(pii.anonymize(TEXT, { operators: { EMAIL_ADDRESS: { type: 'mask', char: '**' } } })).rejects.toMatchObject({ code: 'PII_UNKNOWN_OPERATOR' });
  });
});

describe('restore round trips', () => {
  it('pseudonymize → an AI answer keeping the placeholders → restore', async () => {
    const r = await pii.anonymize('Customer Maria García (maria.garcia@example.es) asked for a refund.', { operators: { DEFAULT: 'pseudonymize' } });
    expect(r.text).not.toContain('García');
    const answer = `Dear ${r.text.match(/<PERSON_\d+>/)![0]}, we sent the refund confirmation to <EMAIL_ADDRESS_1>. <PERSON_9> is unknown.`;
    const back = await pii.restore(answer, r.restoreToken);
    expect(back.text).toBe('Dear Maria García, we sent the refund confirmation to maria.garcia@example.es. <PERSON_9> is unknown.');
    expect(back.restored).toBe(2);
  });
  it('encrypt → restore without a token, ciphertext bound to its type', async () => {
    const r = await pii.anonymize('ssn 536-22-1234', { operators: { DEFAULT: 'encrypt' } });
    expect(r.text).toMatch(/^ssn <enc:US_SSN:[A-Za-z0-9_-]+>$/);
    expect((await pii.restore(r.text)).text).toBe('ssn 536-22-1234');
    const swapped = r.text.replace('<enc:US_SSN:', '<enc:PERSON:');
    await expect(pii.restore(swapped)).rejects.toThrow();
  });
  it('a session continues numbering across calls with the same token', async () => {
    const first = await pii.anonymize('I am Joe Bloggs.', { operators: { PERSON: 'pseudonymize' } });
    const second = await pii.anonymize('Maria García and Joe Bloggs', { operators: { PERSON: 'pseudonymize' }, restoreToken: first.restoreToken });
    expect(second.text).toBe('<PERSON_2> and <PERSON_1>');
    expect(second.restoreToken).toBe(first.restoreToken);
    expect((await pii.restore('<PERSON_1>, <PERSON_2>', first.restoreToken)).text).toBe('Joe Bloggs, Maria García');
  });
  it('expired and unknown tokens fail with their codes; the store holds only ciphertext', async () => {
    let now = new Date('2030-01-01T00:00:00Z');
    const store = createMemoryPiiStore();
    const p = createPii({ crypto, store, clock: () => now, config: { restoreTtlMs: 60_000 } });
    const r = await p.anonymize('I am Joe Bloggs.', { operators: { PERSON: 'pseudonymize' } });
    const rec = await store.get((await import('node:crypto')).createHash('sha256').update(r.restoreToken!).digest('hex'));
    expect(rec!.ciphertext).not.toContain('Bloggs');
    await expect(p.restore('<PERSON_1>', 'prt_' + 'A'.repeat(43))).rejects.toMatchObject({ code: 'PII_TOKEN_NOT_FOUND' });
    now = new Date(now.getTime() + 61_000);
    await expect(p.restore('<PERSON_1>', r.restoreToken)).rejects.toMatchObject({ code: 'PII_TOKEN_EXPIRED' });
  });
  it('without a store, pseudonymize still works but restore by token is refused', async () => {
    const p = createPii({ crypto });
    expect((await p.anonymize('I am Joe Bloggs.', { operators: { PERSON: 'pseudonymize' } })).text).toBe('I am <PERSON_1>.');
    await expect(p.restore('<PERSON_1>', 'prt_' + 'A'.repeat(43))).rejects.toMatchObject({ code: 'PII_NO_STORE' });
  });
});

describe('a secret inside a kept finding', () => {
  it('is anonymized although its finding is kept: keep for URL never leaves the password of a link in the text', async () => {
    const pii = createPii({ crypto: createEphemeralPiiCrypto() });
    const text = 'log in at https://bob:S3cr3t-pw@example.com/admin please';
    const kept = await pii.anonymize(text, { operators: { URL: 'keep' } });
    expect(kept.text).toBe('log in at https://bob:<SECRET>@example.com/admin please');
    expect(kept.items.map((i) => i.type)).toEqual(['SECRET']);
    // the same through JSON and a stream; without keep the link goes whole, as before
    expect((await pii.anonymizeJson({ link: text }, { operators: { URL: 'keep' } })).json).toEqual({ link: kept.text });
    let streamed = '';
    const source = (async function* () { yield text + '\n'; })();
    for await (const l of pii.anonymizeStream(source, { operators: { URL: 'keep' } })) streamed += l;
    expect(streamed).toBe(kept.text + '\n');
    expect((await pii.anonymize(text)).text).toBe('log in at <URL> please');
    // a kept link without a password stays whole; SECRET left out of the scan leaves it alone
    expect((await pii.anonymize('see https://example.com/a', { operators: { URL: 'keep' } })).text).toBe('see https://example.com/a');
    expect((await pii.anonymize(text, { entities: ['URL'], operators: { URL: 'keep' } })).text).toBe(text);
  });
});
