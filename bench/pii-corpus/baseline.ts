import { createRequire } from 'node:module';
import type { Span } from './generate.js';

/**
 * The baseline: the npm package redact-pii (default built-in redactors). It only
 * returns redacted text, so each redactor replaces with a unique marker and the
 * spans are recovered by aligning the output with the input.
 */
// redact-pii's default replacement words → our entity types
const TYPES: Record<string, string> = {
  EMAIL_ADDRESS: 'EMAIL_ADDRESS', PHONE_NUMBER: 'PHONE_NUMBER', US_SOCIAL_SECURITY_NUMBER: 'US_SSN', CREDIT_CARD_NUMBER: 'CREDIT_CARD',
  IP_ADDRESS: 'IP_ADDRESS', PERSON_NAME: 'PERSON', STREET_ADDRESS: 'LOCATION', URL: 'URL', CREDENTIALS: 'SECRET', PASSWORD: 'SECRET',
  USERNAME: 'OTHER', ZIPCODE: 'OTHER', DIGITS: 'OTHER',
};
const MARKERS = new RegExp(`(${Object.keys(TYPES).join('|')})`);

export function createBaseline(): (text: string) => Span[] {
  const require = createRequire(import.meta.url);
  const { SyncRedactor } = require('redact-pii') as { SyncRedactor: new (o: object) => { redact(s: string): string } };
  const r = new SyncRedactor({});
  return (text) => align(text, r.redact(text));
}

function align(original: string, redacted: string): Span[] {
  const parts = redacted.split(MARKERS).map((p, i) => (i % 2 ? TYPES[p] : p));
  const spans: Span[] = [];
  let pos = 0;
  for (let i = 0; i < parts.length; i += 2) {
    const lit = parts[i];
    const at = lit === '' ? pos : original.indexOf(lit, pos);
    if (i > 0 && at >= pos) {
      const type = parts[i - 1];
      if (type !== 'OTHER' && at > pos) spans.push({ type, start: pos, end: at });
    }
    pos = (at < 0 ? pos : at) + lit.length;
  }
  const lastType = parts.length > 1 ? parts[parts.length - 2] : undefined;
  if (parts.length > 1 && parts[parts.length - 1] === '' && lastType !== 'OTHER' && pos < original.length) {
    spans.push({ type: lastType!, start: pos, end: original.length });
  }
  return spans;
}
