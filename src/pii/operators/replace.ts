import type { Operator } from './types.js';

/** replace: `<EMAIL_ADDRESS>` (or a configured fixed value). Not reversible. */
export const replaceOperator: Operator = (_value, finding, spec) =>
  spec.type === 'replace' && spec.value !== undefined ? spec.value : `<${finding.type}>`;
