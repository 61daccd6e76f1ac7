import type { Candidate, Detector } from '../types.js';
import { base58CheckValid, bech32Valid } from '../validators/bitcoin.js';
import { indexText } from '../prepass.js';
import { candidate, matchesAtStarts } from './util.js';

/** CRYPTO: Bitcoin addresses, accepted only when their Base58Check or Bech32(m) checksum holds. */
/** Sticky, tried at the digit runs of the pre-pass that start with 1 or 3 (legacy) or follow 'bc' (segwit); leading boundaries in code. */
const LEGACY = /[13][1-9A-HJ-NP-Za-km-z]{25,34}(?![A-Za-z0-9])/y;
const SEGWIT = /(?:bc1|BC1)[02-9ac-hj-np-zAC-HJ-NP-Z]{11,71}(?![A-Za-z0-9])/y;

export const cryptoDetector: Detector = {
  types: ['CRYPTO'],
  detect(text, _ctx, index = indexText(text)) {
    const out: Candidate[] = [];
    const runs = index.digits;
    const legacy: number[] = [];
    const segwit: number[] = [];
    for (let k = 0; k < runs.length; k += 2) {
      const s = runs[k];
      const c = text.charCodeAt(s);
      if (c !== 49 && c !== 51) continue;
      // a legacy address has at least 25 Base58 characters after its first one
      if (base58Run(text, s + 1, 25) === 25) legacy.push(s);
      const b = text.charCodeAt(s - 2);
      const cc = text.charCodeAt(s - 1);
      if (c === 49 && ((b === 98 && cc === 99) || (b === 66 && cc === 67))) segwit.push(s - 2);
    }
    for (const m of matchesAtStarts(LEGACY, text, legacy, isAlnum)) {
      if (base58CheckValid(m[0])) out.push(candidate('CRYPTO', m.index, m.index + m[0].length, 1, 'bitcoin'));
    }
    for (const m of matchesAtStarts(SEGWIT, text, segwit, isAlnum)) {
      if (bech32Valid(m[0])) out.push(candidate('CRYPTO', m.index, m.index + m[0].length, 1, 'bitcoin'));
    }
    return out;
  },
};

/** Base58 characters by ASCII code. */
const B58 = new Uint8Array(128);
for (const ch of '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz') B58[ch.charCodeAt(0)] = 1;

/** How many Base58 characters follow from `from` on, counting up to `max`. */
function base58Run(text: string, from: number, max: number): number {
  let n = 0;
  while (n < max) {
    const c = text.charCodeAt(from + n);
    if (!(c < 128 && B58[c] === 1)) break;
    n++;
  }
  return n;
}

const isAlnum = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);

/** LEGACY with the check that stands before it, for tests. */
export const legacyPrecheck = { LEGACY, base58Run };
