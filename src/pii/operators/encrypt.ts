import { piiError } from '../errors.js';
import type { Operator, OperatorContext } from './types.js';

/**
 * encrypt: reversible with the keyring. The ciphertext (bound to the context
 * `pii:<TYPE>`) is wrapped as `<enc:TYPE:base64url>` so restore can find it in text.
 */
export const ENC_MARKER = /<enc:([A-Z][A-Z0-9_]{1,63}):([A-Za-z0-9_-]+)>/g;

export const encryptOperator: Operator = async (value, finding, _spec, ctx) => {
  if (!ctx.crypto) throw piiError('PII_INVALID_INPUT', 'encrypt operator needs the keyring');
  const ct = await ctx.crypto.encrypt(ctx.keys.encrypt, value, `pii:${finding.type}`);
  return `<enc:${finding.type}:${Buffer.from(ct, 'utf8').toString('base64url')}>`;
};

/** Replaces every `<enc:…>` marker in text by its plaintext; `decrypted` counts the markers. */
export async function decryptMarkers(text: string, ctx: Pick<OperatorContext, 'crypto' | 'keys'>): Promise<{ text: string; decrypted: number }> {
  if (!text.includes('<enc:')) return { text, decrypted: 0 };
  if (!ctx.crypto) throw piiError('PII_INVALID_INPUT', 'restoring encrypted values needs the keyring');
  const parts: string[] = [];
  let last = 0;
  let decrypted = 0;
  for (const m of text.matchAll(ENC_MARKER)) {
    parts.push(text.slice(last, m.index));
    const ct = Buffer.from(m[2], 'base64url').toString('utf8');
    parts.push(await ctx.crypto.decrypt(ctx.keys.encrypt, ct, `pii:${m[1]}`));
    decrypted++;
    last = m.index + m[0].length;
  }
  parts.push(text.slice(last));
  return { text: parts.join(''), decrypted };
}
