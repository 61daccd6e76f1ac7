import type { OperatorContext } from './operators/types.js';
import type { OperatorPlan } from './operators/registry.js';
import type { Finding } from './types.js';

/** One replaced span, with offsets into the anonymized output. Never carries the original value. */
export interface AnonymizedItem {
  type: string;
  start: number;
  end: number;
  operator: string;
}

export interface AnonymizedText {
  text: string;
  items: AnonymizedItem[];
}

/** Applies the operator planned for each finding's type; findings must not overlap. */
export async function applyOperators(text: string, findings: readonly Finding[], plan: OperatorPlan, ctx: OperatorContext): Promise<AnonymizedText> {
  const sorted = [...findings].sort((a, b) => a.start - b.start);
  const parts: string[] = [];
  const items: AnonymizedItem[] = [];
  let pos = 0;
  let outLen = 0;
  for (const f of sorted) {
    if (f.start < pos) continue;
    const head = text.slice(pos, f.start);
    parts.push(head);
    outLen += head.length;
    const { spec, run } = plan.forType(f.type);
    const replacement = await run(text.slice(f.start, f.end), f, spec, ctx);
    parts.push(replacement);
    items.push({ type: f.type, start: outLen, end: outLen + replacement.length, operator: spec.type });
    outLen += replacement.length;
    pos = f.end;
  }
  parts.push(text.slice(pos));
  return { text: parts.join(''), items };
}
