import { defineErrors } from '../errors.js';

/** Stable error codes of the identity capability. */
export const identityError = defineErrors({
  INVALID_CREDENTIALS: 401,
  LOGIN_THROTTLED: 429,
  PASSWORD_POLICY: 422,
  PASSWORD_INCORRECT: 403,
  EMAIL_INVALID: 400,
  EMAIL_TAKEN: 409,
  ROLE_INVALID: 400,
  USER_NOT_FOUND: 404,
  LAST_ADMIN: 409,
  MFA_TOKEN_INVALID: 401,
  MFA_CODE_INVALID: 401,
  REFRESH_TOKEN_INVALID: 401,
  REFRESH_TOKEN_REUSED: 401,
  CSRF_FAILED: 403,
  SESSION_NOT_FOUND: 404,
  API_KEY_NOT_FOUND: 404,
  API_KEY_ROLES: 403,
  SETUP_CLOSED: 409,
  SETUP_TOKEN_INVALID: 401,
});

export type IdentityErrorCode = Parameters<typeof identityError>[0];
