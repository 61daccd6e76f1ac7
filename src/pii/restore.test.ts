import { describe, expect, it } from 'vitest';
import { createPii } from './index.js';
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
});
