import { parse } from 'tldts';
import { indexText } from '../prepass.js';
import type { Candidate, Detector } from '../types.js';
import { candidate } from './util.js';

/** EMAIL_ADDRESS: local@domain where the domain has valid labels and a public suffix from the PSL. */
/** Characters of the local part and of the domain, by ASCII code (nothing else qualifies). */
const LOCAL = new Uint8Array(128);
const DOMAIN = new Uint8Array(128);
for (const c of "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789.!#$%&'*+/=?^_`{|}~-") LOCAL[c.charCodeAt(0)] = 1;
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789.-') DOMAIN[c.charCodeAt(0)] = 1;
const isLocal = (c: number) => c < 128 && LOCAL[c] === 1;
const isDomain = (c: number) => c < 128 && DOMAIN[c] === 1;

export const emailDetector: Detector = {
  types: ['EMAIL_ADDRESS'],
  detect(text, _ctx, index = indexText(text)) {
    const out: Candidate[] = [];
    let from = 0;
    for (const at of index.at) {
      if (at < from) continue;
      from = at + 1;
      let s = at;
      while (s > 0 && at - s < 64 && isLocal(text.charCodeAt(s - 1))) s--;
      let e = at + 1;
      while (e < text.length && e - at < 255 && isDomain(text.charCodeAt(e))) e++;
      // no '.' (46) at either end of the address, nor a '-' (45) at the end of the domain
      while (s < at && text.charCodeAt(s) === 46) s++;
      while (e > at + 1 && (text.charCodeAt(e - 1) === 46 || text.charCodeAt(e - 1) === 45)) e--;
      if (s === at || e <= at + 3) continue;
      // "mongodb://admin:S3cret@cluster0.example.net": the password and host of a link, no address
      if (text.charCodeAt(s - 1) === 58 && afterUserName(text, s - 1)) continue;
      // the local part neither ends with a dot nor holds two in a row (read in the text, no slice)
      if (text.charCodeAt(at - 1) === 46 || hasDotPair(text, s, at)) continue;
      if (!validDomain(text.slice(at + 1, e).toLowerCase())) continue;
      out.push(candidate('EMAIL_ADDRESS', s, e, 1));
      from = e;
    }
    return out;
  },
};

/**
 * The ':' at `colon` ends the user name of a link ("scheme://user:"): a run of up to 64 characters other
 * than white space, '/', ':' and '@' stands between it and a '://'. ("mailto:" has no '//'.)
 */
function afterUserName(text: string, colon: number): boolean {
  let p = colon;
  while (p > 0 && colon - p <= 64) {
    const c = text.charCodeAt(p - 1);
    if (c === 47 || c === 58 || c === 64 || c === 32 || (c >= 9 && c <= 13)) break;
    p--;
  }
  return text.charCodeAt(p - 1) === 47 && text.charCodeAt(p - 2) === 47 && text.charCodeAt(p - 3) === 58;
}

/** Two dots in a row in text[from, to). */
function hasDotPair(text: string, from: number, to: number): boolean {
  for (let i = from + 1; i < to; i++) if (text.charCodeAt(i) === 46 && text.charCodeAt(i - 1) === 46) return true;
  return false;
}

/**
 * Domain verdicts remembered in two generations of DOMAIN_MEMO entries (the older is dropped when the
 * newer fills up): addresses in a text share a handful of domains, and the public-suffix lookup costs
 * more than the rest of the detector.
 */
const DOMAIN_MEMO = 1024;
let domains = new Map<string, boolean>();
let olderDomains = new Map<string, boolean>();

function validDomain(domain: string): boolean {
  let v = domains.get(domain);
  if (v !== undefined) return v;
  v = olderDomains.get(domain) ?? checkDomain(domain);
  if (domains.size >= DOMAIN_MEMO) {
    olderDomains = domains;
    domains = new Map();
  }
  domains.set(domain, v);
  return v;
}

function checkDomain(domain: string): boolean {
  const labels = domain.split('.');
  if (labels.length < 2) return false;
  for (const l of labels) if (!l || l.length > 63 || l.startsWith('-') || l.endsWith('-')) return false;
  const info = parse(domain, { allowPrivateDomains: false });
  return info.isIcann === true && info.domain !== null && !/^\d+$/.test(labels[labels.length - 1]);
}
