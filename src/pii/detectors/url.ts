import { parse } from 'tldts';
import { indexText } from '../prepass.js';
import type { Candidate, Detector } from '../types.js';
import { candidate, matchesAtStarts, trimTrailing } from './util.js';

/** URL: scheme:// or www. links whose host is an IP or a domain with a public suffix; tried where the pre-pass saw '://' or 'www.'. */
const CANDIDATE = /\b(?:(?:https?|ftp|wss?):\/\/|www\.)[^\s<>"'`{}|\\^]+/iy;

export const urlDetector: Detector = {
  types: ['URL'],
  detect(text, _ctx, index = indexText(text)) {
    const out: Candidate[] = [];
    for (const m of matchesAtStarts(CANDIDATE, text, index.link)) {
      const s = trimTrailing(m[0]);
      const withScheme = /^[a-z]+:\/\//i.test(s);
      const info = parse(withScheme ? s : 'http://' + s);
      if (!info.hostname) continue;
      if (!info.isIp && !(info.isIcann && info.domain)) continue;
      out.push(candidate('URL', m.index, m.index + s.length, withScheme ? 0.9 : 0.75));
    }
    return out;
  },
};
