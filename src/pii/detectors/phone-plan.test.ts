import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import examples from 'libphonenumber-js/mobile/examples';
import { describe, expect, it } from 'vitest';
import { DEFAULT_REGIONS } from '../detector.js';
import { planOf, validDigits } from './phone-plan.js';

/** The fast path must say exactly what libphonenumber-js says, on valid and invalid numbers alike. */
let seed = 12345;
const rnd = (n: number) => {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed % n;
};
const mutate = (d: string): string => {
  const a = d.split('');
  const k = rnd(4);
  if (k === 0) a[rnd(a.length)] = String(rnd(10));
  else if (k === 1) a.splice(rnd(a.length), 1);
  else if (k === 2) a.splice(rnd(a.length + 1), 0, String(rnd(10)));
  else for (let i = Math.max(1, a.length - 4); i < a.length; i++) a[i] = String(rnd(10));
  return a.join('');
};

const REGIONS = [...DEFAULT_REGIONS, 'GB', 'CA', 'CH', 'NO', 'AU', 'JP', 'BR', 'IN'];
const ex = examples as Record<string, string>;

describe('phone plan: agrees with libphonenumber-js', () => {
  it.each(REGIONS)('%s national and international forms', (region) => {
    const plan = planOf(region);
    expect(plan).not.toBeNull();
    const sample = parsePhoneNumberFromString(ex[region], region as CountryCode)!;
    const national = sample.formatNational().replace(/\D/g, '');
    const nsn = sample.nationalNumber as string;
    const inputs = [national, nsn];
    for (let i = 0; i < 150; i++) inputs.push(mutate(i % 2 ? national : nsn));
    const disagreements: string[] = [];
    let decided = 0;
    let valid = 0;
    for (const digits of inputs) {
      const lib = parsePhoneNumberFromString(digits, region as CountryCode)?.isValid() ?? false;
      const fast = validDigits(digits, region);
      if (fast !== undefined) decided++;
      if (fast !== undefined && fast !== lib) disagreements.push(`national ${digits}: lib ${lib}`);
      const intl = plan!.callingCode + mutate(nsn);
      const libI = parsePhoneNumberFromString('+' + intl)?.isValid() ?? false;
      const fastI = validDigits(intl, null);
      if (fastI !== undefined && fastI !== libI) disagreements.push(`+${intl}: lib ${libI}`);
      if (lib) valid++;
    }
    expect(disagreements).toEqual([]);
    // plans with a national prefix transform rule (AU, BR …) may defer to the library
    if (!['AU', 'JP', 'BR'].includes(region)) expect(decided).toBe(inputs.length);
    expect(valid).toBeGreaterThan(0);
  });

  it('shared calling codes: the country found by leading digits or by type (+1, +7, +44)', () => {
    // random numbers of the right length for regions that share their calling code with others
    const disagreements: string[] = [];
    let valid = 0;
    for (const [region, code, len] of [['US', '1', 10], ['CA', '1', 10], ['PR', '1', 10], ['JM', '1', 10], ['RU', '7', 10], ['KZ', '7', 10], ['GB', '44', 10], ['GG', '44', 10]] as const) {
      for (let i = 0; i < 400; i++) {
        const nsn = String(2 + rnd(8)) + Array.from({ length: len - 1 }, () => String(rnd(10))).join('');
        const lib = parsePhoneNumberFromString(nsn, region as CountryCode)?.isValid() ?? false;
        const fast = validDigits(nsn, region);
        // undefined: a plan the fast path leaves to the library
        if (fast !== undefined && fast !== lib) disagreements.push(`${region} ${nsn}: lib ${lib}`);
        const libI = parsePhoneNumberFromString('+' + code + nsn)?.isValid() ?? false;
        const fastI = validDigits(code + nsn, null);
        if (fastI !== undefined && fastI !== libI) disagreements.push(`+${code}${nsn}: lib ${libI}`);
        if (lib) valid++;
      }
    }
    expect(disagreements).toEqual([]);
    expect(valid).toBeGreaterThan(300);
  });

  it('every region with an example number: national and international forms, mutated', () => {
    // the fast path's shortcuts (calling codes read as numbers, first-digit checks before patterns) on every plan
    const disagreements: string[] = [];
    let decided = 0;
    for (const region of Object.keys(ex)) {
      const plan = planOf(region);
      if (!plan) continue;
      const sample = parsePhoneNumberFromString(ex[region], region as CountryCode);
      if (!sample) continue;
      const nsn = sample.nationalNumber as string;
      for (let i = 0; i < 20; i++) {
        const national = i ? mutate(i % 2 ? nsn : '0' + nsn) : nsn;
        const fast = validDigits(national, region);
        if (fast !== undefined) decided++;
        if (fast !== undefined && fast !== (parsePhoneNumberFromString(national, region as CountryCode)?.isValid() ?? false)) disagreements.push(`${region} ${national}`);
        const intl = i % 5 === 4 ? '0' + plan.callingCode + nsn : plan.callingCode + (i ? mutate(nsn) : nsn);
        const fastI = validDigits(intl, null);
        if (fastI !== undefined && fastI !== (parsePhoneNumberFromString('+' + intl)?.isValid() ?? false)) disagreements.push(`+${intl}`);
      }
    }
    expect(disagreements).toEqual([]);
    expect(decided).toBeGreaterThan(3000);
  });

  it('rejects unknown calling codes and numbers of impossible length', () => {
    expect(validDigits('8330261191', null)).toBe(false);
    // no calling code starts with 0, and one digit holds no calling code and number
    for (const d of ['0491234567', '0012125550123', '07', '1', '']) expect(validDigits(d, null)).toBe(parsePhoneNumberFromString('+' + d)?.isValid() ?? false);
    expect(validDigits('4904667075209', null)).toBe(parsePhoneNumberFromString('+4904667075209')?.isValid() ?? false);
    expect(validDigits('0151234', 'DE')).toBe(false);
    expect(validDigits('015123456789', 'DE')).toBe(true);
  });
});
