import { randomUUID } from 'node:crypto';
import { SEVERITY_ID } from '../events/types.js';
import type { Clock } from '../clock.js';
import { insert, newState, prune, type KeyState } from './rules/buffer.js';
import { compileRule, keyObject, type RuleRuntime } from './rules/compile.js';
import type { Alert, AlertChange, DetectEvent, Rule } from './types.js';
import { EVIDENCE_CAP } from './types.js';

export interface EngineOptions {
  /** Out-of-order tolerance in seconds: how long past a window a key's state is kept (default 300). */
  lateness?: number;
  /** When set, events more than `maxFuture` seconds ahead of the clock are refused (default 300). */
  clock?: Clock;
  maxFuture?: number;
  /** Track changed keys for persistence (takeDirty). */
  persist?: boolean;
  /** Sweep expired keys every N events (default 50,000). */
  sweepEvery?: number;
  newId?: () => string;
}

export interface StateEntry { rule: string; key: string; state: KeyState; expires: number }
export interface EngineStats { keys: number; watermark: number; late: number; invalid: number; future: number }

export interface Engine {
  rules(): Rule[];
  /** Evaluates events (any order) and returns the alerts opened or extended by them. */
  process(events: DetectEvent[]): AlertChange[];
  /** Keys these events touch that are not in memory (for loading persisted state). */
  missingKeys(events: DetectEvent[]): Array<{ rule: string; key: string }>;
  load(entries: Array<{ rule: string; key: string; state: KeyState }>): void;
  /** Changed and evicted keys since the last call (persist mode). */
  takeDirty(): { upserts: StateEntry[]; deletes: Array<{ rule: string; key: string }> };
  /** Drops keys whose window (plus lateness) has passed the watermark; returns how many. */
  sweep(): number;
  clear(): void;
  stats(): EngineStats;
}

