import { generateKeyPairSync, sign, verify } from 'node:crypto';
import type { AuditSigner } from '../../src/audit/index.js';

/** An in-memory Ed25519 signer for tests of the audit chain without the keyring. */
export function testSigner(kid = 'test-audit:1'): AuditSigner {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    keyId: () => kid,
    sign: (m) => sign(null, Buffer.from(m), privateKey).toString('base64url'),
    verify: (k, m, s) => k === kid && verify(null, Buffer.from(m), publicKey, Buffer.from(s, 'base64url')),
    publicKeys: () => [{ key_id: kid, algorithm: 'Ed25519', public_key_pem: publicKey.export({ type: 'spki', format: 'pem' }).toString() }],
  };
}
