import type { Clock } from '../clock.js';
import { createChangeSet, openEpisode, type ChangeSet } from './changes.js';
import { parseTime } from './fields.js';
import { insert, newState, prune, type EventId, type KeyState } from './rules/buffer.js';
import {
  clearState, episodeOf, fitsInline, HEAD, insertInline, lengthOf, markDirty, maxOf, present, pruneInline, raiseMax, readState, recordOf, setEpisode, writeState,
} from './rules/slab.js';
import { compileRule, matchTypes, typeStep, type RuleRuntime } from './rules/compile.js';
import { allRows, countStates, dirtyRows, layout, newDomain, rowOf, sweepDomain, type Domain } from './key-table.js';
import { parseStateKey, stateKey, toEventId } from './rules/state-key.js';
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
  /** Sweep expired keys every N events (default 200,000: a sweep walks every key). */
  sweepEvery?: number;
  /** The source whose keys carry no `source` in their alert key, and whose control events are trusted (default `warden`). */
  own?: string;
  /** Tests only: every rule sees every event (no type index), every state takes the general (KeyState) path. */
  reference?: boolean;
}

/** The control event Warden emits when an alert is resolved: it ends the episode, so later events open a new alert. */
export const RESOLVED_TYPE = 'detect.alert.resolved';

export interface StateEntry { rule: string; key: string; state: KeyState; expires: number }
export interface EngineStats { keys: number; watermark: number; late: number; invalid: number; future: number }

export interface Engine {
  rules(): Rule[];
  /** Evaluates events (any order) and returns the alerts opened or extended by them. */
  process(events: DetectEvent[]): AlertChange[];
  /** Keys these events touch that are not in memory (for loading persisted state). */
  missingKeys(events: DetectEvent[]): Array<{ rule: string; key: string }>;
  /** Loads persisted states; a null state drops the key. */
  load(entries: Array<{ rule: string; key: string; state: KeyState | null }>): void;
  /** Forgets every state of one rule. */
  dropRule(rule: string): void;
  /** Every live state (for a full snapshot). */
  allStates(): StateEntry[];
  /** Changed and evicted keys since the last call (persist mode). */
  takeDirty(): { upserts: StateEntry[]; deletes: Array<{ rule: string; key: string }> };
  /** Per-source watermarks (event time, ms), to snapshot and restore with the state. */
  watermarks(): Record<string, number>;
  setWatermarks(w: Record<string, number>): void;
  /** Drops keys whose window (plus lateness) has passed their source's watermark; returns how many. */
  sweep(): number;
  clear(): void;
  stats(): EngineStats;
}

