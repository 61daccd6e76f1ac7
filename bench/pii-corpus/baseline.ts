import { createRequire } from 'node:module';
import type { Span } from './generate.js';

/**
 * The baseline: the npm package redact-pii (default built-in redactors). It only
 * returns redacted text, so each redactor replaces with a unique marker and the
 * spans are recovered by aligning the output with the input.
 */
const TYPES: Record<string, string> = {
  emailAddress: 'EMAIL_ADDRESS', phoneNumber: 'PHONE_NUMBER', usSocialSecurityNumber: 'US_SSN', creditCardNumber: 'CREDIT_CARD',
  ipAddress: 'IP_ADDRESS', names: 'PERSON', streetAddress: 'LOCATION', url: 'URL', credentials: 'SECRET', password: 'SECRET',
  username: 'OTHER', zipcode: 'OTHER', digits: 'OTHER',
};
const MARK = (t: string) => `\u0001${t}\u0002`;

export function createBaseline(): (text: string) => Span[] {
  const require = createRequire(import.meta.url);
  const { SyncRedactor } = require('redact-pii') as { SyncRedactor: new (o: object) => { redact(s: string): string } };
  const builtInRedactors = Object.fromEntries(Object.entries(TYPES).map(([k, t]) => [k, { replaceWith: MARK(t) }]));
  const r = new SyncRedactor({ builtInRedactors });
  return (text) => align(text, r.redact(text));
}

function align(original: string, redacted: string): Span[] {
  const parts = redacted.split(/\u0001([A-Z_]+)\u0002/);
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