/** The streaming rule engine: pure, in memory, state per active (rule, key) only. */
export function createEngine(rules: Rule[], opts: EngineOptions = {}): Engine {
  const latenessMs = (opts.lateness ?? 300) * 1000;
  const maxFutureMs = (opts.maxFuture ?? 300) * 1000;
  const sweepEvery = opts.sweepEvery ?? 50_000;
  const newId = opts.newId ?? randomUUID;
  const runtimes = rules.filter((r) => r.enabled).map((r) => compileRule(r, latenessMs));
  const byId = new Map(runtimes.map((rt) => [rt.rule.id, rt]));
  const deleted: Array<{ rule: string; key: string }> = [];
  const st = { watermark: 0, late: 0, invalid: 0, future: 0, sinceSweep: 0 };

  function change(changes: Map<string, AlertChange>, rt: RuleRuntime, key: string, s: KeyState, op: 'open' | 'attach', ids: string[]) {
    const ep = s.ep!;
    let c = changes.get(ep.id);
    if (!c) {
      const r = rt.rule;
      const alert: Alert = {
        id: ep.id, rule: r.id, title: r.title, key: keyObject(key), severity: r.severity,
        severity_id: SEVERITY_ID[r.severity], status: 'open', count: 0, first_seen: '', last_seen: '', evidence: [],
      };
      c = { op, alert, added: 0, added_evidence: [] };
      changes.set(ep.id, c);
    }
    c.added += ids.length;
    for (const id of ids) if (c.added_evidence.length < EVIDENCE_CAP) c.added_evidence.push(id);
    if (op === 'open') c.alert.evidence = c.added_evidence;
    c.alert.count = ep.count;
    pending.set(c, ep); // times are formatted once per batch, in finish()
  }

  const pending = new Map<AlertChange, { first: number; last: number }>();
  function finish(changes: Map<string, AlertChange>): AlertChange[] {
    for (const [c, ep] of pending) {
      c.alert.first_seen = new Date(ep.first).toISOString();
      c.alert.last_seen = new Date(ep.last).toISOString();
    }
    pending.clear();
    return [...changes.values()];
  }

  function handle(changes: Map<string, AlertChange>, rt: RuleRuntime, key: string, ev: DetectEvent, t: number, step: number, value: string | undefined) {
    let s = rt.states.get(key);
    if (!s) { s = newState(); rt.states.set(key, s); }
    if (opts.persist) rt.dirty.add(key);
    const w = rt.windowMs;
    if (s.ep && t > s.ep.last + w) s.ep = undefined; // a full window without a matching event: episode over
    const ep = s.ep;
    if (s.t.length > 0 && t < s.max - rt.keepMs) {
      st.late++;
      if (ep && t >= ep.first - w) { ep.count++; if (t < ep.first) ep.first = t; change(changes, rt, key, s, 'attach', [ev.id]); }
      return;
    }
    if (ep) {
      // While an episode is open the buffer is not needed: the episode can only end after a full quiet
      // window, and nothing from before that gap can fall in a window with what comes after it.
      if (t > s.max) s.max = t;
      if (t >= ep.first - w) {
        ep.count++;
        if (t < ep.first) ep.first = t;
        if (t > ep.last) ep.last = t;
        change(changes, rt, key, s, 'attach', [ev.id]);
      }
      return;
    }
    const k = insert(s, t, ev.id, value, rt.rule.kind === 'sequence' ? step : undefined);
    {
      const trig = rt.evaluate(s, k);
      if (trig) {
        const ts = trig.idx.map((x) => s!.t[x]);
        s.ep = { id: newId(), first: Math.min(...ts), last: Math.max(...ts), count: trig.idx.length };
        change(changes, rt, key, s, 'open', trig.idx.map((x) => s!.i[x]));
        s.t = []; s.i = []; if (s.v) s.v = []; if (s.s) s.s = [];
        return;
      }
    }
    prune(s, s.max - rt.keepMs);
  }

  function sweep(): number {
    let n = 0;
    for (const rt of runtimes) {
      const horizon = st.watermark - rt.keepMs;
      for (const [key, s] of rt.states) {
        if (s.max < horizon && (!s.ep || s.ep.last + rt.windowMs < st.watermark)) {
          rt.states.delete(key); rt.dirty.delete(key); n++;
          if (opts.persist) deleted.push({ rule: rt.rule.id, key });
        }
      }
    }
    st.sinceSweep = 0;
    return n;
  }

  return {
    rules: () => rules,
    process(events) {
      const changes = new Map<string, AlertChange>();
      const limit = opts.clock ? opts.clock().getTime() + maxFutureMs : Infinity;
      for (const ev of events) {
        const t = Date.parse(ev.time);
        if (Number.isNaN(t)) { st.invalid++; continue; }
        if (t > limit) { st.future++; continue; }
        if (t > st.watermark) st.watermark = t;
        for (const rt of runtimes) {
          const step = rt.step(ev);
          if (step < 0) continue;
          const value = rt.value ? rt.value(ev) : undefined;
          if (rt.value && value === undefined) continue;
          for (const key of rt.keys(ev)) handle(changes, rt, key, ev, t, step, value);
        }
        if (++st.sinceSweep >= sweepEvery) sweep();
      }
      return finish(changes);
    },
    missingKeys(events) {
      const out = new Map<string, { rule: string; key: string }>();
      for (const ev of events) {
        for (const rt of runtimes) {
          if (rt.step(ev) < 0) continue;
          for (const key of rt.keys(ev)) {
            if (!rt.states.has(key)) out.set(rt.rule.id + '\u0000' + key, { rule: rt.rule.id, key });
          }
        }
      }
      return [...out.values()];
    },
    load(entries) {
      for (const e of entries) {
        const rt = byId.get(e.rule);
        if (!rt) continue;
        rt.states.set(e.key, e.state);
        if (e.state.max > st.watermark) st.watermark = e.state.max;
      }
    },
    takeDirty() {
      const upserts: StateEntry[] = [];
      for (const rt of runtimes) {
        for (const key of rt.dirty) {
          const s = rt.states.get(key);
          if (s) upserts.push({ rule: rt.rule.id, key, state: s, expires: s.max + rt.keepMs });
        }
        rt.dirty.clear();
      }
      return { upserts, deletes: deleted.splice(0) };
    },
    sweep,
    clear() {
      for (const rt of runtimes) { rt.states.clear(); rt.dirty.clear(); }
      deleted.length = 0;
    },
    stats: () => ({
      keys: runtimes.reduce((n, rt) => n + rt.states.size, 0),
      watermark: st.watermark, late: st.late, invalid: st.invalid, future: st.future,
    }),
  };
}

/** Runs one rule over a batch (any order) and returns the alerts it would raise, as they stand at the end. */
export function runRule(rule: Rule, events: DetectEvent[], clock?: Clock): Alert[] {
  const engine = createEngine([{ ...rule, enabled: true }], { clock });
  const alerts = new Map<string, Alert>();
  for (const c of engine.process(events)) {
    const prev = alerts.get(c.alert.id);
    alerts.set(c.alert.id, prev ? { ...c.alert, evidence: [...prev.evidence, ...c.added_evidence].slice(0, EVIDENCE_CAP) } : c.alert);
  }
  return [...alerts.values()];
}
