import { describe, expect, it } from 'vitest';
import { createPii } from './index.js';
import { LIMITS } from './input.js';
import { createMemoryPiiStore } from './memory-store.js';
import { createPseudonymTable, type PseudonymTable } from './operators/pseudonymize.js';
import { DEFAULT_KEY_NAMES } from './operators/types.js';
import { restoreText } from './restore.js';
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
  it('a placeholder the client wrote itself is not handed out to a value, so restore gives back exactly what was written', async () => {
    const text = 'Template: "Dear <PERSON_1>", mail <EMAIL_ADDRESS_1>; sent by joe@example.com';
    const a = await pii.anonymize(text, { operators: { DEFAULT: 'pseudonymize' } });
    expect(a.text).toBe('Template: "Dear <PERSON_1>", mail <EMAIL_ADDRESS_1>; sent by <EMAIL_ADDRESS_2>');
    expect(await pii.restore(a.text, a.restoreToken)).toEqual({ text, restored: 1 });
    // in JSON, for every string of the document, whichever comes first
    const doc = { from: 'joe@example.com', body: 'see <EMAIL_ADDRESS_1>' };
    const j = await pii.anonymizeJson(doc, { operators: { DEFAULT: 'pseudonymize' } });
    expect(j.json).toEqual({ from: '<EMAIL_ADDRESS_2>', body: 'see <EMAIL_ADDRESS_1>' });
    expect((await pii.restoreJson(j.json, j.restoreToken)).json).toEqual(doc);
    // and through a continued session: the written one stays itself, the session's own placeholders keep their values
    const next = await pii.anonymize('ann@example.com wrote to <EMAIL_ADDRESS_2> about <EMAIL_ADDRESS_3>', { operators: { DEFAULT: 'pseudonymize' }, restoreToken: a.restoreToken });
    expect(next.text).toBe('<EMAIL_ADDRESS_4> wrote to <EMAIL_ADDRESS_2> about <EMAIL_ADDRESS_3>');
    expect((await pii.restore(next.text, a.restoreToken)).text).toBe('ann@example.com wrote to joe@example.com about <EMAIL_ADDRESS_3>');
    // a written placeholder alone starts no session
    expect((await pii.anonymize('only <PERSON_1> here', { operators: { DEFAULT: 'pseudonymize' } })).restoreToken).toBeUndefined();
  });
  it('looks placeholders up in the table instead of copying the mapping for every string (a JSON document restores many)', async () => {
    const table = createPseudonymTable([['<PERSON_1>', 'Ann Lee'], ['<PERSON_2>', 'Bo Chan']]);
    let copies = 0;
    const counted: PseudonymTable = { ...table, entries: () => (copies++, table.entries()), size: table.size };
    for (let i = 0; i < 50; i++) expect((await restoreText('to <PERSON_2>', counted, { keys: DEFAULT_KEY_NAMES })).text).toBe('to Bo Chan');
    expect(copies).toBe(0);
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
