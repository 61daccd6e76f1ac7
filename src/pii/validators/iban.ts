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
  return ibanCheck(compact, 0, compact.length, false);
}

/**
 * ibanValid of text[start, end) with every space and hyphen dropped (how an IBAN is written in groups),
 * read in place: no compact copy.
 */
export function ibanValidSpaced(text: string, start: number, end: number): boolean {
  return ibanCheck(text, start, end, true);
}

/** A space or hyphen, what may stand between the groups of a written IBAN. */
export const isIbanSeparator = (c: number) => c === 32 || c === 45;

/**
 * The check of ibanValid over s[start, end), skipping spaces and hyphens when `spaced`. The first four
 * characters are kept aside and folded in after the BBAN (ibanMod97's order), so the walk is one pass.
 */
function ibanCheck(s: string, start: number, end: number, spaced: boolean): boolean {
  let n = 0;
  let c0 = 0;
  let c1 = 0;
  let c2 = 0;
  let c3 = 0;
  let rem = 0;
  for (let k = start; k < end; k++) {
    const c = s.charCodeAt(k);
    if (spaced && isIbanSeparator(c)) continue;
    if (n >= 4) {
      if (isDigit(c)) rem = (rem * 10 + (c - 48)) % 97;
      else if (isUpperAscii(c)) rem = (rem * 100 + (c - 55)) % 97;
      else return false;
    } else if (n === 0) c0 = c;
    else if (n === 1) {
      c1 = c;
      // an unknown country needs no further reading
      if (!isUpperAscii(c0) || !isUpperAscii(c1) || LENGTH_BY_CODE[(c0 - 65) * 26 + c1 - 65] === 0) return false;
    } else if (n === 2) c2 = c;
    else c3 = c;
    n++;
  }
  if (n < 5 || !isDigit(c2) || !isDigit(c3) || LENGTH_BY_CODE[(c0 - 65) * 26 + c1 - 65] !== n) return false;
  // then the country code's letters and the check digits
  rem = (rem * 100 + (c0 - 55)) % 97;
  rem = (rem * 100 + (c1 - 55)) % 97;
  rem = (rem * 10 + (c2 - 48)) % 97;
  rem = (rem * 10 + (c3 - 48)) % 97;
  return rem === 1;
}
