import { compileMatch, fieldGetter, minCount, type FieldGetter } from '../fields.js';
import type { Rule, SecurityEvent } from '../types.js';
import { evaluateEventCount, type Trigger } from './event-count.js';
import { evaluateSequence } from './sequence.js';
import { evaluateValueCount } from './value-count.js';

/**
 * A rule made ready to run: compiled matchers, key extraction and evaluation.
 * Keys live in `parts` maps: one map per group-by field with `group_mode: 'each'`, else one. Inside a part
 * the key is the raw field value (one field) or the values joined by U+001F, so the hot path builds no
 * strings for single-field rules. Key states themselves are held per event source by the engine.
 */
export interface RuleRuntime {
  rule: Rule;
  /** Position among the engine's rules; a domain's maps for this rule start at `base`. */
  base: number;
  parts: number;
  windowMs: number;
  /** How long (ms) past a key's latest event its buffer still matters. */
  keepMs: number;
  /** How many buffered events a key keeps inline (more spill to a plain object). */
  cap: number;
  /** −1 when the event does not match, else the step index (0 for count rules, 0/1 for sequence). */
  step(ev: SecurityEvent): number;
  /** The counted value (value_count), undefined when the event lacks it. */
  value: FieldGetter | null;
  /** The event's key in part `p`, or undefined when a group-by field is missing. */
  key(ev: SecurityEvent, p: number): string | undefined;
  /** Part/key → key object (without the source). */
  keyObject(p: number, key: string): Record<string, string>;
  /** Which fields make part `p`'s key: rules whose parts share it share one key lookup per event. */
  keySig(p: number): string;
  /**
   * Whether the condition holds after inserting the event at index k of a buffer: times `t[tb …]`, and `x[xb …]`
   * the counted values (value_count) or steps (sequence), n entries each.
   */
  evaluate(t: ArrayLike<number>, tb: number, x: ArrayLike<unknown> | null, xb: number, n: number, k: number): Trigger | null;
}

const SEP_FIELD = '\u001f';

function keyFns(rule: Rule): Pick<RuleRuntime, 'parts' | 'key' | 'keyObject' | 'keySig'> {
  const fields = rule.group_by;
  const getters: FieldGetter[] = fields.map(fieldGetter);
  if (fields.length === 0) return { parts: 1, key: () => '', keyObject: () => ({}), keySig: () => '' };
  if (rule.group_mode === 'each' || fields.length === 1) {
    return { parts: fields.length, key: (ev, p) => getters[p](ev), keyObject: (p, key) => ({ [fields[p]]: key }), keySig: (p) => fields[p] };
  }
  return {
    parts: 1,
    keySig: () => fields.join(SEP_FIELD),
    key(ev) {
      let key = getters[0](ev);
      if (key === undefined) return undefined;
      for (let x = 1; x < getters.length; x++) {
        const v = getters[x](ev);
        if (v === undefined) return undefined;
        key += SEP_FIELD + v;
      }
      return key;
    },
    keyObject(_p, key) {
      const vals = key.split(SEP_FIELD);
      return Object.fromEntries(fields.map((f, x) => [f, vals[x] ?? '']));
    },
  };
}

export function compileRule(rule: Rule, latenessMs: number, base: number): RuleRuntime {
  const windowMs = rule.window * 1000;
  const common = { rule, base, windowMs, ...keyFns(rule) };
  if (rule.kind === 'event_count') {
    const m = compileMatch(rule.match);
    const min = minCount(rule.condition);
    return {
      ...common, keepMs: windowMs + latenessMs, value: null, cap: Math.min(8, Math.max(4, min + 2)),
      step: (ev) => (m(ev) ? 0 : -1),
      evaluate: (t, tb, _x, _xb, n, k) => evaluateEventCount(t, tb, n, k, min, windowMs),
    };
  }
  if (rule.kind === 'value_count') {
    const m = compileMatch(rule.match);
    const min = minCount(rule.condition);
    return {
      ...common, keepMs: windowMs + latenessMs, value: fieldGetter(rule.field), cap: Math.min(8, Math.max(4, min + 2)),
      step: (ev) => (m(ev) ? 0 : -1),
      evaluate: (t, tb, x, xb, n, k) => evaluateValueCount(t, tb, x as ArrayLike<string | undefined>, xb, n, k, min, windowMs),
    };
  }
  const [a, b] = rule.steps;
  const ma = compileMatch(a.match);
  const mb = compileMatch(b.match);
  const minA = minCount(a.condition ?? { gte: 1 });
  const withinA = (a.within ?? rule.window) * 1000;
  return {
    ...common, keepMs: windowMs + withinA + latenessMs, value: null, cap: 16,
    step: (ev) => (ma(ev) ? 0 : mb(ev) ? 1 : -1),
    evaluate: (t, tb, x, xb, n) => evaluateSequence(t, tb, x as ArrayLike<number>, xb, n, minA, withinA, windowMs),
  };
}

/** The event types a rule can match, or null when its match does not pin the type. */
export function matchTypes(rule: Rule): Set<string> | null {
  const matches = rule.kind === 'sequence' ? rule.steps.map((x) => x.match) : [rule.match];
  const out = new Set<string>();
  for (const m of matches) {
    const c = m.type;
    if (typeof c === 'string') out.add(c);
    else if (Array.isArray(c)) for (const x of c) out.add(String(x));
    else return null;
  }
  return out;
}

/**
 * When a rule's match tests nothing but the event type, the step an event of that type takes (−1: none), so the
 * engine can decide it once per type; null when the match tests other fields.
 */
export function typeStep(rule: Rule, type: string): number | null {
  const matches = rule.kind === 'sequence' ? rule.steps.map((x) => x.match) : [rule.match];
  for (let x = 0; x < matches.length; x++) {
    const keys = Object.keys(matches[x]);
    if (keys.length !== 1 || keys[0] !== 'type') return null;
  }
  const sets = matches.map((m) => { const c = m.type; return new Set(Array.isArray(c) ? c.map(String) : typeof c === 'string' ? [c] : []); });
  if (matches.some((m) => typeof m.type !== 'string' && !Array.isArray(m.type))) return null;
  for (let x = 0; x < sets.length; x++) if (sets[x].has(type)) return x;
  return -1;
}
