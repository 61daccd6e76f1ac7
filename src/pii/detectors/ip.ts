import ipaddr from 'ipaddr.js';
import type { Candidate, Detector } from '../types.js';
import { indexText } from '../prepass.js';
import { candidate, isAsciiWord, isHex, precededBy, runStart, spansAtStarts, triggeredAt } from './util.js';

/**
 * IP_ADDRESS: dotted IPv4 (each octet 0-255, no leading zeros) and IPv6 parsed by ipaddr.js.
 * The sticky patterns are only tried at a run of up to three digits before a '.' and at the hex run
 * before a ':' that has a second ':' at most five characters on (all an IPv6 match can start with),
 * both from the pre-pass.
 */
const V4 = /(?:\d{1,3}\.){3}\d{1,3}(?![\w]|\.\d)/y;
const V6 = /(?:[0-9A-Fa-f]{0,4}:){2,7}(?:[0-9A-Fa-f]{1,4}|(?:\d{1,3}\.){3}\d{1,3})?(?![\w:])/y;
const v4Before = (c: number) => isAsciiWord(c) || c === 46;
const v6Before = (c: number) => isAsciiWord(c) || c === 58 || c === 46;
const VERSION_WORDS = ['v', 'version', 'ver', 'release', 'build', 'firmware', 'fw', 'update to', 'upgrade to', 'updated to', 'upgraded to'];

export const ipDetector: Detector = {
  types: ['IP_ADDRESS'],
  detect(text, _ctx, index = indexText(text)) {
    const out: Candidate[] = [];
    const runs = index.digits;
    const v4: number[] = [];
    for (let k = 0; k < runs.length; k += 2) if (dottedRuns(text, runs, k)) v4.push(runs[k]);
    const v4Spans = spansAtStarts(V4, text, v4, v4Before);
    for (let k = 0; k < v4Spans.length; k += 2) {
      const start = v4Spans[k];
      const end = v4Spans[k + 1];
      if (!dottedQuad(text, start, end)) continue;
      if (precededBy(text, start, VERSION_WORDS, index)) continue;
      out.push(candidate('IP_ADDRESS', start, end, 0.9, 'ipv4'));
    }
    const colon = index.colon;
    if (colon.length > 1) {
      // a match opens with the hex run before one ':' and needs another within five characters
      for (const m of triggeredAt(V6, text, v6Triggers(colon), (i) => runStart(text, i, isHex, 4), v6Before)) {
        const s = m[0];
        if (s.length < 3 || s === '::') continue;
        if (!s.includes('::') && colons(s) !== 7 && !/\d\.\d/.test(s)) continue;
        if (!eightGroups(s) && !ipaddr.IPv6.isValid(s)) continue;
        if (!/[0-9a-f]{2}/i.test(s.replace(/:/g, ''))) continue;
        out.push(candidate('IP_ADDRESS', m.index, m.index + s.length, 0.9, 'ipv6'));
      }
    }
    return out;
  },
};

/**
 * Four decimal parts of 0-255 without leading zeros, for s[from, to) that the V4 pattern matched (four
 * dotted runs of one to three digits): what ipaddr.js's isValidFourPartDecimal says about such a string.
 */
export function dottedQuad(s: string, from = 0, to = s.length): boolean {
  let value = 0;
  let len = 0;
  for (let i = from; i <= to; i++) {
    const c = i < to ? s.charCodeAt(i) : 46;
    if (c === 46) {
      if (value > 255) return false;
      value = 0;
      len = 0;
      continue;
    }
    if (len === 1 && value === 0) return false;
    value = value * 10 + (c - 48);
    len++;
  }
  return true;
}

/**
 * Runs k to k + 3 (pairs in TextIndex.digits) are four of at most three digits joined by single dots: what
 * V4 needs from a run start, as its digit groups can only take whole runs (a shorter take leaves a digit
 * where the dot or the closing check must stand). Decided on the runs before the pattern runs.
 */
function dottedRuns(text: string, runs: readonly number[], k: number): boolean {
  if (k + 7 >= runs.length) return false;
  for (let q = k; q < k + 8; q += 2) {
    if (runs[q + 1] - runs[q] > 3) return false;
    if (q < k + 6 && (text.charCodeAt(runs[q + 1]) !== 46 || runs[q + 2] !== runs[q + 1] + 1)) return false;
  }
  return true;
}

/**
 * Eight groups of one to four hex digits joined by single colons (an address written out in full, the
 * common form): always a valid IPv6 address, so ipaddr.js (a few microseconds per call, its parser runs
 * several patterns and splits the string) is only asked about the other forms ('::', embedded IPv4).
 */
export function eightGroups(s: string): boolean {
  let groups = 1;
  let run = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 58) {
      if (run === 0) return false;
      groups++;
      run = 0;
    } else if (!isHex(c) || ++run > 4) return false;
  }
  return groups === 8 && run > 0;
}

function colons(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) === 58) n++;
  return n;
}

/** The colons an IPv6 match can open at: those with another colon at most five characters on. */
export function v6Triggers(colon: readonly number[]): number[] {
  const out: number[] = [];
  for (let k = 0; k + 1 < colon.length; k++) if (colon[k + 1] - colon[k] <= 5) out.push(colon[k]);
  return out;
}

/** V4 and the check that stands before it, for tests. */
export const v4Precheck = { V4, dottedRuns };

/** V6 and the start a trigger gives it, for tests. */
export const v6Pattern = { V6, v6Start: (text: string, i: number) => runStart(text, i, isHex, 4) };
