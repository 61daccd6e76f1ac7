import type { KeyState } from './rules/buffer.js';
import { clearState, episodeOf, maxOf, newSlab, present, readState, takeDirtyRows, type Slab } from './rules/slab.js';
import type { RuleRuntime } from './rules/compile.js';
import { stateKey } from './rules/state-key.js';

/**
 * Where the engine keeps key states. A "slot" is one part of one rule (rule.base + part). Slots whose keys are
 * made of the same fields (every rule grouped by `user`, say) share one group: a map from the raw key to a row
 * number, so an event costs one lookup per distinct key, not one per rule, and a key value is stored once.
 * Each slot keeps its states by row in a slab (rules/slab.ts). Everything is kept per event source (a domain),
 * each with its own watermark.
 */
export interface Group {
  map: Map<string, number>;
  /** Row → key (undefined for a free row). */
  keys: Array<string | undefined>;
  free: number[];
}

export interface Domain {
  source: string;
  /** Latest event time seen from this source (ms). */
  wm: number;
  groups: Group[];
  /** Per slot. */
  slabs: Slab[];
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
  return {
    source, wm: 0,
    groups: l.width.map(() => ({ map: new Map(), keys: [], free: [] })),
    slabs: l.rt.map((rt) => newSlab(rt.cap, rt.rule.kind === 'value_count', rt.rule.kind === 'sequence', 0)),
  };
}

/** The row of a key in a group, or −1; `create` adds the key when missing. */
export function rowOf(d: Domain, g: number, key: string, create: boolean): number {
  const grp = d.groups[g];
  let row = grp.map.get(key);
  if (row !== undefined) return row;
  if (!create) return -1;
  row = grp.free.length > 0 ? grp.free.pop()! : grp.keys.length;
  if (row === grp.keys.length) grp.keys.push(key); else grp.keys[row] = key;
  grp.map.set(key, row);
  return row;
}

export const expired = (rt: RuleRuntime, max: number, ep: { last: number } | undefined, wm: number) =>
  max + rt.keepMs < wm && (!ep || ep.last + rt.windowMs < wm);

export interface Row { rule: string; key: string; state: KeyState; expires: number }

/** Drops expired states and keys left without any; appends their rows to `deleted` when given. Returns how many. */
export function sweepDomain(d: Domain, l: Layout, deleted: Array<{ rule: string; key: string }> | null): number {
  let n = 0;
  const slotsOf = groupSlots(l);
  d.groups.forEach((grp, g) => {
    const slots = slotsOf[g];
    const gone: string[] = [];
    grp.map.forEach((row, key) => {
      let live = false;
      for (let x = 0; x < slots.length; x++) {
        const slot = slots[x];
        const sl = d.slabs[slot];
        if (!present(sl, row)) continue;
        if (expired(l.rt[slot], maxOf(sl, row), episodeOf(sl, row), d.wm)) {
          clearState(sl, row); n++;
          deleted?.push({ rule: l.rt[slot].rule.id, key: stateKey(d.source, l.part[slot], key) });
        } else live = true;
      }
      if (!live) { gone.push(key); grp.keys[row] = undefined; grp.free.push(row); }
    });
    for (const key of gone) grp.map.delete(key);
  });
  return n;
}

function rowsOf(d: Domain, l: Layout, g: number, key: string, row: number, out: Row[]): void {
  for (const slot of groupSlots(l)[g]) {
    const s = readState(d.slabs[slot], row);
    const rt = l.rt[slot];
    if (s) out.push(row_(d, rt, l.part[slot], key, s));
  }
}

/** The changed states (slab rows marked dirty), as rows; clears the marks. */
export function dirtyRows(d: Domain, l: Layout): Row[] {
  const out: Row[] = [];
  d.slabs.forEach((sl, slot) => {
    const rt = l.rt[slot]; const keys = d.groups[l.group[slot]].keys;
    takeDirtyRows(sl, (row) => out.push(row_(d, rt, l.part[slot], keys[row]!, readState(sl, row)!)));
  });
  return out;
}

const row_ = (d: Domain, rt: RuleRuntime, part: number, key: string, s: KeyState): Row =>
  ({ rule: rt.rule.id, key: stateKey(d.source, part, key), state: s, expires: Math.max(s.max + rt.keepMs, s.ep ? s.ep.last + rt.windowMs : 0) });

/** Every live state, as rows. */
export function allRows(d: Domain, l: Layout): Row[] {
  const out: Row[] = [];
  d.groups.forEach((grp, g) => { for (const [key, row] of grp.map) rowsOf(d, l, g, key, row, out); });
  return out;
}

export function countStates(d: Domain): number {
  let n = 0;
  for (const sl of d.slabs) n += sl.count;
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
