import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify } from 'node:crypto';
import type { AuditSigner } from '../../src/audit/index.js';

/** An in-memory Ed25519 signer for tests of the audit chain without the keyring. */
export function testSigner(kid = 'test-audit:1', privatePem?: string): AuditSigner {
  const privateKey = privatePem ? createPrivateKey(privatePem) : generateKeyPairSync('ed25519').privateKey;
  const publicKey = createPublicKey(privateKey);
  return {
    keyId: () => kid,
    sign: (m) => sign(null, Buffer.from(m), privateKey).toString('base64url'),
    verify: (k, m, s) => k === kid && verify(null, Buffer.from(m), publicKey, Buffer.from(s, 'base64url')),
    publicKeys: () => [{ key_id: kid, algorithm: 'Ed25519', public_key_pem: publicKey.export({ type: 'spki', format: 'pem' }).toString() }],
  };
}

/** A fresh Ed25519 private key as PEM, to share one test signer between processes. */
export function testSignerPem(): string {
  return generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
}
