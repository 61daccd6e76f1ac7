import { hash } from 'node:crypto';

/** Bitcoin address checksums: Base58Check (P2PKH/P2SH) and Bech32/Bech32m (SegWit, BIP 173/350). */
const B58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
/** Base58 digit by character code (ASCII), -1 for any other character. */
const B58_VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < B58.length; i++) B58_VALUE[B58.charCodeAt(i)] = i;

/** A legacy address decodes to exactly this many bytes. */
const LEGACY_BYTES = 25;

/**
 * The 25 bytes a Base58 string decodes to (one leading zero byte per leading '1', then the number
 * big-endian), or null when it has another character or decodes to any other length.
 */
function base58Decode25(s: string): Uint8Array | null {
  const out = new Uint8Array(LEGACY_BYTES);
  for (let k = 0; k < s.length; k++) {
    const c = s.charCodeAt(k);
    const v = c < 128 ? B58_VALUE[c] : -1;
    if (v < 0) return null;
    let carry = v;
    for (let j = LEGACY_BYTES - 1; j >= 0; j--) {
      carry += out[j] * 58;
      out[j] = carry & 0xff;
      carry >>= 8;
    }
    if (carry > 0) return null; // the number alone needs more than 25 bytes
  }
  let zeros = 0;
  while (zeros < s.length && s.charCodeAt(zeros) === 49) zeros++;
  let lead = 0;
  while (lead < LEGACY_BYTES && out[lead] === 0) lead++;
  // the number takes at least one byte (a zero value is written as a single 0)
  const numberBytes = Math.max(1, LEGACY_BYTES - lead);
  return numberBytes + zeros === LEGACY_BYTES ? out : null;
}

const sha256 = (b: Uint8Array) => hash('sha256', b, 'buffer');

/** A legacy address: version byte 0x00 or 0x05, 20-byte hash, valid double-SHA256 checksum. */
export function base58CheckValid(address: string): boolean {
  const raw = base58Decode25(address);
  if (!raw) return false;
  if (raw[0] !== 0x00 && raw[0] !== 0x05) return false;
  const check = sha256(sha256(raw.subarray(0, 21)));
  return check[0] === raw[21] && check[1] === raw[22] && check[2] === raw[23] && check[3] === raw[24];
}

const CHARSET = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';
const GEN = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];

/** One step of the BCH checksum. */
function polymodStep(chk: number, v: number): number {
  const top = chk >>> 25;
  chk = ((chk & 0x1ffffff) << 5) ^ v;
  for (let i = 0; i < 5; i++) if ((top >>> i) & 1) chk ^= GEN[i];
  return chk;
}

/** A SegWit address on mainnet (bc1…): bech32 for witness v0, bech32m for v1+. */
export function bech32Valid(address: string): boolean {
  if (address !== address.toLowerCase() && address !== address.toUpperCase()) return false;
  const a = address.toLowerCase();
  const pos = a.lastIndexOf('1');
  if (pos !== 2 || a.charCodeAt(0) !== 98 || a.charCodeAt(1) !== 99 || a.length - pos - 1 < 7 || a.length > 90) return false;
  // the expanded human-readable part "bc": high bits, 0, low bits
  let chk = 1;
  for (let k = 0; k < pos; k++) chk = polymodStep(chk, a.charCodeAt(k) >> 5);
  chk = polymodStep(chk, 0);
  for (let k = 0; k < pos; k++) chk = polymodStep(chk, a.charCodeAt(k) & 31);
  let version = -1;
  for (let k = pos + 1; k < a.length; k++) {
    const v = CHARSET.indexOf(a[k]);
    if (v < 0) return false;
    if (version < 0) version = v;
    chk = polymodStep(chk, v);
  }
  const check = chk >>> 0;
  if (version === 0) return check === 1;
  return version <= 16 && check === 0x2bc830a3;
}
