import { describe, expect, it } from 'vitest';
import { createPii } from './index.js';
import { LIMITS } from './input.js';
import { MAX_FIELD_HINT, repeatsFieldName } from './json.js';
import { createMemoryPiiStore } from './memory-store.js';
import { createEphemeralPiiCrypto } from './ephemeral-crypto.js';

const pii = createPii({ crypto: createEphemeralPiiCrypto(), store: createMemoryPiiStore() });

describe('JSON documents', () => {
  const doc = {
    ticket: { id: 482913746, subject: 'Refund for Joe Bloggs', email: 'joe@example.com', tags: ['vip', 'call +44 20 7946 0958'] },
    customer: { ssn: '536221234', note: null, active: true },
  };

  it('walks every string, reports JSON pointer paths, and uses field names as context', () => {
    const found = pii.scanJson(doc).map((f) => [f.path, f.type]);
    expect(found).toEqual([
      ['/ticket/subject', 'PERSON'],
      ['/ticket/email', 'EMAIL_ADDRESS'],
      ['/ticket/tags/1', 'PHONE_NUMBER'],
      ['/customer/ssn', 'US_SSN'],
    ]);
    // the same bare digits under an unrelated field are not an SSN
    expect(pii.scanJson({ order: '536221234' })).toEqual([]);
  });

  it('refuses a document whose findings would repeat long paths into a huge answer (every finding carries its whole path)', async () => {
    const key = 'k'.repeat(100_000);
    const many = { [key]: Array(Math.ceil(LIMITS.maxPathsLength / key.length) + 1).fill('1.1.1.1') };
    expect(() => pii.scanJson(many)).toThrow(expect.objectContaining({ code: 'PII_OUTPUT_TOO_LARGE', status: 413 }));
    await expect(pii.anonymizeJson(many, { operators: { DEFAULT: 'pseudonymize' } })).rejects.toMatchObject({ code: 'PII_OUTPUT_TOO_LARGE' });
    // the same long path over a few findings is fine
    expect(pii.scanJson({ [key]: ['1.1.1.1', '2.2.2.2'] })).toHaveLength(2);
  });

  it('repeatsFieldName finds a field name written twice in one object, however it is escaped, and nothing else', () => {
    for (const text of ['{"a":1,"a":2}', '{"a":1,"\\u0061":2}', '[{"x":{"b":[1,{"c":1}],"b":0}}]', '{"s":"{\\"a\\":1,\\"a\\":2}","s":1}']) expect(repeatsFieldName(text), text).toBe(true);
    for (const text of ['{"a":{"a":1}}', '[{"a":1},{"a":2}]', '{"s":"{\\"a\\":1,\\"a\\":2}"}', '{"a":"a","b":["a","a"]}', '"a"', '{"a\\\\":1,"a":2}']) expect(repeatsFieldName(text), text).toBe(false);
  });

  it('reads a field name as context only up to MAX_FIELD_HINT characters (a huge one would be read again for every string below it)', () => {
    expect(pii.scanJson({ [`${'x'.repeat(MAX_FIELD_HINT - 4)}_ssn`]: '536221234' }).map((f) => f.type)).toEqual(['US_SSN']);
    expect(pii.scanJson({ [`${'x'.repeat(MAX_FIELD_HINT)}_ssn`]: ['536221234'] })).toEqual([]);
  });

  it('anonymizes strings in place, leaves other values and keys, does not mutate the input', async () => {
    const copy = structuredClone(doc);
    const r = await pii.anonymizeJson(doc, { operators: { DEFAULT: 'pseudonymize' } });
    expect(r.json).toEqual({
      ticket: { id: 482913746, subject: 'Refund for <PERSON_1>', email: '<EMAIL_ADDRESS_1>', tags: ['vip', 'call <PHONE_NUMBER_1>'] },
      customer: { ssn: '<US_SSN_1>', note: null, active: true },
    });
    expect(doc).toEqual(copy);
    const back = await pii.restoreJson(r.json, r.restoreToken);
    expect(back.json).toEqual(doc);
  });

  it('keeps a field named __proto__ (JSON.parse makes it an own field) as a field', async () => {
    const doc = JSON.parse('{"__proto__":{"email":"joe@example.com"},"n":"x"}');
    const r = await pii.anonymizeJson(doc);
    expect(JSON.stringify(r.json)).toBe('{"__proto__":{"email":"<EMAIL_ADDRESS>"},"n":"x"}');
    expect(Object.getPrototypeOf(r.json)).toBe(Object.prototype);
    expect(pii.scanJson(doc).map((f) => f.path)).toEqual(['/__proto__/email']);
  });

  it('refuses JSON nested too deeply with a clear error', async () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 100; i++) deep = [deep];
    expect(() => pii.scanJson(deep)).toThrow(expect.objectContaining({ code: 'PII_JSON_TOO_DEEP' }));
    await expect(pii.anonymizeJson(deep)).rejects.toMatchObject({ code: 'PII_JSON_TOO_DEEP' });
  });
});

