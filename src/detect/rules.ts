import type { Clock } from '../clock.js';
import type { Db, Queryable } from '../db/types.js';
import { BUILTIN_RULES } from './builtin.js';
import { detectError } from './errors.js';
import type { Actor, AuditPort } from './ports.js';
import { validateRule } from './rule-schema.js';
import * as store from './store.js';
import type { Rule } from './types.js';

/** Built-ins (possibly overridden by a stored row of the same id) followed by custom rules. */
export function mergeRules(rows: Rule[]): Rule[] {
  const byId = new Map(rows.map((r) => [r.id, r]));
  const builtins = BUILTIN_RULES.map((b) => (byId.has(b.id) ? { ...byId.get(b.id)!, builtin: true } : b));
  const custom = rows.filter((r) => !BUILTIN_RULES.some((b) => b.id === r.id)).map((r) => ({ ...r, builtin: false }));
  return [...builtins, ...custom];
}

export function createRuleService(deps: { db: Db; audit: AuditPort; clock: Clock }) {
  const { db, audit, clock } = deps;

  async function effective(q: Queryable = db): Promise<Rule[]> {
    return mergeRules(await store.listRuleRows(q));
  }

  async function get(id: string): Promise<Rule> {
    const r = (await effective()).find((x) => x.id === id);
    if (!r) throw detectError('DETECT_RULE_NOT_FOUND', `no rule ${id}`, { rule: id });
    return r;
  }

  /** Creates (create=true: refuses an existing id) or replaces a rule; a built-in id stores an override. */
  async function put(input: unknown, actor: Actor, opts: { create?: boolean; id?: string } = {}): Promise<Rule> {
    const rule = validateRule(opts.id ? { ...(input as object), id: opts.id } : input);
    const builtin = BUILTIN_RULES.some((b) => b.id === rule.id);
    return db.tx(async (tx) => {
      if (opts.create && (await effective(tx)).some((r) => r.id === rule.id)) {
        throw detectError('DETECT_RULE_EXISTS', `rule ${rule.id} exists`, { rule: rule.id });
      }
      const { builtin: _b, ...definition } = rule;
      await store.upsertRule(tx, definition as Rule, builtin, actor.id ?? actor.type, clock());
      await store.deleteRuleState(tx, rule.id);
      await audit.append(tx, { actor, action: opts.create ? 'detect.rule.create' : 'detect.rule.update', target: { type: 'detect_rule', id: rule.id },
        outcome: 'success', details: { kind: rule.kind, severity: rule.severity, enabled: rule.enabled, builtin } });
      return { ...rule, builtin };
    });
  }

  /** Deletes a custom rule; for a built-in, drops its override (back to the default). */
  async function remove(id: string, actor: Actor): Promise<{ deleted: boolean; reset: boolean }> {
    const builtin = BUILTIN_RULES.some((b) => b.id === id);
    return db.tx(async (tx) => {
      const gone = await store.deleteRule(tx, id);
      if (!gone && !builtin) throw detectError('DETECT_RULE_NOT_FOUND', `no rule ${id}`, { rule: id });
      await store.deleteRuleState(tx, id);
      await audit.append(tx, { actor, action: builtin ? 'detect.rule.reset' : 'detect.rule.delete', target: { type: 'detect_rule', id },
        outcome: 'success', details: {} });
      return { deleted: !builtin, reset: builtin };
    });
  }

  return { effective, get, put, remove };
}

export type RuleService = ReturnType<typeof createRuleService>;
