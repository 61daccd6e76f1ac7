/**
 * Disguised PII: text that a reader (or an AI model) reads as "john@example.com" or "4111 1111 1111
 * 1111", but whose code units are not the ASCII the detectors look for. A zero-width space inside an
 * address ("jo\u200Bhn@…"), full-width digits ("４１１１"), Arabic-Indic or Devanagari digits, a
 * non-breaking hyphen in a phone number or a one-dot leader in an IP address would otherwise let a
 * value through a scrub, by accident (pasted from a PDF or a word processor) or on purpose.
 *
 * The pre-pass notes whether a text holds any such character (one table lookup per non-ASCII code
 * unit); only then is the text scanned through its plain form, made here, and every finding mapped
 * back to the original's offsets, so that what is anonymized is the text as it was sent.
 *
 * What is made plain (Basic Multilingual Plane only):
 * - format characters (\p{Cf}: zero-width space, joiners, soft hyphen, bidi controls, BOM) are dropped;
 * - decimal digits of any script (\p{Nd}) become ASCII digits;
 * - a character whose compatibility form (NFKC) is one ASCII character that can be part of a value
 *   (letters, digits, @ . : / + - # _ % ( ) & = ? ~) becomes that character: full-width forms, small
 *   form variants, the one-dot leader, circled and superscript digits;
 * - hyphens and dashes used inside numbers (U+2010–U+2013, U+2212 and their small and full-width
 *   forms) become '-'. The em dash stays: it separates clauses, not digits.
 * Letters of other scripts that merely look like Latin ones (Cyrillic "о") are not mapped: they are
 * not the same characters under any Unicode normalization.
 */

/** 0: unchanged; DROP: removed; anything else: the ASCII code unit it becomes. */
const DROP = 0xffff;
let table: Uint16Array | null = null;

const VALUE_CHAR = /^[0-9A-Za-z@.:/+\-#_%()&=?~]$/;
const DASHES = [0x2010, 0x2011, 0x2012, 0x2013, 0x2212, 0xfe58, 0xfe63, 0xff0d];

/** Built on first use (a few tens of milliseconds, once per process): the mapping of every BMP code unit. */
export function disguiseTable(): Uint16Array {
  if (table) return table;
  const t = new Uint16Array(0x10000);
  const cf = /^\p{Cf}$/u;
  const nd = /^\p{Nd}$/u;
  let zero = -1; // the code point of the 0 of the current run of decimal digits
  for (let c = 0x80; c < 0x10000; c++) {
    if (c >= 0xd800 && c <= 0xdfff) continue;
    const ch = String.fromCharCode(c);
    if (nd.test(ch)) {
      // every script's digits are ten consecutive code points from its zero
      if (zero < 0 || c - zero >= 10 || !nd.test(String.fromCharCode(c - 1))) zero = c;
      t[c] = 48 + (c - zero);
      continue;
    }
    zero = -1;
    if (cf.test(ch)) {
      t[c] = DROP;
      continue;
    }
    const n = ch.normalize('NFKC');
    if (n.length === 1 && VALUE_CHAR.test(n)) t[c] = n.charCodeAt(0);
  }
  for (const d of DASHES) t[d] = 45;
  table = t;
  return t;
}

/** The code unit c (≥ 128) is one the plain form changes. */
export const isDisguise = (t: Uint16Array, c: number): boolean => t[c] !== 0;

export interface PlainText {
  text: string;
  /** For each code unit of `text`, the offset of the code unit of the original it came from. */
  from: Int32Array;
}

/** The plain form of a text (see above), with where each of its code units came from. */
export function plainForm(original: string): PlainText {
  const t = disguiseTable();
  const from = new Int32Array(original.length);
  let out = '';
  let n = 0;
  let copied = 0; // original[copied, i) is still to be appended as it is
  for (let i = 0; i < original.length; i++) {
    const c = original.charCodeAt(i);
    const m = c < 128 ? 0 : t[c];
    if (m === 0) {
      from[n++] = i;
      continue;
    }
    out += original.slice(copied, i);
    copied = i + 1;
    if (m === DROP) continue;
    out += String.fromCharCode(m);
    from[n++] = i;
  }
  out += original.slice(copied);
  return { text: out, from: from.subarray(0, n) };
}

/** The original offsets [start, end) of the plain form's [s, e) (s < e). */
export function originalSpan(p: PlainText, s: number, e: number): { start: number; end: number } {
  return { start: p.from[s], end: p.from[e - 1] + 1 };
}
