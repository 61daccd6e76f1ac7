import { createHash, randomBytes } from 'node:crypto';

/**
 * Opaque secrets handed to clients (refresh tokens, mfa tokens, setup tokens, API keys):
 * 256 random bits, base64url; the database keeps only their SHA-256. A fast hash is right
 * here: the input has full entropy, nothing to guess.
 */
export function newSecret(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

export function secretHash(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** API keys carry a `wdn_` prefix so secret scanners recognise them. */
export const API_KEY_PREFIX = 'wdn_';
const API_KEY_RE = /^wdn_[A-Za-z0-9_-]{43}$/;

export function newApiKey(): string {
  return API_KEY_PREFIX + newSecret(32);
}

export function looksLikeApiKey(s: string): boolean {
  return API_KEY_RE.test(s);
}

/** The part of an API key safe to show in lists: prefix and 6 characters. */
export function apiKeyDisplayPrefix(key: string): string {
  return key.slice(0, 10);
}

/** New ids: a short type tag and 96 random bits. */
export function newId(tag: string): string {
  return `${tag}_${randomBytes(12).toString('base64url')}`;
}
