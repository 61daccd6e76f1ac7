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
      lengths: np.possibleLengths(),
      leading: leading ? new RegExp(`^(?:${leading})`) : undefined,
      leadingSource: leading || undefined,
      types,
      hasTypes: meta.hasTypes(),
      byLength: [],
    };
  }
  plans.set(region, plan);
  return plan;
}

const byCode = new Map<string, Plan[]>();
/** The plans sharing a calling code, main country first (as the metadata lists them). */
export function plansOfCode(code: string): Plan[] {
  let list = byCode.get(code);
  if (!list) {
    list = (meta.getCountryCodesForCallingCode(code) ?? []).map(planOf).filter((p): p is Plan => p !== null);
    byCode.set(code, list);
  }
  return list;
}

/** The national number matches the plan's pattern and, when the plan has types, one of the types that admit its length. */
function typeMatches(p: Plan, nn: string): boolean {
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
const stepsByCode = new Map<string, Step[]>();

function stepsOf(code: string): Step[] {
  let steps = stepsByCode.get(code);
  if (!steps) {
    steps = [];
    for (const p of plansOfCode(code)) {
      const last = steps[steps.length - 1];
      if (!p.leading) steps.push({ plan: p, anyLeading: null, run: [] });
      else if (last && last.plan === null) last.run.push(p);
      else steps.push({ plan: null, anyLeading: null, run: [p] });
    }
    for (const st of steps) {
      if (st.run.length > 1) st.anyLeading = new RegExp(`^(?:${st.run.map((p) => `(?:${p.leadingSource})`).join('|')})`);
    }
    stepsByCode.set(code, steps);
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
function exactCountry(code: string, nn: string): Plan | undefined {
  const list = plansOfCode(code);
  if (list.length === 1) return list[0];
  for (const st of stepsOf(code)) {
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
  if (p.nnp.test(digits) && !p.nnp.test(nn)) return digits;
  if (p.lengths) {
    const c = exactCountry(p.callingCode, nn) ?? p;
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
  let code: string | undefined;
  let rest = digits;
  let home: Plan | null;
  if (region === null) {
    for (let n = 1; n <= 3 && n < digits.length; n++) {
      if (plansOfCode(digits.slice(0, n)).length) {
        code = digits.slice(0, n);
        break;
      }
    }
    if (!code) return false;
    rest = digits.slice(code.length);
    home = plansOfCode(code)[0];
  } else {
    home = planOf(region);
    if (!home) return undefined;
    code = home.callingCode;
  }
  if (home.complex) return undefined;
  const nn = nationalNumber(home, rest);
  if (nn.length < MIN_NSN || nn.length > MAX_NSN) return false;
  return validInCountry(code, nn, home);
}

/**
 * typeMatches(exactCountry(code, nn) ?? home, nn) without testing a plan twice: exactCountry only picks a
 * plan without leading digits after typeMatches said yes for it, and when it picks none, home may have been
 * tested (and said no) on the way. For +1 that is the whole US type check saved per number.
 */
function validInCountry(code: string, nn: string, home: Plan): boolean {
  const list = plansOfCode(code);
  if (list.length === 1) return typeMatches(list[0], nn);
  let homeSaidNo = false;
  for (const st of stepsOf(code)) {
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