describe('bad text input', () => {
  it('lone surrogates (invalid UTF-8 decoded leniently) are refused', () => {
    expect(() => pii.scan('abc \ud800 def')).toThrow(expect.objectContaining({ code: 'PII_INVALID_UTF8' }));
  });
  it('non-strings are refused', () => {
    expect(() => pii.scan(42 as unknown as string)).toThrow(expect.objectContaining({ code: 'PII_INVALID_INPUT' }));
  });
  it('error messages never contain the input', () => {
    try {
      pii.scan('jane@example.com \ud800');
    } catch (e) {
      expect(String((e as Error).message)).not.toContain('jane');
    }
    expect.assertions(1);
  });
});

describe('jsonMemberSource', () => {
  it('finds a top-level member as written, past strings holding braces, quotes and commas', async () => {
    const { jsonMemberSource } = await import('./json.js');
    const text = ' { "a" : "}\\",{" , "b":{"json":1}, "json" : [ 1.0 , {"x":"]"} ] , "c": 12345678901234567891 } ';
    expect(jsonMemberSource(text, 'json')).toBe('[ 1.0 , {"x":"]"} ]');
    expect(jsonMemberSource(text, 'c')).toBe('12345678901234567891');
    expect(jsonMemberSource(text, 'a')).toBe('"}\\",{"');
    expect(jsonMemberSource(text, 'x')).toBeUndefined(); // nested names are not top-level members
    expect(jsonMemberSource('{"json":1,"json":-2e5}', 'json')).toBe('-2e5');
    expect(jsonMemberSource('[1]', 'json')).toBeUndefined();
    expect(jsonMemberSource('{}', 'json')).toBeUndefined();
  });
});

describe('JSON fields named like a secret', () => {
  it('their whole value is a SECRET, whatever it looks like; placeholders and look-alike names are not', async () => {
    const doc = {
      user: 'bob',
      password: 'correct horse battery staple',
      db: { client_secret: ' abc123xyz ', 'connection-string': 'Server=db;Uid=app;Pwd=letmein;', PIN: '4821' },
      token_type: 'Bearer', password_hint: 'my dog', max_tokens: 'many', bypass: 'yes please',
      api_key: '${API_KEY}', pwd: '***', secret: '<redacted>', refresh_token: 'null',
      note: 'the password is in the vault',
    };
    const found = pii.scanJson(doc).filter((f) => f.type === 'SECRET').map((f) => [f.path, f.start, f.end]);
    expect(found).toEqual([['/password', 0, 28], ['/db/client_secret', 1, 10], ['/db/connection-string', 0, 30], ['/db/PIN', 0, 4]]);
    const a = await pii.anonymizeJson(doc, { operators: { SECRET: 'redact' } });
    expect(a.json).toMatchObject({ password: '', db: { client_secret: '  ', PIN: '' }, token_type: 'Bearer', password_hint: 'my dog' });
    // only when SECRET is asked for, and the allow list still wins
    expect(pii.scanJson({ password: 'hunter2hunter2' }, { entities: ['EMAIL_ADDRESS'] })).toEqual([]);
    expect(pii.scanJson({ password: 'hunter2hunter2' }, { allowList: ['hunter2hunter2'] })).toEqual([]);
  });
});
