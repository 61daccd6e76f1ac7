import { defineErrors } from '../errors.js';

/** Stable error codes of the pii capability. Messages never contain the scanned values. */
export const piiError = defineErrors({
  PII_INVALID_INPUT: 400,
  PII_INVALID_UTF8: 400,
  PII_INPUT_TOO_LARGE: 413,
  PII_LINE_TOO_LONG: 413,
  /**
   * An answer would be too large for its input: a restore past LIMITS.maxTextLength characters (a placeholder
   * repeated over a long value), or findings whose JSON paths pass LIMITS.maxPathsLength together.
   */
  PII_OUTPUT_TOO_LARGE: 413,
  PII_JSON_TOO_DEEP: 400,
  PII_INVALID_JSON: 400,
  PII_UNKNOWN_ENTITY: 400,
  PII_UNKNOWN_OPERATOR: 400,
  PII_INVALID_RECOGNIZER: 400,
  /** The PII settings file (WARDEN_PII_CONFIG / --config) is unreadable or wrong: the service does not start. */
  PII_INVALID_CONFIG: 500,
  PII_NO_STORE: 501,
  PII_TOKEN_NOT_FOUND: 404,
  PII_TOKEN_EXPIRED: 410,
  /** A concurrent call continued the same session and handed out the same placeholder: retry. */
  PII_SESSION_CONFLICT: 409,
  /** A continued restore session's mapping would outgrow its bound (VaultDeps.maxChars): start a new one. */
  PII_SESSION_TOO_LARGE: 413,
  /** A restore session is continued by a caller other than the one that started it. */
  PII_SESSION_NOT_OWNER: 403,
});

export type PiiErrorCode = Parameters<typeof piiError>[0];
