import type { KeyState } from './rules/buffer.js';
import type { RuleRuntime } from './rules/compile.js';
import { stateKey } from './rules/state-key.js';

/**
 * Where the engine keeps key states. A "slot" is one part of one rule (rule.base + part). Slots whose keys are
 * made of the same fields (every rule grouped by `user`, say) share one map, whose value holds one state per
 * slot: an event costs one lookup per distinct key, not one per rule, and a key value is stored once.
 * Everything is kept per event source (a domain), each with its own watermark.
 */
export type Entry = Array<KeyState | undefined>;

export interface Domain {
  source: string;
  /** Latest event time seen from this source (ms). */
  wm: number;
  maps: Array<Map<string, Entry>>;
  /** Keys (per group) changed since the last takeDirty(). */
  dirty: Array<Set<string>>;
}

export interface Layout {
  /** Per slot: its rule, part, group and position in the group's entries. */
  rt: RuleRuntime[];
  part: number[];
  group: number[];
  pos: number[];
  /** Per group: how many slots share it. */
  width: number[];
}

export function layout(runtimes: RuleRuntime[]): Layout {
  const l: Layout = { rt: [], part: [], group: [], pos: [], width: [] };
  const sigs = new Map<string, number>();
  for (const rt of runtimes) {
    for (let p = 0; p < rt.parts; p++) {
      const sig = rt.keySig(p);
      let g = sigs.get(sig);
      if (g === undefined) { g = l.width.length; sigs.set(sig, g); l.width.push(0); }
      l.rt.push(rt); l.part.push(p); l.group.push(g); l.pos.push(l.width[g]++);
    }
  }
  return l;
}

export function newDomain(source: string, l: Layout): Domain {
  return { source, wm: 0, maps: l.width.map(() => new Map()), dirty: l.width.map(() => new Set()) };
}

export function newEntry(width: number): Entry {
  const e: Entry = [];
  for (let x = 0; x < width; x++) e.push(undefined);
  return e;
}

export const expired = (rt: RuleRuntime, s: KeyState, wm: number) => s.max + rt.keepMs < wm && (!s.ep || s.ep.last + rt.windowMs < wm);

export interface Row { rule: string; key: string; state: KeyState; expires: number }

/** Drops expired states; appends their rows to `deleted` when given. Returns how many. */
export function sweepDomain(d: Domain, l: Layout, deleted: Array<{ rule: string; key: string }> | null): number {
  let n = 0;
  const slotsOf = groupSlots(l);
  d.maps.forEach((map, g) => {
    for (const [key, entry] of map) {
      let live = false;
      for (const slot of slotsOf[g]) {
        const s = entry[l.pos[slot]];
        if (!s) continue;
        if (expired(l.rt[slot], s, d.wm)) {
          entry[l.pos[slot]] = undefined; n++;
          deleted?.push({ rule: l.rt[slot].rule.id, key: stateKey(d.source, l.part[slot], key) });
        } else live = true;
      }
      if (!live) { map.delete(key); d.dirty[g].delete(key); }
    }
  });
  return n;
}

function rowsOf(d: Domain, l: Layout, g: number, key: string, entry: Entry, out: Row[]): void {
  for (const slot of groupSlots(l)[g]) {
    const s = entry[l.pos[slot]];
    const rt = l.rt[slot];
    if (s) out.push({ rule: rt.rule.id, key: stateKey(d.source, l.part[slot], key), state: s, expires: Math.max(s.max + rt.keepMs, s.ep ? s.ep.last + rt.windowMs : 0) });
  }
}

/** The states of changed keys, as rows (and clears the changed set). */
export function dirtyRows(d: Domain, l: Layout): Row[] {
  const out: Row[] = [];
  d.dirty.forEach((keys, g) => {
    for (const key of keys) { const entry = d.maps[g].get(key); if (entry) rowsOf(d, l, g, key, entry, out); }
    keys.clear();
  });
  return out;
}

/** Every live state, as rows. */
export function allRows(d: Domain, l: Layout): Row[] {
  const out: Row[] = [];
  d.maps.forEach((map, g) => { for (const [key, entry] of map) rowsOf(d, l, g, key, entry, out); });
  return out;
}

export function countStates(d: Domain): number {
  let n = 0;
  for (const map of d.maps) for (const entry of map.values()) for (const s of entry) if (s) n++;
  return n;
}

const cache = new WeakMap<Layout, number[][]>();
function groupSlots(l: Layout): number[][] {
  let out = cache.get(l);
  if (!out) {
    out = l.width.map(() => [] as number[]);
    l.group.forEach((g, slot) => out![g].push(slot));
    cache.set(l, out);
  }
  return out;
}
