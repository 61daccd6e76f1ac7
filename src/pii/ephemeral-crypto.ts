import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import type { PiiCrypto } from './operators/types.js';

/**
 * A PiiCrypto for tests and for the CLI without a keyring: AES-256-GCM and
 * HMAC-SHA256 under random keys held in memory (one per key name).
 */
export function createEphemeralPiiCrypto(): PiiCrypto {
  const keys = new Map<string, Buffer>();
  const key = (name: string) => {
    let k = keys.get(name);
    if (!k) keys.set(name, (k = randomBytes(32)));
    return k;
  };
  return {
    hmac: (name, data) => createHmac('sha256', key(name)).update(data).digest(),
    async encrypt(name, plaintext, context) {
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', key(name), iv);
      c.setAAD(Buffer.from(context));
      const body = Buffer.concat([c.update(plaintext, 'utf8'), c.final()]);
      return `v1.${name}.${Buffer.concat([iv, c.getAuthTag(), body]).toString('base64url')}`;
    },
    async decrypt(name, ciphertext, context) {
      const raw = Buffer.from(ciphertext.split('.')[2] ?? '', 'base64url');
      const d = createDecipheriv('aes-256-gcm', key(name), raw.subarray(0, 12));
      d.setAAD(Buffer.from(context));
      d.setAuthTag(raw.subarray(12, 28));
      return Buffer.concat([d.update(raw.subarray(28)), d.final()]).toString('utf8');
    },
  };
}
