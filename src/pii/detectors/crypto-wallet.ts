import type { Candidate, Detector } from '../types.js';
import { base58CheckValid, bech32Valid } from '../validators/bitcoin.js';
import { matchesAfter } from './util.js';

/** CRYPTO: Bitcoin addresses, accepted only when their Base58Check or Bech32(m) checksum holds. */
/** Leading boundaries are checked in code (util.matchesAfter). */
const LEGACY = /[13][1-9A-HJ-NP-Za-km-z]{25,34}(?![A-Za-z0-9])/g;
const SEGWIT = /(?:bc1|BC1)[02-9ac-hj-np-zAC-HJ-NP-Z]{11,71}(?![A-Za-z0-9])/g;

export const cryptoDetector: Detector = {
  types: ['CRYPTO'],
  detect(text) {
    const out: Candidate[] = [];
    for (const m of matchesAfter(LEGACY, text, isAlnum)) {
      if (base58CheckValid(m[0])) out.push({ type: 'CRYPTO', start: m.index, end: m.index + m[0].length, score: 1, subtype: 'bitcoin' });
    }
    for (const m of matchesAfter(SEGWIT, text, isAlnum)) {
      if (bech32Valid(m[0])) out.push({ type: 'CRYPTO', start: m.index, end: m.index + m[0].length, score: 1, subtype: 'bitcoin' });
    }
    return out;
  },
};

const isAlnum = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
