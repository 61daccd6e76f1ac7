import { compileMatch, fieldGetter, minCount, type FieldGetter } from '../fields.js';
import type { Rule, SecurityEvent } from '../types.js';
import type { KeyState } from './buffer.js';
import { evaluateEventCount, type Trigger } from './event-count.js';
import { evaluateSequence } from './sequence.js';
import { evaluateValueCount } from './value-count.js';

/** A rule made ready to run: compiled matchers, key extraction, evaluation and its key states. */
export interface RuleRuntime {
  rule: Rule;
  windowMs: number;
  /** How long (ms) past a key's latest event its buffer still matters. */
  keepMs: number;
  /** −1 when the event does not match, else the step index (0 for count rules, 0/1 for sequence). */
  step(ev: SecurityEvent): number;
  /** The counted value (value_count), undefined when the event lacks it. */
  value: FieldGetter | null;
  /** Key strings of the event; empty when a group-by field is missing. */
  keys(ev: SecurityEvent): string[];
  evaluate(st: KeyState, k: number): Trigger | null;
  states: Map<string, KeyState>;
  dirty: Set<string>;
}

const SEP_PAIR = '\u001e';
const SEP_FIELD = '\u001f';

/** Key string → key object: `user␞alice` → { user: 'alice' }. */
export function keyObject(key: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (key === '') return out;
  for (const pair of key.split(SEP_FIELD)) {
    const at = pair.indexOf(SEP_PAIR);
    out[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return out;
}

/** Key object → key string (the inverse of keyObject). */
export function keyString(key: Record<string, string>): string {
  return Object.entries(key).map(([f, v]) => f + SEP_PAIR + v).join(SEP_FIELD);
}

function keyExtractor(rule: Rule): (ev: SecurityEvent) => string[] {
  const fields = rule.group_by;
  const getters: FieldGetter[] = fields.map(fieldGetter);
  if (fields.length === 0) return () => [''];
  if (rule.group_mode === 'each') {
    return (ev) => {
      const out: string[] = [];
      for (let x = 0; x < fields.length; x++) {
        const v = getters[x](ev);
        if (v !== undefined) out.push(fields[x] + SEP_PAIR + v);
      }
      return out;
    };
  }
  return (ev) => {
    let key = '';
    for (let x = 0; x < fields.length; x++) {
      const v = getters[x](ev);
      if (v === undefined) return [];
      key += (x ? SEP_FIELD : '') + fields[x] + SEP_PAIR + v;
    }
    return [key];
  };
}

export function compileRule(rule: Rule, latenessMs: number): RuleRuntime {
  const windowMs = rule.window * 1000;
  const base = { rule, windowMs, keys: keyExtractor(rule), states: new Map<string, KeyState>(), dirty: new Set<string>() };
  if (rule.kind === 'event_count') {
    const m = compileMatch(rule.match);
    const min = minCount(rule.condition);
    return {
      ...base, keepMs: windowMs + latenessMs, value: null,
      step: (ev) => (m(ev) ? 0 : -1),
      evaluate: (st, k) => evaluateEventCount(st, k, min, windowMs),
    };
  }
  if (rule.kind === 'value_count') {
    const m = compileMatch(rule.match);
    const min = minCount(rule.condition);
    return {
      ...base, keepMs: windowMs + latenessMs, value: fieldGetter(rule.field),
      step: (ev) => (m(ev) ? 0 : -1),
      evaluate: (st, k) => evaluateValueCount(st, k, min, windowMs),
    };
  }
  const [a, b] = rule.steps;
  const ma = compileMatch(a.match);
  const mb = compileMatch(b.match);
  const minA = minCount(a.condition ?? { gte: 1 });
  const withinA = (a.within ?? rule.window) * 1000;
  return {
    ...base, keepMs: windowMs + withinA + latenessMs, value: null,
    step: (ev) => (ma(ev) ? 0 : mb(ev) ? 1 : -1),
    evaluate: (st) => evaluateSequence(st, minA, withinA, windowMs),
  };
}
