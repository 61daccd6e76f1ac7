import { defineErrors } from '../errors.js';

export const auditError = defineErrors({
  AUDIT_CHAIN_BROKEN: 409,
  AUDIT_BAD_CURSOR: 400,
  AUDIT_BAD_FILTER: 400,
  AUDIT_PRUNE_NO_CHECKPOINT: 409,
});
