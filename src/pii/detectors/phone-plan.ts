import { Metadata } from 'libphonenumber-js/max';

/**
 * Fast phone validation from libphonenumber-js's own (full) metadata: the same
 * steps its parse() + isValid() take for a string of digits (national prefix
 * extraction, exact country for a shared calling code, type patterns and
 * lengths), without building a PhoneNumber object per candidate. A numbering
 * plan whose national prefix needs a transform rule is not emulated: for it
 * `validDigits` returns undefined and the caller asks the library itself.
 * phone-plan.test.ts checks that both agree on many numbers.
 */
const TYPES = ['FIXED_LINE', 'MOBILE', 'PREMIUM_RATE', 'TOLL_FREE', 'SHARED_COST', 'VOIP', 'PERSONAL_NUMBER', 'PAGER', 'UAN', 'VOICEMAIL'] as const;
/** Shortest and longest national significant number libphonenumber parses. */
const MIN_NSN = 2;
const MAX_NSN = 17;
/** Every digit, as the bits of firstDigits. */
const ALL_DIGITS = 0x3ff;

interface TypeRule {
  /** The type's national number pattern as the metadata writes it (not anchored). */
  pattern: string;
  lengths?: readonly number[];
}

export interface Plan {
  region: string;
  callingCode: string;
  /** ^(?:national prefix for parsing), or null when the plan has none. */
  prefix: RegExp | null;
  /** The national prefix for parsing when it is plain digits ('0', '06'), else null. */
  prefixLiteral: string | null;
  /**
   * Every length a national number can have to match one of the plan's types, or null when any
   * length may (a plan without types, or a type without lengths).
   */
  nnLengths: ReadonlySet<number> | null;
  /** A transform rule we do not emulate: defer to the library. */
  complex: boolean;
  nnp: RegExp;
  lengths?: readonly number[];
  leading?: RegExp;
  /** The leading digits pattern as the metadata writes it. */
  leadingSource?: string;
  types: TypeRule[];
  hasTypes: boolean;
  /**
   * Per length of a national number (built on first use): one pattern that says what typeMatches says,
   * the plan's national number pattern as a lookahead and then the type patterns that admit that length as
   * one alternation (null when none does). One test instead of one per type, so a number that is of no
   * type costs one call of the engine, not six.
   */
  byLength: (RegExp | null | undefined)[];
  /** The national number pattern as the metadata writes it. */
  nnpSource: string;
  /** Bit d set: a national number may start with digit d (see firstDigits). */
  nnpFirst: number;
  /** The plans of its calling code (set on first use). */
  group: CodeGroup | null;
}

/** The plans sharing a calling code, main country first (as the metadata lists them). */
interface CodeGroup {
  plans: Plan[];
  /** How exactCountry asks them (built on first use). */
  steps: Step[] | null;
}

interface MetaType {
  pattern(): string;
  possibleLengths(): number[] | undefined;
}
interface MetaPlan {
  callingCode(): string;
  nationalNumberPattern(): string;
  possibleLengths(): number[] | undefined;
  nationalPrefixForParsing(): string | undefined;
  nationalPrefixTransformRule(): string | undefined;
  leadingDigits(): string | undefined;
}
interface Meta {
  numberingPlan: MetaPlan;
  selectNumberingPlan(c: string): void;
  hasCountry(c: string): boolean;
  hasTypes(): boolean;
  type(t: string): MetaType | undefined;
  getCountryCodesForCallingCode(cc: string): string[] | undefined;
}

const meta = new (Metadata as unknown as new () => Meta)();
const plans = new Map<string, Plan | null>();
const entire = (p: string) => new RegExp(`^(?:${p})$`);

/** The numbering plan of an ISO region (null when libphonenumber does not know it). */
export function planOf(region: string): Plan | null {
  let plan = plans.get(region);
  if (plan !== undefined) return plan;
  plan = null;
  if (meta.hasCountry(region)) {
    meta.selectNumberingPlan(region);
    const np = meta.numberingPlan;
    const npfp = np.nationalPrefixForParsing();
    const types: TypeRule[] = [];
    for (const t of TYPES) {
      const def = meta.type(t);
      if (def && def.pattern()) types.push({ pattern: def.pattern(), lengths: def.possibleLengths() });
    }
    const leading = np.leadingDigits();
    plan = {
      region,
      callingCode: np.callingCode(),
      prefix: npfp ? new RegExp(`^(?:${npfp})`) : null,
      prefixLiteral: npfp && /^\d+$/.test(npfp) ? npfp : null,
      nnLengths: meta.hasTypes() && types.every((t) => t.lengths) ? new Set(types.flatMap((t) => t.lengths!)) : null,
      complex: !!np.nationalPrefixTransformRule(),
      nnp: entire(np.nationalNumberPattern()),
      nnpSource: np.nationalNumberPattern(),
      nnpFirst: firstDigits(np.nationalNumberPattern()),
      lengths: np.possibleLengths(),
      leading: leading ? new RegExp(`^(?:${leading})`) : undefined,
      leadingSource: leading || undefined,
      types,
      hasTypes: meta.hasTypes(),
      byLength: [],
      group: null,
    };
  }
  plans.set(region, plan);
  return plan;
}