/** The streaming rule engine: pure, in memory, state per active (source, rule, key) only. */
export function createEngine(rules: Rule[], opts: EngineOptions = {}): Engine {
  const latenessMs = (opts.lateness ?? 300) * 1000;
  const maxFutureMs = (opts.maxFuture ?? 300) * 1000;
  const sweepEvery = opts.sweepEvery ?? 200_000;
  const own = opts.own ?? 'warden';
  const runtimes: RuleRuntime[] = [];
  let slots = 0;
  for (const r of rules) if (r.enabled) { const rt = compileRule(r, latenessMs, slots); runtimes.push(rt); slots += rt.parts; }
  const byId = new Map(runtimes.map((rt) => [rt.rule.id, rt]));
  // Most rules name the event types they match: per type, only those rules (and the ones that name none) run.
  const typeSets = runtimes.map((rt) => matchTypes(rt.rule));
  // Per type: its rules and, for rules that test nothing but the type, the step decided once (−2: test the event).
  type ForType = { rules: RuleRuntime[]; steps: number[] };
  const forType = new Map<string, ForType>();
  const everyRule: ForType = { rules: runtimes, steps: runtimes.map(() => -2) };
  function rulesFor(type: string): ForType {
    if (opts.reference) return everyRule;
    let list = forType.get(type);
    if (!list) {
      const rules = runtimes.filter((_, x) => typeSets[x] === null || typeSets[x]!.has(type));
      list = { rules, steps: rules.map((rt) => typeStep(rt.rule, type) ?? -2) };
      if (forType.size < 10_000) forType.set(type, list);
    }
    return list;
  }
  const l = layout(runtimes);
  // Per event, the row looked up for each group (rules sharing a key share the lookup).
  const gSeq: number[] = l.width.map(() => -1);
  const gRow: number[] = l.width.map(() => -1);
  const gKey: Array<string | undefined> = l.width.map(() => undefined);
  let seq = 0;
  const domains = new Map<string, Domain>();
  const deleted: Array<{ rule: string; key: string }> = [];
  const st = { late: 0, invalid: 0, future: 0, sinceSweep: 0 };
  let lastDomain: Domain | null = null;

  function domain(source: string): Domain {
    if (lastDomain && lastDomain.source === source) return lastDomain;
    let d = domains.get(source);
    if (!d) { d = newDomain(source, l); domains.set(source, d); }
    return (lastDomain = d);
  }

  /** Updates one key state of one rule part with one event (a row of the part's slab). */
  function apply(cs: ChangeSet, d: Domain, rt: RuleRuntime, p: number, key: string, row: number, id: EventId, t: number, step: number, value: string | undefined) {
    const sl = d.slabs[rt.base + p];
    if (opts.persist) markDirty(sl, row);
    const w = rt.windowMs;
    let ep = episodeOf(sl, row);
    // A full window without a matching event: the episode is over.
    if (ep && t > ep.last + w) { setEpisode(sl, row, undefined); ep = undefined; }
    if (lengthOf(sl, row) > 0 && t < maxOf(sl, row) - rt.keepMs) {
      st.late++;
      if (ep && t >= ep.first - w) { ep.count++; if (t < ep.first) ep.first = t; cs.add(d.source, rt, p, key, ep, 'attach', id); }
      return;
    }
    if (ep) {
      // While an episode is open the buffer is not needed: the episode can only end after a full quiet
      // window, and nothing from before that gap can fall in a window with what comes after it.
      raiseMax(sl, row, t);
      if (t >= ep.first - w) {
        ep.count++;
        if (t < ep.first) ep.first = t;
        if (t > ep.last) ep.last = t;
        cs.add(d.source, rt, p, key, ep, 'attach', id);
      }
      return;
    }
    if (!opts.reference && fitsInline(sl, row, id)) {
      // The common case, in place in the slab record: no state object is built.
      const k = insertInline(sl, row, t, id as number, value, step);
      const r = recordOf(sl, row); const f = sl.f; const tb = r * sl.stride + HEAD; const n = lengthOf(sl, row);
      const trig = rt.evaluate(f, tb, sl.v ?? sl.s, r * sl.cap, n, k);
      if (!trig) { pruneInline(sl, row, maxOf(sl, row) - rt.keepMs); return; }
      const ids: EventId[] = []; for (const x of trig.idx) ids.push(f[tb + sl.cap + x]);
      const e = openEpisode(d.source, rt, p, key, trig, f, tb, id);
      pruneInline(sl, row, Infinity);
      setEpisode(sl, row, e);
      cs.add(d.source, rt, p, key, e, 'open', ids);
      return;
    }
    // Long buffers and string event ids: the general form.
    const s = readState(sl, row) ?? newState();
    const k = insert(s, t, id, value, rt.rule.kind === 'sequence' ? step : undefined);
    const trig = rt.evaluate(s.t, 0, s.v ?? s.s ?? null, 0, s.t.length, k);
    if (trig) {
      const ids: EventId[] = []; for (const x of trig.idx) ids.push(s.i[x]);
      s.ep = openEpisode(d.source, rt, p, key, trig, s.t, 0, id);
      s.t = []; s.i = []; if (s.v) s.v = []; if (s.s) s.s = [];
      writeState(sl, row, s);
      cs.add(d.source, rt, p, key, s.ep, 'open', ids);
      return;
    }
    prune(s, s.max - rt.keepMs);
    writeState(sl, row, s);
  }

  /** A resolve (from Warden itself only) ends the episode it names, if that episode is still the current one. */
  function control(d: Domain, ev: DetectEvent): void {
    const u = ev.unmapped ?? {};
    const rt = byId.get(String(u.rule));
    const sk = typeof u.state_key === 'string' ? parseStateKey(u.state_key) : null;
    if (!rt || !sk || sk.part >= rt.parts) return;
    const target = domain(sk.source);
    const slot = rt.base + sk.part;
    const row = rowOf(target, l.group[slot], sk.key, false);
    const s = row < 0 ? undefined : readState(target.slabs[slot], row);
    if (s?.ep && s.ep.id === u.alert_id) {
      s.ep = undefined;
      writeState(target.slabs[slot], row, s);
      if (opts.persist) markDirty(target.slabs[slot], row);
    }
    lastDomain = d;
  }

  function sweep(): number {
    let n = 0;
    for (const d of domains.values()) n += sweepDomain(d, l, opts.persist ? deleted : null);
    st.sinceSweep = 0;
    return n;
  }

  /** The row of the event's key for this rule part (shared by every rule keyed the same way), or −1. */
  function rowFor(d: Domain, rt: RuleRuntime, p: number, ev: DetectEvent, create: boolean): number {
    const g = l.group[rt.base + p];
    if (gSeq[g] === seq) return gRow[g];
    gSeq[g] = seq;
    const key = rt.key(ev, p);
    gKey[g] = key;
    const row = key === undefined ? -1 : rowOf(d, g, key, create);
    return (gRow[g] = row);
  }

  return {
    rules: () => rules,
    process(events) {
      const cs = createChangeSet(own);
      const limit = opts.clock ? opts.clock().getTime() + maxFutureMs : Infinity;
      for (let e = 0; e < events.length; e++) {
        const ev = events[e];
        const t = parseTime(ev.time);
        if (Number.isNaN(t)) { st.invalid++; continue; }
        if (t > limit) { st.future++; continue; }
        const d = domain(ev.source);
        if (t > d.wm) d.wm = t;
        if (ev.type === RESOLVED_TYPE && ev.source === own) { control(d, ev); continue; }
        const id = toEventId(ev.id);
        seq++;
        const { rules: list, steps } = rulesFor(ev.type);
        for (let r = 0; r < list.length; r++) {
          const rt = list[r];
          const step = steps[r] === -2 ? rt.step(ev) : steps[r];
          if (step < 0) continue;
          const value = rt.value ? rt.value(ev) : undefined;
          if (rt.value && value === undefined) continue;
          for (let p = 0; p < rt.parts; p++) {
            const row = rowFor(d, rt, p, ev, true);
            if (row >= 0) apply(cs, d, rt, p, gKey[l.group[rt.base + p]]!, row, id, t, step, value);
          }
        }
        if (++st.sinceSweep >= sweepEvery) sweep();
      }
      return cs.finish();
    },
    missingKeys(events) {
      const out = new Map<string, { rule: string; key: string }>();
      const want = (rule: string, key: string) => out.set(rule + '\u0000' + key, { rule, key });
      for (const ev of events) {
        const d = domain(ev.source);
        if (ev.type === RESOLVED_TYPE && ev.source === own) {
          const u = ev.unmapped ?? {};
          if (typeof u.rule === 'string' && typeof u.state_key === 'string') want(u.rule, u.state_key);
          continue;
        }
        seq++;
        for (const rt of rulesFor(ev.type).rules) {
          if (rt.step(ev) < 0) continue;
          for (let p = 0; p < rt.parts; p++) {
            const row = rowFor(d, rt, p, ev, false);
            const key = gKey[l.group[rt.base + p]];
            if (key !== undefined && (row < 0 || !present(d.slabs[rt.base + p], row))) want(rt.rule.id, stateKey(d.source, p, key));
          }
        }
      }
      return [...out.values()];
    },
    load(entries) {
      for (const e of entries) {
        const rt = byId.get(e.rule);
        const sk = parseStateKey(e.key);
        if (!rt || !sk || sk.part >= rt.parts) continue;
        const d = domain(sk.source);
        const slot = rt.base + sk.part;
        if (!e.state) { const row = rowOf(d, l.group[slot], sk.key, false); if (row >= 0) clearState(d.slabs[slot], row); continue; }
        writeState(d.slabs[slot], rowOf(d, l.group[slot], sk.key, true), e.state);
        if (e.state.max > d.wm) d.wm = e.state.max;
      }
    },
    takeDirty() {
      const upserts: StateEntry[] = [];
      for (const d of domains.values()) for (const r of dirtyRows(d, l)) upserts.push(r);
      return { upserts, deletes: deleted.splice(0) };
    },
    dropRule(rule) {
      const rt = byId.get(rule);
      if (!rt) return;
      for (const d of domains.values()) {
        for (let p = 0; p < rt.parts; p++) for (const row of d.groups[l.group[rt.base + p]].map.values()) clearState(d.slabs[rt.base + p], row);
      }
    },
    allStates() {
      const out: StateEntry[] = [];
      for (const d of domains.values()) for (const r of allRows(d, l)) out.push(r);
      return out;
    },
    watermarks: () => Object.fromEntries([...domains.values()].map((d) => [d.source, d.wm])),
    setWatermarks(w) { for (const [source, wm] of Object.entries(w)) { const d = domain(source); if (wm > d.wm) d.wm = wm; } },
    sweep,
    clear() { domains.clear(); lastDomain = null; deleted.length = 0; },
    stats: () => {
      let keys = 0; let watermark = 0;
      for (const d of domains.values()) { keys += countStates(d); if (d.wm > watermark) watermark = d.wm; }
      return { keys, watermark, late: st.late, invalid: st.invalid, future: st.future };
    },
  };
}

/** Runs one rule over a batch (any order) and returns the alerts it would raise, as they stand at the end. */
export function runRule(rule: Rule, events: DetectEvent[], opts: { clock?: Clock; own?: string } = {}): Alert[] {
  const engine = createEngine([{ ...rule, enabled: true }], opts);
  const alerts = new Map<string, Alert>();
  for (const c of engine.process(events)) {
    const prev = alerts.get(c.alert.id);
    alerts.set(c.alert.id, prev ? { ...c.alert, evidence: [...prev.evidence, ...c.added_evidence].slice(0, EVIDENCE_CAP) } : c.alert);
  }
  return [...alerts.values()];
}
