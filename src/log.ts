import pino, { type Logger } from 'pino';
import { redact, redactString } from './audit/redact.js';

export type { Logger };

/**
 * The structured JSON logger. Everything logged passes the redactor: secret-named fields are
 * replaced and secret-looking strings (JWTs, API keys, private keys, bearer values) masked.
 */
/**
 * An error as a log field: its type, code, message and stack frames. Pino runs formatters.log before the
 * serializers, so an Error reached the redactor first and came out as {} ("[object Object]" in every
 * "unhandled error" line). A SyntaxError's message is left out: JSON.parse quotes the input it failed on,
 * which may be a request body full of personal data; its frames still say where it came from.
 */
function errorField(e: Error & { code?: unknown }): Record<string, unknown> {
  const quotesInput = e instanceof SyntaxError;
  const frames = typeof e.stack === 'string' ? e.stack.split('\n').filter((l) => /^\s+at /.test(l)).slice(0, 12).map((l) => l.trim()) : [];
  return {
    type: e.name,
    ...(e.code !== undefined ? { error_code: String(e.code) } : {}), // 'code' is a secret's name to the redactor (TOTP codes)
    message: quotesInput ? '[omitted: it may quote the input]' : redactString(String(e.message)),
    ...(frames.length ? { stack: frames } : {}),
  };
}

/** Error values among the fields of a log call become errorField objects (one level: { err }, { error }). */
function withErrors(obj: Record<string, unknown>): Record<string, unknown> {
  let out: Record<string, unknown> | null = null;
  for (const [k, v] of Object.entries(obj)) {
    if (v instanceof Error) (out ??= { ...obj })[k] = errorField(v);
  }
  return out ?? obj;
}

export function createLogger(opts: { level?: string; destination?: pino.DestinationStream } = {}): Logger {
  return pino({
    level: opts.level ?? 'info',
    base: { service: 'warden' },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: {
      log: (obj) => redact(withErrors(obj)) as Record<string, unknown>,
    },
    hooks: {
      logMethod(args, method) {
        const a = args.map((x) => (typeof x === 'string' ? redactString(x) : x));
        return method.apply(this, a as Parameters<typeof method>);
      },
    },
    serializers: {
      err: (e: unknown) => (e instanceof Error ? errorField(e) : e),
    },
  }, opts.destination);
}
