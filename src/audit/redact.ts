/**
 * The redactor: applied to audit details, log lines and error fields before they are stored
 * or written. Field names that carry secrets lose their values; strings that look like
 * secrets (JWTs, Warden API keys, refresh tokens, private-key blocks) are masked wherever they are.
 */
const SECRET_KEY = /pass(word|phrase)?|secret|token|api[-_]?key|authorization|cookie|otp|totp|seed|private|credential|mfa[-_]?code|backup[-_]?code|^code$|plaintext|master[-_]?key/i;

const SECRET_VALUE: RegExp[] = [
  /eyJ[\w-]{8,}\.eyJ[\w-]{8,}\.[\w-]{8,}/g, // JWT
  /\bwdn_[A-Za-z0-9_-]{16,}/g, // Warden API keys
  /\bwrt_[A-Za-z0-9_-]{16,}/g, // Warden refresh tokens
  /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g,
  /\bBearer\s+[A-Za-z0-9._~+/-]+=*/gi,
];

export const REDACTED = '[REDACTED]';

export function redactString(s: string): string {
  let out = s;
  for (const re of SECRET_VALUE) out = out.replace(re, REDACTED);
  return out;
}

export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key);
}

/** Deep copy of value with secrets removed. Depth-limited so hostile input can't blow the stack. */
export function redact(value: unknown, depth = 0): unknown {
  if (depth > 16) return '[TRUNCATED]';
  if (typeof value === 'string') return redactString(value);
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  if (value && typeof value === 'object') {
    if (value instanceof Date) return value.toISOString();
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      out[k] = isSecretKey(k) && v !== null && v !== undefined && typeof v !== 'boolean' && typeof v !== 'number' ? REDACTED : redact(v, depth + 1);
    }
    return out;
  }
  return value;
}
