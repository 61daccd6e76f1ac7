import { describe, expect, it } from 'vitest';
import { BUILTIN_RULES } from './builtin.js';
import { parseRuleFile, validateRule } from './rule-schema.js';

describe('rule files', () => {
  it('every built-in rule validates as data', () => {
    for (const r of BUILTIN_RULES) expect(validateRule(JSON.parse(JSON.stringify(r)))).toMatchObject({ id: r.id, kind: r.kind });
  });

  it('parses YAML with a list of rules', () => {
    const rules = parseRuleFile(`
rules:
  - id: sudo_failures
    kind: event_count
    severity: medium
    window: 300
    group_by: [user]
    match: { type: auth.login.failure, source: sshd }
    condition: { gte: 10 }
  - id: many_hosts
    kind: value_count
    severity: low
    window: 600
    field: unmapped.host
    match: { type: auth.login.success }
    condition: { gt: 2 }
`);
    expect(rules.map((r) => r.id)).toEqual(['sudo_failures', 'many_hosts']);
    expect(rules[0]).toMatchObject({ enabled: true, group_mode: 'all', title: 'sudo_failures' });
  });

  it('rejects bad rules with a stable code and the rule id', () => {
    const bad = [
      { id: 'x1', kind: 'event_count', severity: 'high', window: 60, match: { type: 'a' } },
      { id: 'x2', kind: 'nope', severity: 'high', window: 60 },
      { id: 'x3', kind: 'event_count', severity: 'urgent', window: 60, match: { type: 'a' }, condition: { gte: 1 } },
      { id: 'x4', kind: 'event_count', severity: 'high', window: 0, match: { type: 'a' }, condition: { gte: 1 } },
      { id: 'x5', kind: 'value_count', severity: 'high', window: 60, match: { type: 'a' }, condition: { gt: 1 } },
      { id: 'x6', kind: 'sequence', severity: 'high', window: 60, steps: [{ match: { type: 'a' } }] },
      { id: 'x7', kind: 'event_count', severity: 'high', window: 60, match: { type: { regex: '.*' } }, condition: { gte: 1 } },
    ];
    for (const b of bad) {
      expect(() => validateRule(b)).toThrowError(expect.objectContaining({ code: 'DETECT_RULE_INVALID', fields: { rule: b.id } }));
    }
    expect(() => parseRuleFile('a: [')).toThrowError(expect.objectContaining({ code: 'DETECT_RULE_INVALID' }));
  });
});
