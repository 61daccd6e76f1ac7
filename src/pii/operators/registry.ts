import { piiError } from '../errors.js';
import { encryptOperator } from './encrypt.js';
import { hashOperator } from './hash.js';
import { keepOperator } from './keep.js';
import { maskOperator } from './mask.js';
import { pseudonymizeOperator } from './pseudonymize.js';
import { redactOperator } from './redact.js';
import { replaceOperator } from './replace.js';
import type { Operator, OperatorName, OperatorSpec } from './types.js';

const OPERATORS: Record<OperatorName, Operator> = {
  replace: replaceOperator,
  redact: redactOperator,
  mask: maskOperator,
  hash: hashOperator,
  encrypt: encryptOperator,
  pseudonymize: pseudonymizeOperator,
  keep: keepOperator,
};

export const OPERATOR_NAMES = Object.keys(OPERATORS) as OperatorName[];

/** One code point that shows as one character: no line break or other control, space, or combining mark. */
const MASK_CHAR = /^[^\p{C}\p{Z}\p{M}]$/u;

/** Per entity type, with `DEFAULT` for the rest (default: replace). */
export type OperatorConfig = Partial<Record<string, OperatorSpec | OperatorName>>;

export interface OperatorPlan {
  forType(type: string): { spec: OperatorSpec; run: Operator };
  /** True when a restore mapping must be kept (pseudonymize in use). */
  readonly reversible: boolean;
  /** True when some type is kept as it is (keep in use). */
  readonly keeps: boolean;
}

/** Validates an operator configuration once, up front. */
export function planOperators(config: OperatorConfig = {}): OperatorPlan {
  const specs = new Map<string, OperatorSpec>();
  for (const [type, raw] of Object.entries(config)) {
    if (raw === undefined) continue;
    const spec = typeof raw === 'string' ? ({ type: raw } as OperatorSpec) : raw;
    if (!spec || typeof spec !== 'object' || !Object.prototype.hasOwnProperty.call(OPERATORS, spec.type)) {
      throw piiError('PII_UNKNOWN_OPERATOR', `unknown operator for ${type}`, { entity: type });
    }
    if (spec.type === 'mask' && spec.char !== undefined && !MASK_CHAR.test(spec.char)) {
      throw piiError('PII_UNKNOWN_OPERATOR', 'mask character must be a single visible character');
    }
    // input with lone surrogates is refused; a replacement must not put them into the output either
    if (spec.type === 'replace' && typeof spec.value === 'string' && !(spec.value as string & { isWellFormed(): boolean }).isWellFormed()) {
      throw piiError('PII_UNKNOWN_OPERATOR', 'replace value is not well-formed Unicode (a lone surrogate)');
    }
    specs.set(type, spec);
  }
  const fallback: OperatorSpec = specs.get('DEFAULT') ?? { type: 'replace' };
  return {
    forType(type) {
      const spec = specs.get(type) ?? fallback;
      return { spec, run: OPERATORS[spec.type] };
    },
    reversible: [...specs.values(), fallback].some((s) => s.type === 'pseudonymize'),
    keeps: [...specs.values(), fallback].some((s) => s.type === 'keep'),
  };
}
