import { createHash, randomBytes } from 'node:crypto';
import { piiError } from './errors.js';
import { createPseudonymTable, type PseudonymTable } from './operators/pseudonymize.js';
import type { PiiCrypto } from './operators/types.js';
import type { PiiStore } from './store.js';

/**
 * Restore tokens: `prt_` + 32 random bytes. The store keeps only the token's
 * SHA-256 and the mapping encrypted (context binds it to that id), with an expiry.
 */
export interface RestoreVault {
  save(table: PseudonymTable, token?: string): Promise<{ restoreToken: string; expiresAt: Date }>;
  load(token: string): Promise<PseudonymTable>;
  purgeExpired(): Promise<number>;
}

export interface VaultDeps {
  store: PiiStore;
  crypto: PiiCrypto;
  keyName: string;
  clock: () => Date;
  ttlMs: number;
}

const TOKEN = /^prt_[A-Za-z0-9_-]{43}$/;
const idOf = (token: string) => createHash('sha256').update(token).digest('hex');

export function createRestoreVault(deps: VaultDeps): RestoreVault {
  return {
    async save(table, token) {
      const restoreToken = token ?? `prt_${randomBytes(32).toString('base64url')}`;
      if (!TOKEN.test(restoreToken)) throw piiError('PII_INVALID_INPUT', 'malformed restore token');
      const id = idOf(restoreToken);
      const now = deps.clock();
      const expiresAt = new Date(now.getTime() + deps.ttlMs);
      const plaintext = JSON.stringify({ v: 1, entries: table.entries() });
      const ciphertext = await deps.crypto.encrypt(deps.keyName, plaintext, `pii-restore:${id}`);
      await deps.store.put({ id, ciphertext, createdAt: now, expiresAt });
      return { restoreToken, expiresAt };
    },
    async load(token) {
      if (typeof token !== 'string' || !TOKEN.test(token)) throw piiError('PII_TOKEN_NOT_FOUND', 'unknown restore token');
      const id = idOf(token);
      const rec = await deps.store.get(id);
      if (!rec) throw piiError('PII_TOKEN_NOT_FOUND', 'unknown restore token');
      if (rec.expiresAt.getTime() <= deps.clock().getTime()) {
        await deps.store.delete(id);
        throw piiError('PII_TOKEN_EXPIRED', 'restore token has expired');
      }
      const parsed = JSON.parse(await deps.crypto.decrypt(deps.keyName, rec.ciphertext, `pii-restore:${id}`)) as { entries: Array<[string, string]> };
      return createPseudonymTable(parsed.entries);
    },
    purgeExpired: () => deps.store.deleteExpired(deps.clock()),
  };
}
