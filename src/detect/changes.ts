import { SEVERITY_ID } from '../events/types.js';
import type { Episode, EventId } from './rules/buffer.js';
import type { RuleRuntime } from './rules/compile.js';
import type { Trigger } from './rules/event-count.js';
import { episodeId, stateKey } from './rules/state-key.js';
import type { Alert, AlertChange } from './types.js';
import { EVIDENCE_CAP } from './types.js';

/**
 * What one engine.process() call decided, per alert: opened, or extended by further events. Alert objects are
 * built once per alert per call, and their times formatted once, at the end.
 */
export interface ChangeSet {
  add(source: string, rt: RuleRuntime, p: number, key: string, ep: Episode, op: 'open' | 'attach', ids: EventId[] | EventId): void;
  finish(): AlertChange[];
}

/** `own` is the source whose alert keys carry no `source` field. */
export function createChangeSet(own: string): ChangeSet {
  const changes = new Map<string, AlertChange>();
  const episodes = new Map<AlertChange, Episode>();
  return {
    add(source, rt, p, key, ep, op, ids) {
      let c = changes.get(ep.id);
      if (!c) {
        const r = rt.rule;
        const k = rt.keyObject(p, key);
        const alert: Alert = {
          id: ep.id, rule: r.id, title: r.title, key: source === own ? k : { ...k, source }, severity: r.severity,
          severity_id: SEVERITY_ID[r.severity], status: 'open', count: 0, first_seen: '', last_seen: '', evidence: [],
        };
        c = { op, alert, added: 0, added_evidence: [], state_key: stateKey(source, p, key) };
        changes.set(ep.id, c);
        episodes.set(c, ep);
      }
      if (typeof ids === 'object') {
        c.added += ids.length;
        for (const id of ids) if (c.added_evidence.length < EVIDENCE_CAP) c.added_evidence.push(String(id));
      } else {
        c.added++;
        if (c.added_evidence.length < EVIDENCE_CAP) c.added_evidence.push(String(ids));
      }
      if (op === 'open') c.alert.evidence = c.added_evidence;
    },
    finish() {
      for (const [c, ep] of episodes) {
        c.alert.count = ep.count;
        c.alert.first_seen = new Date(ep.first).toISOString();
        c.alert.last_seen = new Date(ep.last).toISOString();
      }
      return [...changes.values()];
    },
  };
}

/** The episode a trigger opens: its id derives from the rule, the key and the event that opened it (`times[tb + x]`: buffer times). */
export function openEpisode(source: string, rt: RuleRuntime, p: number, key: string, trig: Trigger, times: ArrayLike<number>, tb: number, id: EventId): Episode {
  let first = Infinity; let last = -Infinity;
  for (const x of trig.idx) { const tx = times[tb + x]; if (tx < first) first = tx; if (tx > last) last = tx; }
  return { id: episodeId(rt.rule.id, stateKey(source, p, key), id), first, last, count: trig.idx.length };
}
