import type { Candidate, LanguagePack } from '../types.js';
import { noPasswordValue } from './passwords.js';
import { candidate } from './util.js';

const fieldEndings = new WeakMap<LanguagePack, RegExp | null>();

/**
 * The whole string of a JSON field named like a secret ({"password": "hunter2"}, {"client_secret": "…"}):
 * no pattern could find a password of plain words, but its field name says what it is. Placeholders
 * ("***", "<redacted>", "${DB_PASSWORD}": noPasswordValue, as for a password in prose) are not reported.
 * The span leaves out surrounding white space.
 */
export function secretFieldValue(text: string, field: string, lang: LanguagePack): Candidate | null {
  let endings = fieldEndings.get(lang);
  if (endings === undefined) {
    const words = lang.secretFields ?? [];
    endings = words.length ? new RegExp(`(?:${words.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})$`) : null;
    fieldEndings.set(lang, endings);
  }
  if (!endings || field.length > 256 || !endings.test(field.toLowerCase().replace(/[\s_.-]+/g, ''))) return null;
  let start = 0;
  let end = text.length;
  while (start < end && /\s/.test(text[start])) start++;
  while (end > start && /\s/.test(text[end - 1])) end--;
  if (end - start < 3 || end - start > 4096 || noPasswordValue(text.slice(start, end))) return null;
  return candidate('SECRET', start, end, 0.9, 'secret_field', false, true);
}
