import type { SecurityEvent, SeverityName } from '../events/types.js';

export type { SecurityEvent, SeverityName };

/** An event as the engine sees it: stored events carry their outbox id. */
export type DetectEvent = SecurityEvent & { id: string };

/** One field condition: a value, any of several values, or an operator. */
export type FieldCondition =
  | string | number | boolean
  | Array<string | number | boolean>
  | { startsWith?: string; exists?: boolean; not?: string | string[] };

/** Every listed field must hold (AND). Field paths: `type`, `status`, `user`, `src_ip`, `unmapped.x` … */
export type Match = Record<string, FieldCondition>;

/** Sigma-style correlation condition: `gte` (≥ N) or `gt` (> N). */
export interface Threshold { gte?: number; gt?: number }

interface RuleBase {
  id: string;
  title: string;
  description?: string;
  severity: SeverityName;
  enabled: boolean;
  /** Window in seconds, on event time. */
  window: number;
  /** Group-by fields; with `group_mode: 'each'` every field is an independent key. */
  group_by: string[];
  group_mode?: 'all' | 'each';
  builtin?: boolean;
}

export interface EventCountRule extends RuleBase {
  kind: 'event_count';
  match: Match;
  condition: Threshold;
}

export interface ValueCountRule extends RuleBase {
  kind: 'value_count';
  match: Match;
  /** The field whose distinct values are counted. */
  field: string;
  condition: Threshold;
}

export interface SequenceStep {
  match: Match;
  /** How many step events are needed (default 1) within `within` seconds (default: rule window). */
  condition?: Threshold;
  within?: number;
}

export interface SequenceRule extends RuleBase {
  kind: 'sequence';
  /** A then B: B must follow the moment A held, within the rule window. */
  steps: [SequenceStep, SequenceStep];
}

export type Rule = EventCountRule | ValueCountRule | SequenceRule;
export type RuleKind = Rule['kind'];

export type AlertStatus = 'open' | 'acknowledged' | 'resolved';

export interface Alert {
  id: string;
  rule: string;
  title: string;
  key: Record<string, string | null>;
  severity: SeverityName;
  severity_id: number;
  status: AlertStatus;
  count: number;
  first_seen: string;
  last_seen: string;
  evidence: string[];
  created_at?: string;
  acknowledged?: { by: string; at: string; note: string | null } | null;
  resolved?: { by: string; at: string; note: string | null } | null;
}

/** What the engine decided for one alert during one batch. */
export interface AlertChange {
  op: 'open' | 'attach';
  alert: Alert;
  /** For `attach`: events added in this batch (count delta, evidence to append). */
  added: number;
  added_evidence: string[];
  /** The engine's name for the key state (stored with the alert, carried by its resolve event). */
  state_key: string;
}

/** Evidence kept per alert is capped; `count` stays exact. */
export const EVIDENCE_CAP = 1000;
