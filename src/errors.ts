/**
 * The one error base of Warden. Every capability defines its own stable codes
 * (see its errors.ts) and throws WardenError; the HTTP edge maps it to RFC 9457
 * problem details and the CLI to a message and a non-zero exit.
 */
export class WardenError extends Error {
  readonly code: string;
  readonly status: number;
  readonly fields: Record<string, unknown>;

  constructor(code: string, message: string, status = 400, fields: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'WardenError';
    this.code = code;
    this.status = status;
    this.fields = fields;
  }
}

/** Shorthand for a capability's catalogue: `const err = errorFactory({ NOT_FOUND: 404 })`. */
export function defineErrors<T extends Record<string, number>>(catalogue: T) {
  return function make(code: keyof T & string, message: string, fields: Record<string, unknown> = {}, cause?: unknown): WardenError {
    return new WardenError(code, message, catalogue[code], fields, cause === undefined ? undefined : { cause });
  };
}

export function isWardenError(e: unknown): e is WardenError {
  return e instanceof WardenError;
}
