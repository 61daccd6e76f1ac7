import type { Operator } from './types.js';

/** keep: the value stays (useful to exempt a type while still reporting it). */
export const keepOperator: Operator = (value) => value;
