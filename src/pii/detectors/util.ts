/** Small text helpers shared by the detectors of this folder. */

/** True when the code unit at i is a letter or digit (ASCII or not) or underscore. */
export function isWordChar(text: string, i: number): boolean {
  if (i < 0 || i >= text.length) return false;
  const c = text.charCodeAt(i);
  if ((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95) return true;
  return c > 127 && /[\p{L}\p{N}]/u.test(text[i]);
}

/** Lower-cased text of up to `chars` characters before `start` (the context window). */
export function before(text: string, start: number, chars = 48): string {
  return text.slice(Math.max(0, start - chars), start).toLowerCase();
}

/** Lower-cased text of up to `chars` characters after `end`. */
export function after(text: string, end: number, chars = 24): string {
  return text.slice(end, end + chars).toLowerCase();
}

/** Strips trailing sentence punctuation a greedy match swallowed (and unbalanced closing brackets). */
export function trimTrailing(s: string): string {
  let out = s;
  for (;;) {
    const last = out[out.length - 1];
    if (last === undefined) return out;
    if ('.,;:!?\'"'.includes(last)) out = out.slice(0, -1);
    else if (last === ')' && count(out, '(') < count(out, ')')) out = out.slice(0, -1);
    else if (last === ']' && count(out, '[') < count(out, ']')) out = out.slice(0, -1);
    else return out;
  }
}

function count(s: string, ch: string): number {
  let n = 0;
  for (let i = s.indexOf(ch); i >= 0; i = s.indexOf(ch, i + 1)) n++;
  return n;
}

/** True when one of the words ends right before `start` (the last ~24 chars), e.g. 'version', 'order #'. */
export function precededBy(text: string, start: number, words: readonly string[]): boolean {
  const w = before(text, start, 24).replace(/[#:\s-]+$/, '');
  return words.some((x) => {
    const word = x.trim();
    return w.endsWith(word) && !/[a-z0-9]/.test(w[w.length - word.length - 1] ?? '');
  });
}

/**
 * Matches of a global regex whose match may not follow a character `badBefore` accepts:
 * the same as a leading negative lookbehind, which keeps V8 from scanning fast for the first character.
 */
export function* matchesAfter(re: RegExp, text: string, badBefore: (c: number) => boolean): Generator<RegExpExecArray> {
  re.lastIndex = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m.index > 0 && badBefore(text.charCodeAt(m.index - 1))) {
      re.lastIndex = m.index + 1;
      continue;
    }
    yield m;
  }
}

/** ASCII word character (letter, digit, underscore). */
export const isAsciiWord = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;

/**
 * Matches of a sticky regex tried only where a trigger character points to: for each occurrence
 * of `trigger` (found with indexOf, far faster than letting the regex try every position),
 * `startFor` names the one position a match through that trigger could start at (or -1).
 * Matches do not overlap; a start after a character `badBefore` accepts is skipped.
 */
export function* triggeredMatches(
  re: RegExp,
  text: string,
  trigger: string,
  startFor: (i: number) => number,
  badBefore: (c: number) => boolean,
): Generator<RegExpExecArray> {
  let reach = 0;
  for (let i = text.indexOf(trigger); i >= 0; i = text.indexOf(trigger, Math.max(i + 1, reach))) {
    const s = startFor(i);
    if (s < reach || (s > 0 && badBefore(text.charCodeAt(s - 1)))) continue;
    re.lastIndex = s;
    const m = re.exec(text);
    if (!m) continue;
    reach = s + m[0].length;
    yield m;
  }
}

/** Start of the run of characters `inRun` accepts that ends right before `i`, or -1 when it is longer than `max`. */
export function runStart(text: string, i: number, inRun: (c: number) => boolean, max: number): number {
  let s = i;
  while (s > 0 && inRun(text.charCodeAt(s - 1))) if (i - --s > max) return -1;
  return s;
}

/** ASCII hexadecimal digit. */
export const isHex = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
/** ASCII decimal digit. */
export const isDigit = (c: number) => c >= 48 && c <= 57;
