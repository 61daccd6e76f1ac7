import pino, { type Logger } from 'pino';
import { redact, redactString } from './audit/redact.js';

export type { Logger };

/**
 * The structured JSON logger. Everything logged passes the redactor: secret-named fields are
 * replaced and secret-looking strings (JWTs, API keys, private keys, bearer values) masked.
 */
export function createLogger(opts: { level?: string; destination?: pino.DestinationStream } = {}): Logger {
  return pino({
    level: opts.level ?? 'info',
    base: { service: 'warden' },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: {
      log: (obj) => redact(obj) as Record<string, unknown>,
    },
    hooks: {
      logMethod(args, method) {
        const a = args.map((x) => (typeof x === 'string' ? redactString(x) : x));
        return method.apply(this, a as Parameters<typeof method>);
      },
    },
    serializers: {
      err: (e: Error & { code?: string }) => ({ type: e?.name, code: e?.code, message: redactString(String(e?.message ?? e)) }),
    },
  }, opts.destination);
}
