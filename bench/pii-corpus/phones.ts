import examples from 'libphonenumber-js/mobile/examples';
import { getExampleNumber, Metadata, parsePhoneNumberFromString, type CountryCode, type NumberType } from 'libphonenumber-js/max';
import type { Faker } from '@faker-js/faker';

/**
 * Phone numbers for the labeled corpus. A number labeled as PII must exist in a real
 * numbering plan, so each one is drawn at random (digits of a possible length for
 * the region) and kept only when libphonenumber-js's full metadata says it is a valid
 * fixed-line or mobile number. It is then written in one of the ways people write
 * numbers: the national and international formats, E.164, 00 instead of +, other
 * separators (dashes, dots, slashes, none). Regions: the US and the EU member
 * states, the detector's documented default scope.
 */
const REGIONS: readonly (readonly [CountryCode, number])[] = [
  ['US', 10], ['DE', 4], ['FR', 4], ['ES', 3], ['IT', 3], ['NL', 3], ['PL', 2], ['SE', 2], ['AT', 1], ['BE', 1], ['IE', 1],
  ['PT', 1], ['DK', 1], ['FI', 1], ['CZ', 1], ['GR', 1],
];
const KINDS = new Set<NumberType>(['MOBILE', 'FIXED_LINE', 'FIXED_LINE_OR_MOBILE']);
const meta = new (Metadata as unknown as new () => {
  selectNumberingPlan(c: string): void;
  numberingPlan: { possibleLengths(): number[]; callingCode(): string };
})();

function region(f: Faker): CountryCode {
  const total = REGIONS.reduce((n, [, w]) => n + w, 0);
  let x = f.number.int({ min: 0, max: total - 1 });
  for (const [r, w] of REGIONS) if ((x -= w) < 0) return r;
  return 'US';
}

/** A random valid number of the region (rejection sampling over possible lengths). */
function draw(f: Faker, r: CountryCode) {
  meta.selectNumberingPlan(r);
  const cc = meta.numberingPlan.callingCode();
  // lengths people meet: from two digits below the plan's example mobile number to one above,
  // and never longer than E.164 allows (the plans admit rare 4- and 15-digit numbers too)
  const example = (getExampleNumber(r, examples)?.nationalNumber as string | undefined)?.length ?? 9;
  const lengths = meta.numberingPlan.possibleLengths().filter((l) => l >= example - 2 && l <= example + 1 && cc.length + l <= 15);
  for (;;) {
    const nsn = f.string.numeric({ length: f.helpers.arrayElement(lengths), allowLeadingZeros: true });
    const n = parsePhoneNumberFromString('+' + cc + nsn);
    if (n && n.country === r && n.isValid() && KINDS.has(n.getType() as NumberType)) return n;
  }
}

export function phoneNumber(f: Faker): string {
  const r = region(f);
  const n = draw(f, r);
  const national = n.formatNational();
  const intl = n.formatInternational();
  const sep = (s: string, by: string) => s.replace(/ /g, by);
  if (r === 'US') {
    const d = n.nationalNumber as string;
    const [a, b, c] = [d.slice(0, 3), d.slice(3, 6), d.slice(6)];
    return f.helpers.arrayElement([national, national, `${a}-${b}-${c}`, `${a}.${b}.${c}`, `+1 ${a}-${b}-${c}`, `1-${a}-${b}-${c}`, n.number as string, intl]);
  }
  const styles = [national, national, sep(national, '-'), intl, intl, n.number as string, '00' + intl.slice(1), national.replace(/ /g, '')];
  // German and Austrian area code / subscriber with a slash: "030/1234567"
  if (r === 'DE' || r === 'AT') styles.push(national.replace(/ /, '/').replace(/ /g, ''));
  return f.helpers.arrayElement(styles);
}
