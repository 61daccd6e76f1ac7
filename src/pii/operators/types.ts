import type { Finding } from '../types.js';
import type { PseudonymTable } from './pseudonymize.js';

/** The keyed operations the pii capability needs; the keys capability provides them. */
export interface PiiCrypto {
  /** HMAC-SHA256 of data under the named keyring key. */
  hmac(keyName: string, data: string): Promise<Buffer> | Buffer;
  /** Authenticated encryption bound to context; returns a self-describing ciphertext string. */
  encrypt(keyName: string, plaintext: string, context: string): Promise<string>;
  decrypt(keyName: string, ciphertext: string, context: string): Promise<string>;
}

/** Names of the keyring keys used by the keyed operators and for restore mappings. */
export interface PiiKeyNames {
  hash: string;
  encrypt: string;
  restore: string;
}

export const DEFAULT_KEY_NAMES: PiiKeyNames = { hash: 'pii-hash', encrypt: 'pii-encrypt', restore: 'pii-restore' };

/** How one entity type is anonymized. */
export type OperatorSpec =
  | { type: 'replace'; value?: string }
  | { type: 'redact' }
  | { type: 'mask'; keepLast?: number; char?: string }
  | { type: 'hash'; length?: number }
  | { type: 'encrypt' }
  | { type: 'pseudonymize' }
  | { type: 'keep' };

export type OperatorName = OperatorSpec['type'];

export interface OperatorContext {
  crypto?: PiiCrypto;
  keys: PiiKeyNames;
  pseudonyms: PseudonymTable;
}

/** One operator per file behind this signature. */
export type Operator = (value: string, finding: Finding, spec: OperatorSpec, ctx: OperatorContext) => string | Promise<string>;
