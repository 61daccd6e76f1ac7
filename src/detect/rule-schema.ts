import { parse as parseYaml } from 'yaml';
import { detectError } from './errors.js';
import type { Match, Rule } from './types.js';

const SEVERITIES = ['info', 'low', 'medium', 'high', 'critical'];
const ID = /^[a-z][a-z0-9_.-]{1,63}$/;
const MAX_WINDOW = 7 * 24 * 3600;

function fail(msg: string, id?: unknown): never {
  throw detectError('DETECT_RULE_INVALID', `rule${typeof id === 'string' ? ` ${id}` : ''}: ${msg}`, { rule: typeof id === 'string' ? id : null });
}

function isObj(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function checkMatch(m: unknown, id: unknown, where: string): Match {
  if (!isObj(m) || Object.keys(m).length === 0) fail(`${where} must be a non-empty object of field conditions`, id);
  for (const [k, v] of Object.entries(m)) {
    const scalar = (x: unknown) => ['string', 'number', 'boolean'].includes(typeof x);
    const ok = scalar(v) || (Array.isArray(v) && v.length > 0 && v.every(scalar))
      || (isObj(v) && Object.keys(v).length > 0 && Object.keys(v).every((op) => ['startsWith', 'exists', 'not'].includes(op)));
    if (!ok) fail(`${where}.${k} must be a value, a list of values or {startsWith|exists|not}`, id);
  }
  return m as Match;
}

function checkThreshold(c: unknown, id: unknown, where: string) {
  if (!isObj(c)) fail(`${where} must be {gte: N} or {gt: N}`, id);
  const keys = Object.keys(c);
  if (keys.length !== 1 || !['gte', 'gt'].includes(keys[0])) fail(`${where} must be {gte: N} or {gt: N}`, id);
  const n = c[keys[0]];
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > 1_000_000) fail(`${where}.${keys[0]} must be a whole number`, id);
  return c as { gte?: number; gt?: number };
}

/** Validates one rule (from the API, YAML or JSON) and returns it normalised. */
export function validateRule(input: unknown): Rule {
  if (!isObj(input)) fail('must be an object');
  const r = input;
  const id = r.id;
  if (typeof id !== 'string' || !ID.test(id)) fail('id must match ^[a-z][a-z0-9_.-]{1,63}$', id);
  if (!['event_count', 'value_count', 'sequence'].includes(r.kind as string)) fail('kind must be event_count, value_count or sequence', id);
  if (typeof r.severity !== 'string' || !SEVERITIES.includes(r.severity)) fail(`severity must be one of ${SEVERITIES.join(', ')}`, id);
  const window = r.window;
  if (typeof window !== 'number' || !Number.isInteger(window) || window < 1 || window > MAX_WINDOW) fail(`window must be 1..${MAX_WINDOW} seconds`, id);
  const groupBy = r.group_by ?? [];
  if (!Array.isArray(groupBy) || groupBy.length > 4 || !groupBy.every((g) => typeof g === 'string' && g.length > 0)) fail('group_by must be a list of up to 4 field paths', id);
  const groupMode = r.group_mode ?? 'all';
  if (groupMode !== 'all' && groupMode !== 'each') fail('group_mode must be all or each', id);
  const base = {
    id, title: typeof r.title === 'string' && r.title ? r.title : id,
    ...(typeof r.description === 'string' ? { description: r.description } : {}),
    severity: r.severity as Rule['severity'], enabled: r.enabled === undefined ? true : r.enabled === true,
    window, group_by: groupBy as string[], group_mode: groupMode as 'all' | 'each',
  };
  if (r.kind === 'sequence') {
    const steps = r.steps;
    if (!Array.isArray(steps) || steps.length !== 2) fail('steps must list exactly two steps (A then B)', id);
    const out = steps.map((s, x) => {
      if (!isObj(s)) fail(`steps[${x}] must be an object`, id);
      const within = s.within;
      if (within !== undefined && (typeof within !== 'number' || !Number.isInteger(within) || within < 1 || within > MAX_WINDOW)) fail(`steps[${x}].within must be 1..${MAX_WINDOW} seconds`, id);
      return {
        match: checkMatch(s.match, id, `steps[${x}].match`),
        ...(s.condition !== undefined ? { condition: checkThreshold(s.condition, id, `steps[${x}].condition`) } : {}),
        ...(within !== undefined ? { within: within as number } : {}),
      };
    });
    return { ...base, kind: 'sequence', steps: [out[0], out[1]] };
  }
  const match = checkMatch(r.match, id, 'match');
  const condition = checkThreshold(r.condition, id, 'condition');
  if (r.kind === 'value_count') {
    if (typeof r.field !== 'string' || !r.field) fail('field (the counted field) is required for value_count', id);
    return { ...base, kind: 'value_count', match, field: r.field, condition };
  }
  return { ...base, kind: 'event_count', match, condition };
}

/** Parses a YAML or JSON rule file: one rule, a list, or `{rules: [...]}`. */
export function parseRuleFile(text: string): Rule[] {
  let doc: unknown;
  try { doc = parseYaml(text); } catch (e) { fail(`file is not valid YAML/JSON: ${(e as Error).message.split('\n')[0]}`); }
  const list = Array.isArray(doc) ? doc : isObj(doc) && Array.isArray(doc.rules) ? doc.rules : [doc];
  return list.map(validateRule);
}
