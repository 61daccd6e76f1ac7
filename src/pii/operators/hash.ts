import { piiError } from '../errors.js';
import type { Operator } from './types.js';

/**
 * hash: keyed HMAC-SHA256 under the keyring's hash key (never an unsalted hash),
 * hex, truncated to `length` characters (default 64 = full). The entity type is
 * part of the input, so equal values of different types do not collide.
 */
export const hashOperator: Operator = async (value, finding, spec, ctx) => {
  if (!ctx.crypto) throw piiError('PII_INVALID_INPUT', 'hash operator needs the keyring');
  const length = spec.type === 'hash' && spec.length ? Math.min(64, Math.max(8, spec.length)) : 64;
  const mac = await ctx.crypto.hmac(ctx.keys.hash, `${finding.type}\u0000${value}`);
  return mac.toString('hex').slice(0, length);
};
