import { piiError } from './errors.js';
import { LIMITS } from './input.js';

/**
 * Walks every string of a JSON value (object keys are kept as they are), giving
 * the nearest field name as context. Depth is bounded; the input is not mutated.
 */
export type StringVisitor = (value: string, path: string, field: string | undefined) => string | Promise<string>;

const pointerEscape = (k: string) => k.replace(/~/g, '~0').replace(/\//g, '~1');

export async function mapJsonStrings(value: unknown, visit: StringVisitor, maxDepth: number = LIMITS.maxJsonDepth): Promise<unknown> {
  const walk = async (v: unknown, path: string, field: string | undefined, depth: number): Promise<unknown> => {
    if (depth > maxDepth) throw piiError('PII_JSON_TOO_DEEP', `JSON nested deeper than ${maxDepth} levels`, { limit: maxDepth });
    if (typeof v === 'string') return visit(v, path, field);
    if (v === null || typeof v !== 'object') {
      if (typeof v === 'number' || typeof v === 'boolean' || v === null) return v;
      throw piiError('PII_INVALID_INPUT', 'value is not JSON');
    }
    if (Array.isArray(v)) {
      const out: unknown[] = [];
      for (let i = 0; i < v.length; i++) out.push(await walk(v[i], `${path}/${i}`, field, depth + 1));
      return out;
    }
    const out: Record<string, unknown> = {};
    for (const [k, child] of Object.entries(v)) {
      // defined, not assigned: a field named __proto__ (an own field after JSON.parse) would set the prototype and vanish
      Object.defineProperty(out, k, { value: await walk(child, `${path}/${pointerEscape(k)}`, k, depth + 1), enumerable: true, writable: true, configurable: true });
    }
    return out;
  };
  return walk(value, '', undefined, 0);
}

/** Synchronous visit of every string (for scanning). */
export function forEachJsonString(value: unknown, visit: (value: string, path: string, field: string | undefined) => void, maxDepth: number = LIMITS.maxJsonDepth): void {
  const walk = (v: unknown, path: string, field: string | undefined, depth: number): void => {
    if (depth > maxDepth) throw piiError('PII_JSON_TOO_DEEP', `JSON nested deeper than ${maxDepth} levels`, { limit: maxDepth });
    if (typeof v === 'string') visit(v, path, field);
    else if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${path}/${i}`, field, depth + 1));
    else if (v !== null && typeof v === 'object') {
      for (const [k, child] of Object.entries(v)) walk(child, `${path}/${pointerEscape(k)}`, k, depth + 1);
    }
  };
  walk(value, '', undefined, 0);
}
