import { decryptMarkers } from './operators/encrypt.js';
import type { OperatorContext } from './operators/types.js';
import type { PseudonymTable } from './operators/pseudonymize.js';

/**
 * Puts original values back: every placeholder of the mapping (`<PERSON_1>`)
 * found in the text, and every `<enc:…>` marker (decrypted with the keyring).
 * Placeholders the mapping does not know are left untouched.
 */
export async function restoreText(
  text: string,
  table: PseudonymTable | null,
  ctx: Pick<OperatorContext, 'crypto' | 'keys'>,
): Promise<{ text: string; restored: number }> {
  let restored = 0;
  let out = text;
  if (table && table.size > 0 && out.includes('<')) {
    const map = new Map(table.entries());
    out = out.replace(/<[A-Z][A-Z0-9_]*_\d+>/g, (p) => {
      const v = map.get(p);
      if (v === undefined) return p;
      restored++;
      return v;
    });
  }
  const { text: plain, decrypted } = await decryptMarkers(out, ctx);
  return { text: plain, restored: restored + decrypted };
}
