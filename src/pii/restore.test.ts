import { describe, expect, it } from 'vitest';
import { createPii } from './index.js';
import { LIMITS } from './input.js';
import { createMemoryPiiStore } from './memory-store.js';
import { createEphemeralPiiCrypto } from './ephemeral-crypto.js';

const pii = createPii({ crypto: createEphemeralPiiCrypto(), store: createMemoryPiiStore() });

describe('restore', () => {
  it('counts the values it put back, not every "<enc:" in the text', async () => {
    const enc = await pii.anonymize('mail jane@example.com', { operators: { DEFAULT: 'encrypt' } });
    const r = await pii.restore(`The <enc: prefix marks ${enc.text.slice(5)}, see <enc:x>.`);
    expect(r).toEqual({ text: 'The <enc: prefix marks jane@example.com, see <enc:x>.', restored: 1 });
  });
  it('puts back placeholders an AI answer kept, and leaves the ones it does not know', async () => {
    const a = await pii.anonymize('Anna Schmidt wrote to joe@example.com', { operators: { DEFAULT: 'pseudonymize' } });
    const answer = 'Reply to <EMAIL_ADDRESS_1>: "Dear <PERSON_1>, <PERSON_1>\'s refund is done." (<PERSON_7>)';
    expect(await pii.restore(answer, a.restoreToken)).toEqual({
      text: 'Reply to joe@example.com: "Dear Anna Schmidt, Anna Schmidt\'s refund is done." (<PERSON_7>)',
      restored: 3,
    });
  });
  it('refuses a text that would restore into more than the largest text, before building it (a short placeholder can stand for a long value)', async () => {
    const key = `-----BEGIN PRIVATE KEY-----\n${'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7'.repeat(2000)}\n-----END PRIVATE KEY-----`;
    const a = await pii.anonymize(`key: ${key}`, { operators: { DEFAULT: 'pseudonymize' } });
    expect(a.text).toBe('key: <SECRET_1>');
    const copies = Math.ceil(LIMITS.maxTextLength / key.length) + 1;
    await expect(pii.restore('<SECRET_1>'.repeat(copies), a.restoreToken)).rejects.toMatchObject({ code: 'PII_OUTPUT_TOO_LARGE', status: 413 });
    // in JSON the bound holds for the whole document, not for each string
    await expect(pii.restoreJson(Array(copies).fill('<SECRET_1>'), a.restoreToken)).rejects.toMatchObject({ code: 'PII_OUTPUT_TOO_LARGE' });
    expect((await pii.restore('<SECRET_1> <SECRET_1>', a.restoreToken)).restored).toBe(2);
  });
});
