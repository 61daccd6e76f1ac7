import type { Operator } from './types.js';

/**
 * pseudonymize: the same value gets the same placeholder (`<PERSON_1>`, `<PERSON_2>` …)
 * for as long as the table lives: one document, one stream, or a session kept
 * with a restore token.
 */
export interface PseudonymTable {
  placeholderFor(type: string, value: string): string;
  /**
   * Keeps the placeholders a text already holds but this table did not hand out (`<PERSON_1>` the
   * client wrote itself) from being handed out: each is kept as standing for itself, so the AI sees two
   * different things as different, and restore leaves the written one as it was. Call it with the whole
   * input before the first placeholderFor of a call.
   */
  reserve(text: string): void;
  /** placeholder → original value, for restore (a reserved placeholder → itself). */
  entries(): Array<[placeholder: string, value: string]>;
  /** The value a placeholder stands for (a reserved one: itself), for restore. */
  lookup(placeholder: string): string | undefined;
  /** How many values have a placeholder (reserved placeholders not counted). */
  readonly size: number;
  /** Characters of all placeholders and values held (what a saved mapping's size follows). */
  readonly chars: number;
}

/**
 * A placeholder as this table writes them: no leading zero, and at most seven digits (a session continued
 * over HTTP is bounded far below ten million values; a written number beyond cannot meet one handed out).
 */
const WRITTEN = /<([A-Z][A-Z0-9_]*)_([1-9]\d{0,6})>/g;

export function createPseudonymTable(initial: Array<[string, string]> = []): PseudonymTable {
  const byKey = new Map<string, string>();
  const byPlaceholder = new Map<string, string>();
  const counters = new Map<string, number>();
  let reserved = 0;
  let chars = 0;
  const add = (placeholder: string, value: string) => {
    const m = /^<([A-Z][A-Z0-9_]*)_(\d+)>$/.exec(placeholder);
    if (!m) return;
    if (byPlaceholder.has(placeholder)) return;
    byPlaceholder.set(placeholder, value);
    if (placeholder === value) reserved++;
    chars += placeholder.length + value.length;
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
    reserve(text) {
      if (!text.includes('<')) return;
      for (const [p] of text.matchAll(WRITTEN)) if (!byPlaceholder.has(p)) add(p, p);
    },
    entries: () => [...byPlaceholder.entries()],
    lookup: (placeholder) => byPlaceholder.get(placeholder),
    get size() {
      return byPlaceholder.size - reserved;
    },
    get chars() {
      return chars;
    },
  };
}

export const pseudonymizeOperator: Operator = (value, finding, _spec, ctx) => ctx.pseudonyms.placeholderFor(finding.type, value);
