import type { Operator } from './types.js';

/**
 * pseudonymize: the same value gets the same placeholder (`<PERSON_1>`, `<PERSON_2>` …)
 * for as long as the table lives: one document, one stream, or a session kept
 * with a restore token.
 */
export interface PseudonymTable {
  placeholderFor(type: string, value: string): string;
  /** placeholder → original value, for restore. */
  entries(): Array<[placeholder: string, value: string]>;
  readonly size: number;
}

export function createPseudonymTable(initial: Array<[string, string]> = []): PseudonymTable {
  const byKey = new Map<string, string>();
  const byPlaceholder = new Map<string, string>();
  const counters = new Map<string, number>();
  const add = (placeholder: string, value: string) => {
    const m = /^<([A-Z][A-Z0-9_]*)_(\d+)>$/.exec(placeholder);
    if (!m) return;
    byPlaceholder.set(placeholder, value);
    byKey.set(`${m[1]}\u0000${value}`, placeholder);
    counters.set(m[1], Math.max(counters.get(m[1]) ?? 0, Number(m[2])));
  };
  for (const [p, v] of initial) add(p, v);
  return {
    placeholderFor(type, value) {
      const existing = byKey.get(`${type}\u0000${value}`);
      if (existing) return existing;
      const n = (counters.get(type) ?? 0) + 1;
      const placeholder = `<${type}_${n}>`;
      add(placeholder, value);
      return placeholder;
    },
    entries: () => [...byPlaceholder.entries()],
    get size() {
      return byPlaceholder.size;
    },
  };
}

export const pseudonymizeOperator: Operator = (value, finding, _spec, ctx) => ctx.pseudonyms.placeholderFor(finding.type, value);
