import type { Sample, Span } from './generate.js';

/** Span-level scoring: a prediction matches a gold span of the same type when IoU ≥ 0.75. */
export const IOU = 0.75;

export interface Counts {
  tp: number;
  fp: number;
  fn: number;
}

export interface Scores {
  precision: number;
  recall: number;
  f2: number;
  support: number;
}

const iou = (a: Span, b: Span) => {
  const inter = Math.max(0, Math.min(a.end, b.end) - Math.max(a.start, b.start));
  return inter / (Math.max(a.end, b.end) - Math.min(a.start, b.start));
};

/** Accumulates per-type counts for one sample. */
export function score(gold: Span[], predicted: Span[], counts: Map<string, Counts>, only?: Set<string>): void {
  const get = (t: string) => counts.get(t) ?? (counts.set(t, { tp: 0, fp: 0, fn: 0 }), counts.get(t)!);
  const used = new Set<number>();
  for (const p of predicted) {
    if (only && !only.has(p.type)) continue;
    const i = gold.findIndex((g, k) => !used.has(k) && g.type === p.type && iou(g, p) >= IOU);
    if (i >= 0) {
      used.add(i);
      get(p.type).tp++;
    } else get(p.type).fp++;
  }
  gold.forEach((g, k) => {
    if (!used.has(k) && (!only || only.has(g.type))) get(g.type).fn++;
  });
}

export function toScores(c: Counts): Scores {
  const precision = c.tp + c.fp === 0 ? 0 : c.tp / (c.tp + c.fp);
  const recall = c.tp + c.fn === 0 ? 0 : c.tp / (c.tp + c.fn);
  const f2 = precision + recall === 0 ? 0 : (5 * precision * recall) / (4 * precision + recall);
  const r = (x: number) => Math.round(x * 1000) / 1000;
  return { precision: r(precision), recall: r(recall), f2: r(f2), support: c.tp + c.fn };
}

export function evaluate(corpus: Sample[], predict: (text: string) => Span[], only?: Set<string>): Record<string, Scores> {
  const counts = new Map<string, Counts>();
  for (const s of corpus) score(s.spans, predict(s.text), counts, only);
  return Object.fromEntries([...counts.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([t, c]) => [t, toScores(c)]));
}