const byCode = new Map<string, CodeGroup>();
function groupOfCode(code: string): CodeGroup {
  let group = byCode.get(code);
  if (!group) {
    group = { plans: (meta.getCountryCodesForCallingCode(code) ?? []).map(planOf).filter((p): p is Plan => p !== null), steps: null };
    byCode.set(code, group);
  }
  return group;
}

/** The plans sharing a calling code, main country first (as the metadata lists them). */
export function plansOfCode(code: string): Plan[] {
  return groupOfCode(code).plans;
}

/** The plans sharing a plan's calling code, kept on the plan. */
const groupOf = (p: Plan): CodeGroup => (p.group ??= groupOfCode(p.callingCode));

/** Calling codes as numbers (none starts with 0), for reading one off the digits without slicing them. */
const byNumber: (CodeGroup | undefined)[] = new Array(1000);
const groupOfNumber = (n: number): CodeGroup => (byNumber[n] ??= groupOfCode(String(n)));

/** The number may match a pattern whose first digits are `mask` (firstDigits): a cheap test before the pattern's. */
function mayStart(mask: number, s: string): boolean {
  const c = s.charCodeAt(0);
  return !(c >= 48 && c <= 57) || ((mask >> (c - 48)) & 1) === 1;
}

/** The national number matches the plan's pattern and, when the plan has types, one of the types that admit its length. */
function typeMatches(p: Plan, nn: string): boolean {
  // every pattern below must match the national number pattern, which cannot start with some digits
  if (!mayStart(p.nnpFirst, nn)) return false;
  if (!p.hasTypes) return p.nnp.test(nn);
  const n = nn.length;
  let re = p.byLength[n];
  if (re === undefined) {
    const admitting = p.types.filter((t) => !t.lengths || t.lengths.includes(n));
    re = admitting.length ? new RegExp(`^(?=(?:${p.nnpSource})$)(?:${admitting.map((t) => `(?:${t.pattern})`).join('|')})$`) : null;
    p.byLength[n] = re;
  }
  return re !== null && re.test(nn);
}

/** libphonenumber's checkNumberLength: is the length possible for the plan? */
function possibleLength(p: Plan, nn: string): boolean {
  const ls = p.lengths;
  if (!ls) return true;
  return nn.length >= ls[0] && ls.includes(nn.length);
}

/**
 * The plans of a calling code in the order exactCountry asks them: a plan without leading digits alone
 * (asked by its types), and each run of plans with leading digits as one step whose patterns form one
 * alternation. A number no plan of the run claims (an unassigned +1 area code, say) then costs one test
 * instead of one per country (22 in a row for +1); when the run does claim it, its plans are asked in order.
 */
interface Step {
  /** A plan without leading digits, or null for a run. */
  plan: Plan | null;
  /** The run's leading patterns as one (null for a single plan). */
  anyLeading: RegExp | null;
  run: Plan[];
}
function stepsOf(group: CodeGroup): Step[] {
  let steps = group.steps;
  if (!steps) {
    steps = [];
    for (const p of group.plans) {
      const last = steps[steps.length - 1];
      if (!p.leading) steps.push({ plan: p, anyLeading: null, run: [] });
      else if (last && last.plan === null) last.run.push(p);
      else steps.push({ plan: null, anyLeading: null, run: [p] });
    }
    for (const st of steps) {
      if (st.run.length > 1) st.anyLeading = new RegExp(`^(?:${st.run.map((p) => `(?:${p.leadingSource})`).join('|')})`);
    }
    group.steps = steps;
  }
  return steps;
}

/** The first plan of a run whose leading digits nn starts with, or undefined. */
function leadingIn(st: Step, nn: string): Plan | undefined {
  if (st.anyLeading !== null && !st.anyLeading.test(nn)) return undefined;
  for (const p of st.run) if (p.leading!.test(nn)) return p;
  return undefined;
}

/** The country a national number belongs to among those sharing its calling code. */
function exactCountry(group: CodeGroup, nn: string): Plan | undefined {
  const list = group.plans;
  if (list.length === 1) return list[0];
  for (const st of stepsOf(group)) {
    if (st.plan !== null) {
      if (typeMatches(st.plan, nn)) return st.plan;
      continue;
    }
    const p = leadingIn(st, nn);
    if (p) return p;
  }
  return undefined;
}

/** Strips the national prefix the way libphonenumber does for a complete number. */
function nationalNumber(p: Plan, digits: string): string {
  if (!p.prefix) return digits;
  let cut: number;
  if (p.prefixLiteral !== null) {
    // a prefix of plain digits: the pattern ^(?:0) says no more than startsWith
    if (!digits.startsWith(p.prefixLiteral)) return digits;
    cut = p.prefixLiteral.length;
  } else {
    const m = p.prefix.exec(digits);
    if (!m) return digits;
    cut = m[0].length;
  }
  const nn = digits.slice(cut);
  if (mayStart(p.nnpFirst, digits) && p.nnp.test(digits) && !p.nnp.test(nn)) return digits;
  if (p.lengths) {
    const c = exactCountry(groupOf(p), nn) ?? p;
    if (!possibleLength(c, nn)) return digits;
  }
  return nn;
}

