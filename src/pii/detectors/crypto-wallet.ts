import type { Candidate, Detector } from '../types.js';
import { base58CheckValid, bech32Valid } from '../validators/bitcoin.js';

/** CRYPTO: Bitcoin addresses, accepted only when their Base58Check or Bech32(m) checksum holds. */
const LEGACY = /(?<![A-Za-z0-9])[13][1-9A-HJ-NP-Za-km-z]{25,34}(?![A-Za-z0-9])/g;
const SEGWIT = /(?<![A-Za-z0-9])(?:bc1|BC1)[02-9ac-hj-np-zAC-HJ-NP-Z]{11,71}(?![A-Za-z0-9])/g;

export const cryptoDetector: Detector = {
  types: ['CRYPTO'],
  detect(text) {
    const out: Candidate[] = [];
    for (const m of text.matchAll(LEGACY)) {
      if (base58CheckValid(m[0])) out.push({ type: 'CRYPTO', start: m.index, end: m.index + m[0].length, score: 1, subtype: 'bitcoin' });
    }
    for (const m of text.matchAll(SEGWIT)) {
      if (bech32Valid(m[0])) out.push({ type: 'CRYPTO', start: m.index, end: m.index + m[0].length, score: 1, subtype: 'bitcoin' });
    }
    return out;
  },
};
