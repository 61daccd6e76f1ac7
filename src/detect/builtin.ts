import type { Rule } from './types.js';

// Logins count whether Warden saw them or they came from outside (sshd, an IdP): outside events are
// typed `ext.auth.…` and keyed apart from Warden's own by their source, so they cannot mask Warden's.
const FAIL = { type: ['auth.login.failure', 'ext.auth.login.failure'] };
const OK = { type: ['auth.login.success', 'ext.auth.login.success'] };

/** Warden's built-in rules, on by default. Severities follow the security guide where it gives them. */
const RULES: Rule[] = [
  {
    id: 'brute_force_user', title: 'Brute force against one user', kind: 'event_count', severity: 'high',
    description: '≥ 5 failed logins for one user within 60 s.',
    match: FAIL, group_by: ['user'], window: 60, condition: { gte: 5 }, enabled: true, builtin: true,
  },
  {
    id: 'brute_force_ip', title: 'Brute force from one source IP', kind: 'event_count', severity: 'high',
    description: '≥ 5 failed logins from one source IP within 60 s.',
    match: FAIL, group_by: ['src_ip'], window: 60, condition: { gte: 5 }, enabled: true, builtin: true,
  },
  {
    id: 'unusual_access', title: 'Unusual access: many source IPs for one user', kind: 'value_count', severity: 'medium',
    description: '> 3 distinct source IPs with successful logins for one user within 1 h.',
    match: OK, field: 'src_ip', group_by: ['user'], window: 3600, condition: { gt: 3 }, enabled: true, builtin: true,
  },
  {
    id: 'data_export_burst', title: 'Data export burst', kind: 'event_count', severity: 'medium',
    description: '> 10 data exports by one user within 1 h.',
    match: { type: 'data.export' }, group_by: ['user'], window: 3600, condition: { gt: 10 }, enabled: true, builtin: true,
  },
  {
    id: 'api_error_burst', title: 'API error burst', kind: 'event_count', severity: 'medium',
    description: '> 100 API errors within 60 s.',
    match: { type: 'api.error' }, group_by: [], window: 60, condition: { gt: 100 }, enabled: true, builtin: true,
  },
  {
    id: 'password_spraying', title: 'Password spraying', kind: 'value_count', severity: 'high',
    description: '≥ 5 distinct users failing to log in from one source IP within 10 min.',
    match: FAIL, field: 'user', group_by: ['src_ip'], window: 600, condition: { gte: 5 }, enabled: true, builtin: true,
  },
  {
    id: 'brute_force_success', title: 'Brute force followed by a successful login', kind: 'sequence', severity: 'critical',
    description: 'A brute force (≥ 5 failures within 60 s) then a success for that user or source IP within 10 min: likely account takeover.',
    steps: [{ match: FAIL, condition: { gte: 5 }, within: 60 }, { match: OK }],
    group_by: ['user', 'src_ip'], group_mode: 'each', window: 600, enabled: true, builtin: true,
  },
  {
    id: 'refresh_token_reuse', title: 'Refresh token reuse', kind: 'event_count', severity: 'high',
    description: 'A rotated refresh token was presented again: the token family was likely stolen.',
    match: { type: 'token.refresh_reuse' }, group_by: ['user'], window: 600, condition: { gte: 1 }, enabled: true, builtin: true,
  },
  {
    id: 'privilege_escalation', title: 'Privilege escalation attempts', kind: 'event_count', severity: 'high',
    description: '≥ 3 denials of admin permissions to one user within 10 min.',
    match: { type: 'access.denied', 'unmapped.permission': { startsWith: 'admin:' } },
    group_by: ['user'], window: 600, condition: { gte: 3 }, enabled: true, builtin: true,
  },
  {
    id: 'audit_chain_broken', title: 'Audit chain broken', kind: 'event_count', severity: 'critical',
    description: 'Audit log verification found a broken hash chain.',
    match: { type: 'audit.chain_broken' }, group_by: [], window: 3600, condition: { gte: 1 }, enabled: true, builtin: true,
  },
];

export const BUILTIN_RULES: readonly Rule[] = Object.freeze(RULES);

export const BUILTIN_RULE_IDS = BUILTIN_RULES.map((r) => r.id);
