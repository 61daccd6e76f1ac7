import ret, { type SetToken, type Token, type Tokens, types } from 'ret';

// the package is CommonJS whose module.exports is the tokenizer itself
const tokenize = ret as unknown as (pattern: string) => Tokens;

/**
 * Why a pattern could take exponential time on a crafted input, or null. A JavaScript regex cannot
 * be stopped once it backtracks, and a custom recognizer runs on every scanned text, so patterns are
 * checked before use: a repetition of variable count (`*`, `+`, `?`, `{1,5}`, `{2,}`) inside another one
 * of variable count, as in `(a+)+` or `(\w+\s?)*`, is refused, unless each turn of the outer one starts
 * with a character the inner one cannot match (`(?:-\d+)+`: every turn is decided at its `-`). Fixed
 * counts (`{4}`) add no choice to backtrack over, so `(?: \d{4}){3}` passes. A heuristic like every
 * static check (overlapping alternatives under a star are not caught); patterns the parser cannot
 * read (lookbehind) are refused rather than trusted.
 */
export function backtrackRisk(pattern: string, flags = ''): string | null {
  let root: Tokens;
  try {
    root = tokenize(pattern);
  } catch {
    return 'it uses syntax the safety check cannot read (lookbehind is not accepted)';
  }
  const caseless = flags.includes('i');
  /**
   * `outer`: inside a repetition of variable count; `guard`: the character or class every turn of it starts with.
   */
  const walk = (node: Tokens, outer: boolean, guard: Leaf | null): string | null => {
    if (node.type === types.REPETITION) {
      if (node.min === node.max) return walk(node.value, outer, guard);
      if (outer && (guard === null || mayMatch(node.value, guard, caseless))) {
        return 'a repetition of variable count is nested inside another (as in (a+)+)';
      }
      return walk(node.value, true, leadingChar(node.value));
    }
    if (node.type === types.ROOT || node.type === types.GROUP) {
      for (const branch of node.options ?? []) for (const t of branch) {
        const r = walk(t, outer, guard);
        if (r) return r;
      }
      for (const t of node.stack ?? []) {
        const r = walk(t, outer, guard);
        if (r) return r;
      }
    }
    return null;
  };
  return walk(root, false, null);
}

type Leaf = Extract<Token, { type: types.CHAR | types.SET }>;

/** The character or class every match of `t` starts with, if it has one. */
function leadingChar(t: Token): Leaf | null {
  if (t.type === types.CHAR || t.type === types.SET) return t;
  if (t.type === types.GROUP && !t.options && t.stack?.length && !t.followedBy && !t.notFollowedBy) return leadingChar(t.stack[0]!);
  return null;
}

/** Whether some character position of `t` could match a character `guard` matches (true when unsure). */
function mayMatch(t: Token, guard: Leaf, caseless: boolean): boolean {
  switch (t.type) {
    case types.CHAR:
    case types.SET:
      return overlap(t, guard, caseless);
    case types.REPETITION:
      return mayMatch(t.value, guard, caseless);
    case types.GROUP:
      return [...(t.options ?? []).flat(), ...(t.stack ?? [])].some((x) => mayMatch(x, guard, caseless));
    case types.POSITION:
      return false;
    default:
      return true; // a back-reference: could be anything
  }
}

/** Whether two one-character tokens share a character (of the Basic Multilingual Plane; runs at configuration time only). */
function overlap(a: Leaf, b: Leaf, caseless: boolean): boolean {
  for (let c = 0; c <= 0xffff; c++) {
    if (!matches(a, c)) continue;
    if (matches(b, c)) return true;
    if (caseless) {
      const ch = String.fromCharCode(c);
      const lo = ch.toLowerCase().charCodeAt(0);
      const up = ch.toUpperCase().charCodeAt(0);
      if (matches(b, lo) || matches(b, up)) return true;
    }
  }
  return false;
}

function matches(t: Leaf, c: number): boolean {
  return t.type === types.CHAR ? t.value === c : inSet(t.set, c) !== t.not;
}

function inSet(set: SetToken[], c: number): boolean {
  return set.some((s) => (s.type === types.CHAR ? s.value === c : s.type === types.RANGE ? c >= s.from && c <= s.to : inSet(s.set, c) !== s.not));
}
