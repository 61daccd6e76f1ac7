import type { Clock } from '../clock.js';
import type { Db } from '../db/types.js';
import { createAlertService } from './alerts.js';
import { createChannelService, type ChannelInput } from './channels.js';
import { createConsumer } from './consumer.js';
import { runRule } from './engine.js';
import { detectError } from './errors.js';
import { normalizeExternal } from './parsers/external.js';
import type { Actor, AuditPort, EventsPort, LogPort, SecretsPort } from './ports.js';
import { SYSTEM_ACTOR } from './ports.js';
import { validateRule } from './rule-schema.js';
import { createRuleService } from './rules.js';
import * as notify from './store-notify.js';
import { createOutbox } from './outbox.js';
import type { Alert, DetectEvent, SecurityEvent } from './types.js';

export type { Alert, AlertStatus, Rule, RuleKind, SecurityEvent, DetectEvent } from './types.js';
export type { Actor, AuditPort, EventsPort, LogPort, SecretsPort } from './ports.js';
export type { Channel, ChannelInput } from './channels.js';
export type { AlertFilter } from './store.js';
export type { DeliveryRow } from './store-notify.js';
export type { Engine, EngineOptions } from './engine.js';
export { createEngine, runRule } from './engine.js';
export { BUILTIN_RULES, BUILTIN_RULE_IDS } from './builtin.js';
export { parseRuleFile, validateRule } from './rule-schema.js';
export { createSshdParser } from './parsers/sshd.js';
export { normalizeExternal } from './parsers/external.js';
export { signWebhook, verifyWebhook } from './channels/webhook.js';
export { DETECT_ERRORS } from './errors.js';

export const MAX_BATCH = 10_000;

export interface DetectDeps {
  db: Db;
  events: EventsPort;
  audit: AuditPort;
  clock: Clock;
  log?: LogPort;
  secrets?: SecretsPort;
  config?: {
    lateness?: number; batchSize?: number; deliveryIntervalMs?: number;
    /** Engine state snapshot cadence: every N batches or T ms, whichever first (defaults 100 / 10,000). */
    snapshotBatches?: number; snapshotMs?: number;
  };
}

/**
 * The detect capability: Warden's and external security events in, windowed rules, alerts, notifications.
 * The engine subscribes to the event outbox as consumer `detect`; call start() to run the delivery worker too.
 */
export function createDetect(deps: DetectDeps) {
  const { db, clock } = deps;
  const rules = createRuleService({ db, audit: deps.audit, clock });
  const alerts = createAlertService({ db, audit: deps.audit, events: deps.events, clock });
  const channels = createChannelService({ db, audit: deps.audit, clock, secrets: deps.secrets });
  const outbox = createOutbox({ db, clock, channels, log: deps.log });
  const consumer = createConsumer({
    clock, log: deps.log, loadRules: (q) => rules.effective(q), lateness: deps.config?.lateness,
    snapshotBatches: deps.config?.snapshotBatches, snapshotMs: deps.config?.snapshotMs,
  });
  deps.events.subscribe('detect', consumer.handle, { batchSize: deps.config?.batchSize ?? 2000 });

  /**
   * Normalises and stores external events (one transaction); they reach the engine through the outbox.
   * Types in Warden's own namespaces are stored as `ext.<type>` (see parsers/external.ts).
   */
  async function ingest(input: unknown[], source = 'api'): Promise<{ accepted: number }> {
    if (input.length > MAX_BATCH) throw detectError('DETECT_BATCH_TOO_LARGE', `at most ${MAX_BATCH} events per batch`, { max: MAX_BATCH });
    const now = clock();
    const events: SecurityEvent[] = [];
    const errors: Array<{ index: number; error: string }> = [];
    input.forEach((x, index) => {
      const r = normalizeExternal(x, source, now);
      if (r.ok) events.push(r.event); else if (errors.length < 20) errors.push({ index, error: r.error });
    });
    if (errors.length) throw detectError('DETECT_EVENT_INVALID', `${errors.length === 20 ? '20+' : errors.length} invalid event(s); nothing stored`, { errors });
    await ingestEvents(events);
    return { accepted: events.length };
  }

  /** Stores already-shaped events (the sshd parser's) in one transaction. */
  async function ingestEvents(events: SecurityEvent[]): Promise<void> {
    for (let i = 0; i < events.length; i += MAX_BATCH) {
      const chunk = events.slice(i, i + MAX_BATCH);
      await db.tx((tx) => deps.events.emitMany(tx, chunk));
    }
  }

  /** Runs a rule (validated, not stored) over a batch of events and returns the alerts it would raise. */
  function testRule(rule: unknown, input: unknown[]): { alerts: Alert[]; events: number } {
    const r = validateRule({ id: 'rule_test', ...(rule as object) });
    const now = clock();
    const events: DetectEvent[] = input.map((x, n) => {
      const res = normalizeExternal(x, 'test', now, { reserve: false });
      if (!res.ok) throw detectError('DETECT_EVENT_INVALID', `event ${n}: ${res.error}`, { errors: [{ index: n, error: res.error }] });
      const id = (x as { id?: unknown }).id;
      return { ...res.event, id: typeof id === 'string' || typeof id === 'number' ? String(id) : String(n + 1) };
    });
    return { alerts: runRule(r, events, { own: 'test' }), events: events.length };
  }

  return {
    start(opts: { deliveries?: boolean } = {}) { if (opts.deliveries !== false) outbox.start(deps.config?.deliveryIntervalMs ?? 1000); },
    stop: () => outbox.stop(),
    ingest,
    ingestEvents,
    testRule,
    listAlerts: alerts.list,
    getAlert: alerts.get,
    ack: (id: string, actor: Actor, note?: string | null) => alerts.ack(id, actor, note ?? null),
    resolve: (id: string, actor: Actor, note?: string | null) => alerts.resolve(id, actor, note ?? null),
    listRules: () => rules.effective(),
    getRule: rules.get,
    createRule: (rule: unknown, actor: Actor = SYSTEM_ACTOR) => rules.put(rule, actor, { create: true }),
    updateRule: (id: string, rule: unknown, actor: Actor = SYSTEM_ACTOR) => rules.put(rule, actor, { id }),
    deleteRule: (id: string, actor: Actor = SYSTEM_ACTOR) => rules.remove(id, actor),
    listChannels: channels.list,
    getChannel: channels.get,
    createChannel: (input: ChannelInput, actor: Actor = SYSTEM_ACTOR) => channels.create(input, actor),
    updateChannel: (id: string, patch: Partial<Omit<ChannelInput, 'kind'>>, actor: Actor = SYSTEM_ACTOR) => channels.update(id, patch, actor),
    deleteChannel: (id: string, actor: Actor = SYSTEM_ACTOR) => channels.remove(id, actor),
    listDeliveries: (f: { alert_id?: string; status?: string; limit?: number } = {}) => notify.listDeliveries(db, f),
    retryDelivery: (id: string) => notify.retryDelivery(db, id, clock()),
    /** Runs one delivery pass now (tests, CLI). */
    deliverNow: outbox.runOnce,
    stats: consumer.stats,
  };
}

export type Detect = ReturnType<typeof createDetect>;
