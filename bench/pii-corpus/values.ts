import { createHash } from 'node:crypto';
import { phoneNumber } from './phones.js';
import {
  fakerDE, fakerEN_IN, fakerEN_NG, fakerEN_US, fakerES, fakerFR, fakerIT, fakerNL, fakerPL, fakerPT_BR, fakerSV, fakerTR, fakerVI,
  type Faker,
} from '@faker-js/faker';

/**
 * Value generators for the labeled corpus. Everything is drawn from seeded
 * fakers, so the corpus is reproducible. Values are generated the way the real
 * thing looks (faker's locale formats, real checksums), not from the detector's
 * patterns.
 */
export const US = fakerEN_US;
export const NAME_FAKERS: Faker[] = [fakerEN_US, fakerDE, fakerFR, fakerES, fakerIT, fakerPL, fakerNL, fakerPT_BR, fakerTR, fakerVI, fakerEN_IN, fakerEN_NG, fakerSV];
const ALL = NAME_FAKERS;

/**
 * Dates (birthdays, recent timestamps) are drawn relative to this fixed day, not to the clock: otherwise
 * the same seed gave other timestamps on every run (faker counts "recent" from now, to the millisecond).
 */
const REFERENCE_DATE = '2026-06-01T00:00:00.000Z';

export function seedAll(seed: number): void {
  ALL.forEach((f, i) => {
    f.seed(seed * 31 + i);
    f.setDefaultRefDate(REFERENCE_DATE);
  });
}

const pick = <T>(xs: readonly T[]): T => US.helpers.arrayElement(xs);
const digits = (n: number) => US.string.numeric({ length: n, allowLeadingZeros: true });

export function personName(): { first: string; full: string } {
  const f = pick(NAME_FAKERS);
  const first = f.person.firstName();
  const last = f.person.lastName();
  return { first, full: `${first} ${last}` };
}

/** A phone number that a real numbering plan allows, written the way people write them (see phones.ts). */
export const phone = (): string => phoneNumber(US);

export function ssn(formatted: boolean): string {
  let area = US.number.int({ min: 1, max: 899 });
  if (area === 666) area = 667;
  const g = String(US.number.int({ min: 1, max: 99 })).padStart(2, '0');
  const s = String(US.number.int({ min: 1, max: 9999 })).padStart(4, '0');
  const a = String(area).padStart(3, '0');
  return formatted ? `${a}-${g}-${s}` : `${a}${g}${s}`;
}

export function card(): string {
  const issuer = pick(['visa', 'mastercard', 'amex', 'discover'] as const);
  const raw = US.finance.creditCardNumber({ issuer }).replace(/\D/g, '');
  const sep = pick(['', ' ', '-']);
  if (raw.length === 15) return [raw.slice(0, 4), raw.slice(4, 10), raw.slice(10)].join(sep);
  return raw.match(/.{1,4}/g)!.join(sep);
}

/** A 16-digit number that fails Luhn (a hard negative). */
export function badCard(): string {
  for (;;) {
    const d = '4' + digits(15);
    let sum = 0;
    for (let i = 0; i < 16; i++) {
      let x = +d[15 - i];
      if (i % 2) x = x * 2 > 9 ? x * 2 - 9 : x * 2;
      sum += x;
    }
    if (sum % 10 !== 0) return d.match(/.{4}/g)!.join(pick([' ', '-', '']));
  }
}

export const iban = () => US.finance.iban({ formatted: US.datatype.boolean() });
export const ipv4 = () => US.internet.ipv4();
export const ipv6 = () => US.internet.ipv6();
export const mac = () => US.internet.mac({ separator: pick([':', '-']) });
export const email = () => pick(NAME_FAKERS).internet.email();
export const url = () => `${US.internet.url().replace(/\/$/, '')}/${US.lorem.slug(2)}${US.datatype.boolean() ? `?id=${digits(5)}` : ''}`;