/**
 * Is this number valid? `digits` are the digits after '+' when `region` is null
 * (international), else the national digits as written in that region.
 * undefined: not decidable here, ask the library.
 */
export function validDigits(digits: string, region: string | null): boolean | undefined {
  let rest = digits;
  let home: Plan | null;
  let group: CodeGroup | null = null;
  if (region === null) {
    // the calling code: the first one, two or three digits (leaving at least one) that have plans
    if (digits.charCodeAt(0) !== 48) {
      let n = 0;
      for (let len = 1; len <= 3 && len < digits.length; len++) {
        n = n * 10 + digits.charCodeAt(len - 1) - 48;
        const g = groupOfNumber(n);
        if (g.plans.length) {
          group = g;
          rest = digits.slice(len);
          break;
        }
      }
    }
    if (!group) return false;
    home = group.plans[0];
  } else {
    home = planOf(region);
    if (!home) return undefined;
    group = groupOf(home);
  }
  if (home.complex) return undefined;
  const nn = nationalNumber(home, rest);
  if (nn.length < MIN_NSN || nn.length > MAX_NSN) return false;
  return validInCountry(group, nn, home);
}

/**
 * typeMatches(exactCountry(code, nn) ?? home, nn) without testing a plan twice: exactCountry only picks a
 * plan without leading digits after typeMatches said yes for it, and when it picks none, home may have been
 * tested (and said no) on the way. For +1 that is the whole US type check saved per number.
 */
function validInCountry(group: CodeGroup, nn: string, home: Plan): boolean {
  const list = group.plans;
  if (list.length === 1) return typeMatches(list[0], nn);
  let homeSaidNo = false;
  for (const st of stepsOf(group)) {
    if (st.plan !== null) {
      if (typeMatches(st.plan, nn)) return true;
      if (st.plan === home) homeSaidNo = true;
      continue;
    }
    const p = leadingIn(st, nn);
    if (p) return typeMatches(p, nn);
  }
  return !homeSaidNo && typeMatches(home, nn);
}

/**
 * The digits a match of a national number pattern can start with, as bits 0-9. Reads the subset of
 * regex syntax the metadata uses (digits, \d, classes, groups, alternation, quantifiers); anything
 * else makes it answer "any digit", which only makes the checks that use it less often decisive.
 */
function firstDigits(src: string): number {
  let pos = 0;
  let unknown = false;
  const alt = (): { first: number; empty: boolean } => {
    let first = 0;
    let empty = false;
    for (;;) {
      const s = seq();
      first |= s.first;
      empty ||= s.empty;
      if (src[pos] !== '|') return { first, empty };
      pos++;
    }
  };
  const seq = (): { first: number; empty: boolean } => {
    let first = 0;
    let open = true;
    while (pos < src.length && src[pos] !== '|' && src[pos] !== ')') {
      const a = atom();
      const optional = quantifier();
      if (open) first |= a;
      if (!optional) open = false;
    }
    return { first, empty: open };
  };
  const atom = (): number => {
    const c = src[pos++];
    if (c >= '0' && c <= '9') return 1 << (+c);
    if (c === '\\' && src[pos] === 'd') return pos++, ALL_DIGITS;
    if (c === '[') {
      let mask = 0;
      while (pos < src.length && src[pos] !== ']') {
        const a = src[pos++];
        if (a === '\\' && src[pos] === 'd') (pos++, (mask = ALL_DIGITS));
        else if (src[pos] === '-' && src[pos + 1] !== ']') {
          const b = src[pos + 1];
          pos += 2;
          for (let d = +a; d <= +b; d++) mask |= 1 << d;
        } else if (a >= '0' && a <= '9') mask |= 1 << +a;
        else unknown = true;
      }
      pos++;
      return mask;
    }
    if (c === '(') {
      if (src.startsWith('?:', pos)) pos += 2;
      else if (src[pos] === '?') unknown = true;
      const g = alt();
      pos++;
      // a group that can match nothing passes its followers' digits on; treat it as any digit (rare)
      return g.empty ? ALL_DIGITS : g.first;
    }
    unknown = true;
    return ALL_DIGITS;
  };
  const quantifier = (): boolean => {
    const c = src[pos];
    if (c === '?' || c === '*') return pos++, true;
    if (c === '+') return pos++, false;
    if (c === '{') {
      const m = /^\{(\d+)(?:,\d*)?\}/.exec(src.slice(pos));
      if (!m) return (unknown = true);
      pos += m[0].length;
      return m[1] === '0';
    }
    return false;
  };
  const result = alt();
  return unknown || pos !== src.length || result.empty ? ALL_DIGITS : result.first;
}
