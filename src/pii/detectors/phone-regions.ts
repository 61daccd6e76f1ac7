import { planOf, plansOfCode, type Plan } from './phone-plan.js';

/**
 * The region fan-out of national phone numbers, cut down without changing a verdict. A plan
 * accepts a national number only when one of its plans sharing the calling code admits its
 * length (a type's possible lengths) and its first digit (the national number pattern). So a
 * region is tried for a digit string only when a national number it could read from it (the
 * digits as written, or without a literal national prefix such as '0') passes that test; for
 * any other region the plan check (phone-plan.ts) is false anyway. The surviving regions keep
 * their configured order; the list is remembered per length and first three digits (all the
 * test looks at).
 */
export interface RegionIndex {
  /** The configured regions, in order, whose plans may accept `digits` (at least three digits). */
  candidates(digits: string): readonly string[];
}

interface Shape {
  lengths: ReadonlySet<number>;
  /** Bit d set: a national number may start with digit d. */
  first: number;
}
interface Filter {
  region: string;
  /** Literal national prefix (at most two digits) or null. */
  prefix: string | null;
  /** What the plans of the calling code admit, or null: the region is always tried. */
  shapes: Shape[] | null;
}

const indexes = new WeakMap<readonly string[], RegionIndex>();

/** The index of a region list (built once per list). */
export function regionIndex(regions: readonly string[]): RegionIndex {
  let index = indexes.get(regions);
  if (!index) {
    index = build(regions.map(filterOf));
    indexes.set(regions, index);
  }
  return index;
}

function filterOf(region: string): Filter {
  const plan = planOf(region);
  // unknown plans and transform rules go to the library, other prefixes are not read here: never filtered
  if (!plan || plan.complex || (plan.prefix && (plan.prefixLiteral === null || plan.prefixLiteral.length > 2))) return { region, prefix: null, shapes: null };
  const shapes: Shape[] = [];
  for (const p of [plan, ...plansOfCode(plan.callingCode)]) {
    if (!p.nnLengths) return { region, prefix: null, shapes: null };
    shapes.push({ lengths: p.nnLengths, first: p.nnpFirst });
  }
  return { region, prefix: plan.prefixLiteral, shapes };
}

function admits(shapes: readonly Shape[], digits: string, from: number): boolean {
  const len = digits.length - from;
  const bit = 1 << (digits.charCodeAt(from) - 48);
  return shapes.some((s) => (s.first & bit) !== 0 && s.lengths.has(len));
}

function build(filters: readonly Filter[]): RegionIndex {
  const memo = new Map<number, readonly string[]>();
  return {
    candidates(digits) {
      const key = digits.length * 1000 + (digits.charCodeAt(0) - 48) * 100 + (digits.charCodeAt(1) - 48) * 10 + (digits.charCodeAt(2) - 48);
      let list = memo.get(key);
      if (!list) {
        list = filters
          .filter((f) => !f.shapes || admits(f.shapes, digits, 0) || (f.prefix !== null && digits.startsWith(f.prefix) && admits(f.shapes, digits, f.prefix.length)))
          .map((f) => f.region);
        memo.set(key, list);
      }
      return list;
    },
  };
}
