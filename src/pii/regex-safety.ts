import ret, { type SetToken, type Token, type Tokens, types } from 'ret';

// the package is CommonJS whose module.exports is the tokenizer itself
const tokenize = ret as unknown as (pattern: string) => Tokens;

/**
 * Why a pattern could take exponential time on a crafted input, or null. A JavaScript regex cannot
 * be stopped once it backtracks, and a custom recognizer runs on every scanned text, so patterns are
 * checked before use: a repetition of variable count (`*`, `+`, `?`, `{1,5}`, `{2,}`) inside another one
 * of variable count, as in `(a+)+` or `(\w+\s?)*`, is refused, unless each turn of the outer one starts
 * with a character the inner one cannot match (`(?:-\d+)+`: every turn is decided at its `-`). Fixed
 * counts (`{4}`) add no choice to backtrack over, so `(?: \d{4}){3}` passes; but a fixed count of two or
 * more repeats the choices inside it, so `(?:\d+){6}` is refused too, unless the inner repetition is followed
 * in its turn by a character it cannot match (`(\d{1,3}\.){3}`). Alternatives inside a
 * repetition of variable count must be told apart by their first character: `(\w|\d)+` and `(a|ab)+` are
 * refused, `(?:[a-z]|\d)+` passes. A heuristic like every static check; patterns the parser cannot
 * read (lookbehind) are refused rather than trusted. The pattern is read with the meaning its flags give
 * it (see asRead): \p{L} under u is a class of letters, not the letter p.
 */
export function backtrackRisk(pattern: string, flags = ''): string | null {
  let root: Tokens;
  try {
    root = tokenize(asRead(pattern, flags));
  } catch {
    return 'it uses syntax the safety check cannot read (lookbehind is not accepted)';
  }
  const caseless = flags.includes('i');
  /**
   * `outer`: inside a repetition of variable count, or of a fixed count of two or more (whose turns repeat the
   * choices inside them as often); `guard`: the character or class every turn of it starts with; `follow`: the
   * characters that can come right after `node` in its own turn (null when that part may be empty or unknown).
   */
  const walk = (node: Tokens, outer: 'none' | 'fixed' | 'variable', guard: Leaf | null, follow: Leaf[] | null): string | null => {
    if (node.type === types.REPETITION) {
      if (node.min === node.max) {
        if (node.max < 2) return walk(node.value, outer, guard, follow);
        return walk(node.value, outer === 'variable' ? outer : 'fixed', leadingChar(node.value), null);
      }
      // under a fixed count, a repetition followed in its turn by a character it cannot match ends there
      const decided = outer === 'fixed' && follow !== null && !follow.some((f) => mayMatch(node.value, f, caseless));
      if (outer !== 'none' && !decided && (guard === null || mayMatch(node.value, guard, caseless))) {
        return outer === 'fixed'
          ? 'a repetition of variable count is repeated a fixed number of times with nothing in each turn to end it (as in (?:\\d+){6})'
          : 'a repetition of variable count is nested inside another (as in (a+)+)';
      }
      return walk(node.value, 'variable', leadingChar(node.value), null);
    }
    if (node.type === types.ROOT || node.type === types.GROUP) {
      if (outer !== 'none' && node.options && node.options.length > 1 && alternativesMeet(node.options, caseless)) {
        return 'alternatives that can start with the same character are repeated (as in (a|a)+ or (\\w|\\d)+)';
      }
      for (const seq of [...(node.options ?? []), node.stack ?? []]) {
        for (let i = 0; i < seq.length; i++) {
          const r = walk(seq[i]!, outer, guard, outer === 'fixed' ? firstOf(seq.slice(i + 1)) : null);
          if (r) return r;
        }
      }
    }
    return null;
  };
  return walk(root, 'none', null, null);
}

type Leaf = Extract<Token, { type: types.CHAR | types.SET }>;

/**
 * Whether two alternatives could both match at the same place: they may start with the same character, or
 * one of them may match without consuming any (then the first characters that follow are not known here).
 * Inside a repetition such a choice doubles the ways a crafted text can be split at every turn.
 */
function alternativesMeet(options: Token[][], caseless: boolean): boolean {
  const firsts = options.map(firstOf);
  if (firsts.some((f) => f === null)) return true;
  for (let i = 0; i < firsts.length; i++) {
    for (let j = i + 1; j < firsts.length; j++) {
      if (firsts[i]!.some((a) => firsts[j]!.some((b) => overlap(a, b, caseless)))) return true;
    }
  }
  return false;
}

/** The characters a sequence can start with, or null when it may match the empty string or cannot be told. */
function firstOf(seq: Token[]): Leaf[] | null {
  const leaves: Leaf[] = [];
  for (const t of seq) {
    const r = firstOfToken(t);
    if (r === null) return null;
    leaves.push(...r.leaves);
    if (!r.empty) return leaves;
  }
  return null;
}

function firstOfToken(t: Token): { leaves: Leaf[]; empty: boolean } | null {
  switch (t.type) {
    case types.CHAR:
    case types.SET:
      return { leaves: [t], empty: false };
    case types.POSITION:
      return { leaves: [], empty: true };
    case types.REPETITION: {
      const r = firstOfToken(t.value);
      return r && { leaves: r.leaves, empty: r.empty || t.min === 0 };
    }
    case types.GROUP: {
      if (t.followedBy || t.notFollowedBy) return { leaves: [], empty: true };
      const branches = t.options ?? [t.stack ?? []];
      const leaves: Leaf[] = [];
      for (const b of branches) {
        const f = firstOf(b);
        if (f === null) return null; // an empty or unknown start inside: not told apart here
        leaves.push(...f);
      }
      return { leaves, empty: false };
    }
    default:
      return null; // a back-reference
  }
}

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

