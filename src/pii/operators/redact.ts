import type { Operator } from './types.js';

/** redact: the value disappears entirely. */
export const redactOperator: Operator = () => '';
