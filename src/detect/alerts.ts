import type { Clock } from '../clock.js';
import type { Db } from '../db/types.js';
import { detectError } from './errors.js';
import { RESOLVED_TYPE } from './engine.js';
import type { Actor, AuditPort, EventsPort } from './ports.js';
import * as store from './store.js';
import * as notify from './store-notify.js';
import type { Alert, SecurityEvent } from './types.js';

export type AlertWithEvidence = Alert & { events: Array<SecurityEvent & { id: string }>; deliveries: notify.DeliveryRow[] };

/** Alert reading and the human side of the lifecycle: open → acknowledged → resolved. */
export function createAlertService(deps: { db: Db; audit: AuditPort; events: Pick<EventsPort, 'emitMany'>; clock: Clock }) {
  const { db, audit, clock } = deps;

  async function get(id: string): Promise<AlertWithEvidence> {
    if (!/^[0-9a-f-]{36}$/i.test(id)) throw detectError('DETECT_ALERT_NOT_FOUND', `no alert ${id}`);
    const a = await store.getAlert(db, id);
    if (!a) throw detectError('DETECT_ALERT_NOT_FOUND', `no alert ${id}`);
    const events = (await store.eventsByIds(db, a.evidence.slice(0, 200))) as Array<SecurityEvent & { id: string }>;
    return { ...a, events, deliveries: await notify.listDeliveries(db, { alert_id: id }) };
  }

  async function transition(id: string, to: 'acknowledged' | 'resolved', actor: Actor, note: string | null): Promise<Alert> {
    if (!/^[0-9a-f-]{36}$/i.test(id)) throw detectError('DETECT_ALERT_NOT_FOUND', `no alert ${id}`);
    return db.tx(async (tx) => {
      const a = await store.getAlert(tx, id, true);
      if (!a) throw detectError('DETECT_ALERT_NOT_FOUND', `no alert ${id}`);
      const allowed = to === 'acknowledged' ? a.status === 'open' : a.status !== 'resolved';
      if (!allowed) throw detectError('DETECT_ALERT_STATE', `alert is ${a.status}; cannot move to ${to}`, { status: a.status });
      const now = clock();
      const by = `${actor.type}:${actor.id ?? ''}`;
      await store.setAlertStatus(tx, id, to, by, note, now);
      await audit.append(tx, { actor, action: to === 'acknowledged' ? 'detect.alert.ack' : 'detect.alert.resolve',
        target: { type: 'detect_alert', id }, outcome: 'success', details: { rule: a.rule, severity: a.severity, note_given: note !== null } });
      if (to === 'resolved') {
        // Through the outbox, in this transaction: the engine ends the episode at this point of the stream,
        // so events after the resolve open a new alert (and a replay after a restart sees the same).
        const stateKey = await store.alertStateKey(tx, id);
        await deps.events.emitMany(tx, [{
          type: RESOLVED_TYPE, class_uid: 2004, activity_id: 2, severity_id: 1, time: now.toISOString(), status: 'success', source: 'warden',
          message: `alert ${id} resolved`, unmapped: { alert_id: id, rule: a.rule, state_key: stateKey },
        }]);
      }
      const mark = { by, at: now.toISOString(), note };
      return to === 'acknowledged' ? { ...a, status: to, acknowledged: mark } : { ...a, status: to, resolved: mark };
    });
  }

  return {
    list: (f: store.AlertFilter = {}) => store.listAlerts(db, f),
    get,
    ack: (id: string, actor: Actor, note: string | null = null) => transition(id, 'acknowledged', actor, note),
    resolve: (id: string, actor: Actor, note: string | null = null) => transition(id, 'resolved', actor, note),
  };
}
