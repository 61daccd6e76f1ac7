import { piiError } from './errors.js';
import { LIMITS } from './input.js';
import { decryptMarkers } from './operators/encrypt.js';
import type { OperatorContext } from './operators/types.js';
import type { PseudonymTable } from './operators/pseudonymize.js';

/**
 * Puts original values back: every placeholder of the mapping (`<PERSON_1>`)
 * found in the text, and every `<enc:…>` marker (decrypted with the keyring).
 * Placeholders the mapping does not know are left untouched.
 *
 * The result may hold at most `room` characters (LIMITS.maxTextLength, or what a document's earlier
 * strings left of it): a placeholder of ten characters can stand for a value of many thousands (a
 * private-key block), so a short text repeating it would otherwise grow into gigabytes in memory.
 * Counted as the text grows, so the refusal comes before the large string is built.
 */
export async function restoreText(
  text: string,
  table: PseudonymTable | null,
  ctx: Pick<OperatorContext, 'crypto' | 'keys'>,
  room: number = LIMITS.maxTextLength,
): Promise<{ text: string; restored: number }> {
  let restored = 0;
  let out = text;
  let length = text.length;
  const tooLarge = () => piiError('PII_OUTPUT_TOO_LARGE', `the restored text would exceed ${LIMITS.maxTextLength} characters`, { limit: LIMITS.maxTextLength });
  if (length > room) throw tooLarge();
  if (table && table.size > 0 && out.includes('<')) {
    // looked up in the table itself: a copy of the mapping per call cost a JSON document's restore the
    // mapping's size once per string (20,000 strings against 20,000 values: nearly a minute)
    out = out.replace(/<[A-Z][A-Z0-9_]*_\d+>/g, (p) => {
      const v = table.lookup(p);
      // unknown, or reserved because the input held it as written (it stands for itself): left as it is
      if (v === undefined || v === p) return p;
      length += v.length - p.length;
      if (length > room) throw tooLarge();
      restored++;
      return v;
    });
  }
  const { text: plain, decrypted } = await decryptMarkers(out, ctx);
  return { text: plain, restored: restored + decrypted };
}
