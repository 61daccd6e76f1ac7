import { createCipheriv, createDecipheriv, createHmac, createSecretKey, randomBytes, type KeyObject } from 'node:crypto';
import { keyError } from './errors.js';

/**
 * Key wrapping: the one interface between the keyring and whatever holds the master key.
 * The local wrapper seals material with AES-256-GCM under the master key; a KMS or Vault
 * wrapper can be plugged in later behind the same three functions.
 */
export interface KeyWrapper {
  /** Short name of the wrapping scheme, stored with the check value (e.g. `local-aes256gcm`). */
  readonly kind: string;
  /** A value that identifies the master key without revealing it (the key check value). */
  checkValue(): Promise<string>;
  /** Seals key material; `aad` binds it to its place (key name, version, type). */
  wrap(material: Buffer, aad: string): Promise<string>;
  /** Opens what wrap() sealed; throws KEY_UNWRAP_FAILED when the master key or the binding differs. */
  unwrap(wrapped: string, aad: string): Promise<Buffer>;
}

const WRAP_PREFIX = 'wk1.';
const KCV_LABEL = 'warden-master-key-check-v1';

/** Key check value: the first 16 bytes of HMAC-SHA256(master, label), hex. */
export function keyCheckValue(master: Buffer): string {
  return createHmac('sha256', master).update(KCV_LABEL).digest().subarray(0, 16).toString('hex');
}

/** Wraps with AES-256-GCM under a 32-byte master key held in process memory. */
export function localWrapper(master: Buffer): KeyWrapper {
  if (master.length !== 32) throw keyError('MASTER_KEY_INVALID', 'the master key must be 32 bytes');
  const key: KeyObject = createSecretKey(Buffer.from(master));
  const kcv = keyCheckValue(master);
  return {
    kind: 'local-aes256gcm',
    async checkValue() { return kcv; },
    async wrap(material, aad) {
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', key, iv);
      c.setAAD(Buffer.from(aad, 'utf8'));
      const ct = Buffer.concat([c.update(material), c.final()]);
      return WRAP_PREFIX + Buffer.concat([iv, ct, c.getAuthTag()]).toString('base64url');
    },
    async unwrap(wrapped, aad) {
      if (!wrapped.startsWith(WRAP_PREFIX)) throw keyError('KEY_UNWRAP_FAILED', 'wrapped key material has an unknown format');
      const raw = Buffer.from(wrapped.slice(WRAP_PREFIX.length), 'base64url');
      if (raw.length < 12 + 16) throw keyError('KEY_UNWRAP_FAILED', 'wrapped key material is too short');
      try {
        const d = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
        d.setAAD(Buffer.from(aad, 'utf8'));
        d.setAuthTag(raw.subarray(raw.length - 16));
        return Buffer.concat([d.update(raw.subarray(12, raw.length - 16)), d.final()]);
      } catch (e) {
        throw keyError('KEY_UNWRAP_FAILED', 'key material could not be unwrapped (wrong master key or tampered row)', { aad }, e);
      }
    },
  };
}
