/** IBAN lengths per country (ISO 13616 registry) and the mod-97 check. */
export const IBAN_LENGTHS: Readonly<Record<string, number>> = {
  AD: 24, AE: 23, AL: 28, AT: 20, AZ: 28, BA: 20, BE: 16, BG: 22, BH: 22, BI: 27, BR: 29, BY: 28,
  CH: 21, CR: 22, CY: 28, CZ: 24, DE: 22, DJ: 27, DK: 18, DO: 28, EE: 20, EG: 29, ES: 24, FI: 18,
  FK: 18, FO: 18, FR: 27, GB: 22, GE: 22, GI: 23, GL: 18, GR: 27, GT: 28, HR: 21, HU: 28, IE: 22,
  IL: 23, IQ: 23, IS: 26, IT: 27, JO: 30, KW: 30, KZ: 20, LB: 28, LC: 32, LI: 21, LT: 20, LU: 20,
  LV: 21, LY: 25, MC: 27, MD: 24, ME: 22, MK: 19, MN: 20, MR: 27, MT: 31, MU: 30, NI: 28, NL: 18,
  NO: 15, OM: 23, PK: 24, PL: 28, PS: 29, PT: 25, QA: 29, RO: 24, RS: 22, RU: 33, SA: 24, SC: 31,
  SD: 18, SE: 24, SI: 19, SK: 24, SM: 27, SO: 23, ST: 25, SV: 28, TL: 23, TN: 24, TR: 26, UA: 29,
  VA: 22, VG: 24, XK: 20, YE: 30,
};

/** mod 97 of the rearranged IBAN (country + check digits moved to the end, letters as 10..35). */
export function ibanMod97(iban: string): number {
  const s = iban.slice(4) + iban.slice(0, 4);
  let rem = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) rem = (rem * 10 + (c - 48)) % 97;
    else if (c >= 65 && c <= 90) rem = (rem * 100 + (c - 55)) % 97;
    else return -1;
  }
  return rem;
}

/** LENGTHS by the two letters of the country code ((c0 - 65) * 26 + c1 - 65), 0 for an unknown country. */
const LENGTH_BY_CODE = new Uint8Array(26 * 26);
for (const [cc, n] of Object.entries(IBAN_LENGTHS)) LENGTH_BY_CODE[(cc.charCodeAt(0) - 65) * 26 + cc.charCodeAt(1) - 65] = n;

const isUpperAscii = (c: number) => c >= 65 && c <= 90;
const isDigit = (c: number) => c >= 48 && c <= 57;

/**
 * True for a compact upper-case IBAN with a known country, its length and mod-97 = 1: two capitals, two
 * digits, then capitals and digits only (checked in one walk that also computes the remainder).
 */
export function ibanValid(compact: string): boolean {
  const n = compact.length;
  if (n < 5) return false;
  const c0 = compact.charCodeAt(0);
  const c1 = compact.charCodeAt(1);
  if (!isUpperAscii(c0) || !isUpperAscii(c1) || !isDigit(compact.charCodeAt(2)) || !isDigit(compact.charCodeAt(3))) return false;
  if (LENGTH_BY_CODE[(c0 - 65) * 26 + c1 - 65] !== n) return false;
  // the BBAN first, then country code and check digits (ibanMod97's order)
  let rem = 0;
  for (let k = 4; k < n + 4; k++) {
    const c = compact.charCodeAt(k < n ? k : k - n);
    if (isDigit(c)) rem = (rem * 10 + (c - 48)) % 97;
    else if (isUpperAscii(c)) rem = (rem * 100 + (c - 55)) % 97;
    else return false;
  }
  return rem === 1;
}
