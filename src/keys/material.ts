import { createPrivateKey, createPublicKey, createSecretKey, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { keyError } from './errors.js';

/** The key types of the keyring. */
export const KEY_TYPES = ['aes256-gcm', 'ed25519', 'hmac-sha256'] as const;
export type KeyType = (typeof KEY_TYPES)[number];

/** Keyring names: letters, digits, `_ . -`, up to 64 characters, starting with a letter or digit. */
const KEY_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

export function checkKeyName(name: unknown): string {
  if (typeof name !== 'string' || !KEY_NAME.test(name)) {
    throw keyError('KEY_NAME_INVALID', 'a key name is 1-64 letters, digits, "_", "." or "-", starting with a letter or digit');
  }
  return name;
}

export function checkKeyType(type: unknown): KeyType {
  if (!KEY_TYPES.includes(type as KeyType)) {
    throw keyError('KEY_TYPE_INVALID', `key type must be one of ${KEY_TYPES.join(', ')}`);
  }
  return type as KeyType;
}

/** One version's material in usable form (never serialised except wrapped). */
export interface Material {
  type: KeyType;
  /** aes256-gcm and hmac-sha256 */
  secret?: KeyObject;
  /** ed25519 */
  privateKey?: KeyObject;
  publicKey?: KeyObject;
  publicPem?: string;
}

/** Fresh material: raw bytes to wrap (PKCS#8 DER for ed25519) and, for ed25519, the public key PEM. */
export function generateMaterial(type: KeyType): { raw: Buffer; publicPem: string | null } {
  if (type === 'ed25519') {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    return {
      raw: privateKey.export({ format: 'der', type: 'pkcs8' }),
      publicPem: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
    };
  }
  return { raw: randomBytes(32), publicPem: null };
}

/** Turns unwrapped bytes into KeyObjects. */
export function importMaterial(type: KeyType, raw: Buffer): Material {
  if (type === 'ed25519') {
    const privateKey = createPrivateKey({ key: raw, format: 'der', type: 'pkcs8' });
    const publicKey = createPublicKey(privateKey);
    return { type, privateKey, publicKey, publicPem: publicKey.export({ format: 'pem', type: 'spki' }).toString() };
  }
  if (raw.length !== 32) throw keyError('KEY_UNWRAP_FAILED', `${type} material must be 32 bytes`);
  return { type, secret: createSecretKey(raw) };
}

/** What a version's wrapped material is bound to, so rows cannot be swapped. */
export function materialAad(name: string, version: number, type: KeyType): string {
  return `warden-key:v1:${name}:${version}:${type}`;
}
