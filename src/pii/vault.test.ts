import { describe, expect, it } from 'vitest';
import { createPii } from './index.js';
import { createMemoryPiiStore } from './memory-store.js';
import { createEphemeralPiiCrypto } from './ephemeral-crypto.js';

const PSEUDO = { operators: { DEFAULT: 'pseudonymize' as const } };

function setup(ttlMs = 60_000) {
  const clock = { now: new Date('2030-01-01T00:00:00Z') };
  const store = createMemoryPiiStore();
  const pii = createPii({ crypto: createEphemeralPiiCrypto(), store, clock: () => clock.now, config: { restoreTtlMs: ttlMs } });
  return { pii, store, clock };
}

describe('restore sessions', () => {
  it('a continued session may not grow past its bound; it is refused before anything is saved, and a new session is not bounded', async () => {
    const pii = createPii({ crypto: createEphemeralPiiCrypto(), store: createMemoryPiiStore(), config: { restoreMaxChars: 60 } });
    // <PERSON_1> John Smith + <PERSON_2> Mary Jones: 40 characters
    const { restoreToken } = await pii.anonymize('John Smith met Mary Jones.', PSEUDO);
    expect((await pii.anonymize('Mary Jones again.', { ...PSEUDO, restoreToken })).text).toBe('<PERSON_2> again.');
    await expect(pii.anonymize('Hello Alice Walker.', { ...PSEUDO, restoreToken })).rejects.toMatchObject({ code: 'PII_SESSION_TOO_LARGE', status: 413 });
    expect((await pii.restore('<PERSON_1>, <PERSON_2>, <PERSON_3>', restoreToken)).text).toBe('John Smith, Mary Jones, <PERSON_3>');
    // one call makes a session as large as its input needs
    const big = await pii.anonymize('John Smith met Mary Jones and Alice Walker.', PSEUDO);
    expect(big.restoreToken).toBeDefined();
  });

  it('two concurrent continuations of one session never give one placeholder to two values', async () => {
    const { pii } = setup();
    const { restoreToken } = await pii.anonymize('Hello John Smith.', PSEUDO);
    const calls = await Promise.allSettled([
      pii.anonymize('Hello Alice Walker.', { ...PSEUDO, restoreToken }),
      pii.anonymize('Hello Peter Parker.', { ...PSEUDO, restoreToken }),
    ]);
    // a call either fails with a conflict (to be retried) or its answer restores to exactly what it was given
    const ok = calls.flatMap((c, i) => (c.status === 'fulfilled' ? [[c.value.text, ['Hello Alice Walker.', 'Hello Peter Parker.'][i]]] : []));
    expect(ok.length).toBeGreaterThan(0);
    for (const [anonymized, original] of ok) expect((await pii.restore(anonymized, restoreToken)).text).toBe(original);
    for (const c of calls) if (c.status === 'rejected') expect(c.reason).toMatchObject({ code: 'PII_SESSION_CONFLICT', status: 409 });
    // the retry of a conflicting call gets its own placeholder
    const retried = await pii.anonymize('Hello Alice Walker and Peter Parker.', { ...PSEUDO, restoreToken });
    expect((await pii.restore(retried.text + ' <PERSON_1>', restoreToken)).text).toBe('Hello Alice Walker and Peter Parker. John Smith');
  });

  it('concurrent continuations that only reuse known values both succeed and keep the mapping whole', async () => {
    const { pii } = setup();
    const { restoreToken } = await pii.anonymize('John Smith met Mary Jones.', PSEUDO);
    const [a, b] = await Promise.all([
      pii.anonymize('Mary Jones again.', { ...PSEUDO, restoreToken }),
      pii.anonymize('John Smith again.', { ...PSEUDO, restoreToken }),
    ]);
    expect([a.text, b.text]).toEqual(['<PERSON_2> again.', '<PERSON_1> again.']);
    expect((await pii.restore('<PERSON_1> and <PERSON_2>', restoreToken)).text).toBe('John Smith and Mary Jones');
  });

  it('a concurrent continuation that adds a value is merged with one that added nothing', async () => {
    const { pii } = setup();
    const { restoreToken } = await pii.anonymize('John Smith wrote.', PSEUDO);
    // the one that added a value saves first; the other must not write its older mapping over it
    await Promise.all([
      pii.anonymize('Mary Jones is new.', { ...PSEUDO, restoreToken }),
      pii.anonymize('John Smith again.', { ...PSEUDO, restoreToken }),
    ]);
    expect((await pii.restore('<PERSON_1> and <PERSON_2>', restoreToken)).text).toBe('John Smith and Mary Jones');
  });

  it('a session belongs to the caller that started it, through continuations and merges, sealed with the mapping', async () => {
    const { pii, store } = setup();
    const written: string[] = [];
    const [put, replace] = [store.put.bind(store), store.replace.bind(store)];
    store.put = async (rec) => (written.push(JSON.stringify(rec)), put(rec));
    store.replace = async (rec, base) => (written.push(JSON.stringify(rec)), replace(rec, base));
    const mine = { ...PSEUDO, caller: 'user:a' };
    const { restoreToken } = await pii.anonymize('John Smith wrote.', mine);
    await Promise.all([
      pii.anonymize('Mary Jones is new.', { ...mine, restoreToken }),
      pii.anonymize('Peter Parker too.', { ...mine, restoreToken }),
    ].map((p) => p.catch((e) => expect(e).toMatchObject({ code: 'PII_SESSION_CONFLICT' }))));
    // after continuing and merging, the session is still user:a's alone
    for (const caller of ['user:b', 'api_key:a', undefined]) {
      await expect(pii.anonymize('John Smith?', { ...PSEUDO, caller, restoreToken })).rejects.toMatchObject({ code: 'PII_SESSION_NOT_OWNER', status: 403 });
    }
    expect((await pii.anonymize('John Smith!', { ...mine, restoreToken })).text).toBe('<PERSON_1>!');
    // the owner is inside the sealed mapping: the stored text does not show it, and a session saved
    // without a caller (the CLI) cannot be claimed by one
    expect(written.length).toBeGreaterThanOrEqual(2);
    expect(written.join()).not.toContain('user:a');
    const cli = await pii.anonymize('Mary Jones.', PSEUDO);
    await expect(pii.anonymize('x', { ...PSEUDO, caller: 'user:a', restoreToken: cli.restoreToken })).rejects.toMatchObject({ code: 'PII_SESSION_NOT_OWNER' });
    expect((await pii.anonymize('Mary Jones!', { ...PSEUDO, restoreToken: cli.restoreToken })).text).toBe('<PERSON_1>!');
  });

  it('an expired token is refused for restore and for continuing a session, with its own code', async () => {
    const { pii, clock } = setup(1000);
    const { restoreToken } = await pii.anonymize('Hello John Smith.', PSEUDO);
    clock.now = new Date(clock.now.getTime() + 1000);
    await expect(pii.restore('<PERSON_1>', restoreToken)).rejects.toMatchObject({ code: 'PII_TOKEN_EXPIRED', status: 410 });
    // gone for good once seen expired
    await expect(pii.restore('<PERSON_1>', restoreToken)).rejects.toMatchObject({ code: 'PII_TOKEN_NOT_FOUND' });
    const other = await pii.anonymize('Hello Mary Jones.', PSEUDO);
    clock.now = new Date(clock.now.getTime() + 1000);
    await expect(pii.anonymize('Hi John Smith', { ...PSEUDO, restoreToken: other.restoreToken })).rejects.toMatchObject({ code: 'PII_TOKEN_EXPIRED' });
  });

  it('expired mappings do not stay stored when nobody presents their token again', async () => {
    const { pii, store, clock } = setup(1000);
    await pii.anonymize('Hello John Smith.', PSEUDO);
    await pii.anonymize('Hello Mary Jones.', PSEUDO);
    expect(store.size).toBe(2);
    clock.now = new Date(clock.now.getTime() + 24 * 3600_000);
    await pii.anonymize('Hello Peter Parker.', PSEUDO);
    expect(store.size).toBe(1);
  });
});