const B58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
const sha = (b: Buffer) => createHash('sha256').update(b).digest();

/** A checksum-valid legacy (P2PKH/P2SH) or SegWit v0 address with a random hash. */
export function bitcoin(): string {
  const hash = Buffer.from(US.string.hexadecimal({ length: 40, prefix: '' }), 'hex');
  if (US.datatype.boolean()) return bech32Address(hash);
  const body = Buffer.concat([Buffer.from([pick([0, 5])]), hash]);
  const full = Buffer.concat([body, sha(sha(body)).subarray(0, 4)]);
  let n = BigInt('0x' + full.toString('hex'));
  let out = '';
  while (n > 0n) {
    out = B58[Number(n % 58n)] + out;
    n /= 58n;
  }
  for (const b of full) if (b === 0) out = '1' + out;
  else break;
  return out;
}

function bech32Address(hash: Buffer): string {
  const CH = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';
  const GEN = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];
  const poly = (v: number[]) => v.reduce((chk, x) => {
    const top = chk >>> 25;
    let c = ((chk & 0x1ffffff) << 5) ^ x;
    for (let i = 0; i < 5; i++) if ((top >>> i) & 1) c ^= GEN[i];
    return c >>> 0;
  }, 1);
  const data = [0];
  let acc = 0;
  let bits = 0;
  for (const b of hash) {
    acc = (acc << 8) | b;
    bits += 8;
    while (bits >= 5) data.push((acc >>> (bits -= 5)) & 31);
  }
  if (bits) data.push((acc << (5 - bits)) & 31);
  const hrp = [3, 3, 0, 2, 3];
  const mod = poly([...hrp, ...data, 0, 0, 0, 0, 0, 0]) ^ 1;
  const check = [0, 1, 2, 3, 4, 5].map((i) => (mod >>> (5 * (5 - i))) & 31);
  return 'bc1' + [...data, ...check].map((x) => CH[x]).join('');
}

export function secret(): string {
  const an = (n: number) => US.string.alphanumeric({ length: n });
  const jwtPart = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return pick([
    () => 'AKIA' + US.string.alphanumeric({ length: 16, casing: 'upper' }).replace(/[0189]/g, 'Q'),
    () => 'ghp_' + an(36),
    () => 'sk_live_' + an(24),
    () => 'xoxb-' + digits(11) + '-' + digits(12) + '-' + an(24),
    () => `wdn_${an(8)}_${an(32)}`,
    () => `${jwtPart({ alg: 'HS256', typ: 'JWT' })}.${jwtPart({ sub: digits(8), name: US.person.firstName() })}.${US.string.alphanumeric(43)}`,
    () => 'AIza' + an(35),
  ])();
}

export function date(kind: 'dob' | 'ts'): string {
  const d = kind === 'dob' ? US.date.birthdate() : US.date.recent({ days: 400 });
  if (kind === 'ts') {
    const iso = d.toISOString();
    return pick([iso, iso.slice(0, 19) + 'Z', iso.slice(0, 19).replace('T', ' '), iso.slice(0, 10)]);
  }
  const M = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
  const [y, m, day] = [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()];
  const p = (x: number) => String(x).padStart(2, '0');
  return pick([`${p(m)}/${p(day)}/${y}`, `${M[m - 1]} ${day}, ${y}`, `${y}-${p(m)}-${p(day)}`, `${p(day)}.${p(m)}.${y}`, `${day} ${M[m - 1]} ${y}`]);
}

export function usAddress(): string {
  return `${US.location.streetAddress()}, ${US.location.city()}, ${US.location.state({ abbreviated: true })} ${US.location.zipCode('#####')}`;
}

export function euAddress(): string {
  const f = pick([fakerDE, fakerFR, fakerNL]);
  return `${f.location.streetAddress()}, ${f.location.zipCode()} ${f.location.city()}`;
}

export { digits, pick };