/**
 * Whether two one-character tokens share a character (of the Basic Multilingual Plane; runs at configuration
 * time only). Caseless, a character also stands for its lower and upper case and theirs in turn, so that
 * 'ſ' meets 's' (through 'S') and 'K' (Kelvin) meets 'k', as they do under the i and u flags.
 */
function overlap(a: Leaf, b: Leaf, caseless: boolean): boolean {
  if (a.type === types.CHAR && !caseless) return matches(b, a.value);
  for (let c = 0; c <= 0xffff; c++) {
    if (!matches(a, c)) continue;
    if (matches(b, c)) return true;
    if (caseless) {
      const ch = String.fromCharCode(c);
      const lo = ch.toLowerCase();
      const up = ch.toUpperCase();
      for (const v of [lo, up, up.toLowerCase(), lo.toUpperCase()]) if (matches(b, v.charCodeAt(0))) return true;
    }
  }
  return false;
}

/**
 * The pattern as the parser can read it with the meaning its flags give it: the parser knows no flags, so
 * under u a property escape (\p{L}, \P{L}), a code point escape (\u{61}), a character class and a character
 * outside the Basic Multilingual Plane, and under s the dot, are each written as the class of the BMP
 * characters that the real expression matches there (asked of the engine itself), plus every surrogate when
 * it may match a character beyond the BMP; a named back-reference (\k<name>) is written as a back-reference.
 */
function asRead(pattern: string, flags: string): string {
  const u = flags.includes('u');
  const s = flags.includes('s');
  let out = '';
  for (let i = 0; i < pattern.length; ) {
    const c = pattern[i]!;
    let atom: string | null = null;
    if (c === '\\') {
      const next = pattern[i + 1];
      if (next === 'k' && pattern[i + 2] === '<') {
        const close = pattern.indexOf('>', i);
        if (close > 0) {
          out += '\\1';
          i = close + 1;
          continue;
        }
      }
      if (u && (next === 'p' || next === 'P' || next === 'u') && pattern[i + 2] === '{') {
        const close = pattern.indexOf('}', i);
        if (close > 0) atom = pattern.slice(i, close + 1);
      }
      if (atom === null) {
        out += pattern.slice(i, i + 2);
        i += 2;
        continue;
      }
    } else if (c === '[') {
      let j = i + 1;
      while (j < pattern.length && pattern[j] !== ']') j += pattern[j] === '\\' ? 2 : 1;
      if (!u) {
        out += pattern.slice(i, j + 1); // read as written, escapes and all
        i = j + 1;
        continue;
      }
      atom = pattern.slice(i, j + 1);
    } else if (c === '.' && s) {
      atom = c;
    } else if (u && /[\uD800-\uDBFF]/.test(c) && /[\uDC00-\uDFFF]/.test(pattern[i + 1] ?? '')) {
      atom = pattern.slice(i, i + 2);
    }
    if (atom === null) {
      out += c;
      i++;
      continue;
    }
    out += classOf(atom, flags);
    i += atom.length;
  }
  return out;
}

/** The BMP characters the one-character `atom` matches under `flags`, as a class the parser reads (see asRead). */
function classOf(atom: string, flags: string): string {
  const key = `${flags}/${atom}`;
  let read = classes.get(key);
  if (read === undefined) classes.set(key, (read = computeClass(atom, flags)));
  return read;
}
const classes = new Map<string, string>();

function computeClass(atom: string, flags: string): string {
  let re: RegExp;
  try {
    re = new RegExp(`^(?:${atom})$`, flags.replace(/[gy]/g, ''));
  } catch {
    return atom; // not one character after all: left as written, for the parser to read or refuse
  }
  const hex = (c: number) => '\\u' + c.toString(16).padStart(4, '0');
  const ranges: string[] = [];
  for (let c = 0; c <= 0xffff; c++) {
    if (!re.test(String.fromCharCode(c))) continue;
    let end = c;
    while (end < 0xffff && re.test(String.fromCharCode(end + 1))) end++;
    ranges.push(end === c ? hex(c) : `${hex(c)}-${hex(end)}`);
    c = end;
  }
  // beyond the BMP: a negated class, a property, a code point escape, a surrogate, \D \S \W or the dot may match there
  if (/^\[\^|\\[pPuDSW]|[\uD800-\uDFFF]|^\.$/.test(atom)) ranges.push('\\ud800-\\udfff');
  return ranges.length ? `[${ranges.join('')}]` : '[^\\u0000-\\uffff]';
}

function matches(t: Leaf, c: number): boolean {
  if (t.type === types.CHAR) return t.value === c;
  let map = bitmaps.get(t);
  if (map === undefined) bitmaps.set(t, (map = bitmapOf(t.set, t.not)));
  return map[c] === 1;
}
/** A class as one byte per BMP character (a class read from a property escape has hundreds of ranges). */
const bitmaps = new WeakMap<Leaf, Uint8Array>();

function bitmapOf(set: SetToken[], not: boolean): Uint8Array {
  const map = new Uint8Array(0x10000);
  for (const s of set) {
    if (s.type === types.CHAR) map[s.value] = 1;
    else if (s.type === types.RANGE) map.fill(1, s.from, s.to + 1);
    else {
      const inner = bitmapOf(s.set, s.not);
      for (let c = 0; c <= 0xffff; c++) map[c] |= inner[c]!;
    }
  }
  if (not) for (let c = 0; c <= 0xffff; c++) map[c] ^= 1;
  return map;
}
