import { defineErrors } from '../errors.js';

/** access's stable error codes. */
export const accessError = defineErrors({
  /** The decision denied the action; `reason` says why, `permission` what was needed. */
  ACCESS_DENIED: 403,
  /** Granting or revoking permissions the acting principal does not hold itself. */
  ACCESS_ESCALATION: 403,
  ACCESS_ROLE_NOT_FOUND: 404,
  ACCESS_USER_NOT_FOUND: 404,
  ACCESS_ROLE_EXISTS: 409,
  /** Built-in roles (the guide's five) cannot be edited or deleted. */
  ACCESS_ROLE_BUILTIN: 409,
  /** A custom role still held by users cannot be deleted. */
  ACCESS_ROLE_IN_USE: 409,
  ACCESS_ROLE_INVALID: 400,
  ACCESS_PERMISSION_UNKNOWN: 400,
  ACCESS_POLICY_FILE_INVALID: 400,
  /** No user directory is wired (identity not configured). */
  ACCESS_USERS_UNAVAILABLE: 503,
});
