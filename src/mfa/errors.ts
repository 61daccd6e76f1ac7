import { defineErrors } from '../errors.js';

/** Stable error codes of the MFA capability. */
export const mfaError = defineErrors({
  MFA_ALREADY_ENROLLED: 409,
  MFA_NOT_ENROLLED: 409,
  MFA_ENROLLMENT_NOT_STARTED: 409,
  MFA_CODE_INVALID: 400,
  MFA_CODE_REUSED: 400,
});
