/** Bitcoin address checksums: Base58Check (P2PKH/P2SH) and Bech32/Bech32m (SegWit, BIP 173/350). */
const B58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
/** Base58 digit by character code (ASCII), -1 for any other character. */
const B58_VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < B58.length; i++) B58_VALUE[B58.charCodeAt(i)] = i;

/**
 * The number a legacy address spells, in 24-bit limbs, least significant first: a limb times 58 plus a
 * carry stays a small integer. 25 bytes are 8 limbs of three bytes (bytes 1-24) and a ninth holding
 * byte 0, the version, alone. Reused by every call (no allocation per address).
 */
const LIMBS = 9;
const limbs = new Int32Array(LIMBS);

/**
 * Decodes a Base58 string into `limbs`; false when it has another character or does not decode to
 * exactly 25 bytes (one leading zero byte per leading '1', then the number big-endian, at least one byte).
 */
function base58Decode25(s: string): boolean {
  limbs.fill(0);
  for (let k = 0; k < s.length; k++) {
    const c = s.charCodeAt(k);
    const v = c < 128 ? B58_VALUE[c] : -1;
    if (v < 0) return false;
    let carry = v;
    for (let j = 0; j < LIMBS; j++) {
      const x = limbs[j] * 58 + carry;
      limbs[j] = x & 0xffffff;
      carry = x >>> 24;
    }
    // the number alone needs more than 25 bytes (it never shrinks, so this holds from here on)
    if (limbs[LIMBS - 1] > 0xff || carry > 0) return false;
  }
  let zeros = 0;
  while (zeros < s.length && s.charCodeAt(zeros) === 49) zeros++;
  return numberBytes() + zeros === 25;
}

/** Bytes the decoded number takes big-endian without leading zero bytes, at least one (a zero value is written as a single 0). */
function numberBytes(): number {
  for (let j = LIMBS - 1; j >= 0; j--) {
    const v = limbs[j];
    if (v !== 0) return 3 * j + (v > 0xffff ? 3 : v > 0xff ? 2 : 1);
  }
  return 1;
}

/** A legacy address: version byte 0x00 or 0x05, 20-byte hash, valid double-SHA256 checksum. */
export function base58CheckValid(address: string): boolean {
  if (!base58Decode25(address)) return false;
  const version = limbs[8];
  if (version !== 0x00 && version !== 0x05) return false;
  // bytes 0-20 (the version and the hash) as big-endian words: byte 0, then three bytes per limb from limb 7 down
  W.fill(0, 0, 16);
  W[0] = (version << 24) | limbs[7];
  W[1] = (limbs[6] << 8) | (limbs[5] >>> 16);
  W[2] = (limbs[5] << 16) | (limbs[4] >>> 8);
  W[3] = (limbs[4] << 24) | limbs[3];
  W[4] = (limbs[2] << 8) | (limbs[1] >>> 16);
  W[5] = (((limbs[1] >>> 8) & 0xff) << 24) | 0x800000;
  W[15] = 21 * 8;
  sha256Block();
  // the second hash reads the first one's eight words as they are
  for (let i = 0; i < 8; i++) W[i] = STATE[i];
  W[8] = 0x80000000;
  W.fill(0, 9, 15);
  W[15] = 32 * 8;
  sha256Block();
  // the checksum (bytes 21-24: the low byte of limb 1, then limb 0) is the first four bytes of the second hash
  return STATE[0] === (((limbs[1] & 0xff) << 24) | limbs[0]);
}

/*
 * SHA-256 (FIPS 180-4) of at most 55 bytes, which fit one padded block: the two hashes of a checksum
 * (21, then 32 bytes) cost far less here than a round trip to the native hash. validators.test.ts
 * checks it against node:crypto.
 */
const K = new Int32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
  0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
  0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);
const H0 = new Int32Array([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);
/** The message schedule; its first 16 words are the padded block to hash. */
const W = new Int32Array(64);
/** The hash sha256Block leaves: eight big-endian words. */
const STATE = new Int32Array(8);

/** SHA-256 of the single padded block in W[0..15] (message, 0x80, zeros, bit length), into STATE. */
function sha256Block(): void {
  for (let t = 16; t < 64; t++) {
    const a = W[t - 15];
    const b = W[t - 2];
    const s0 = ((a >>> 7) | (a << 25)) ^ ((a >>> 18) | (a << 14)) ^ (a >>> 3);
    const s1 = ((b >>> 17) | (b << 15)) ^ ((b >>> 19) | (b << 13)) ^ (b >>> 10);
    W[t] = (W[t - 16] + s0 + W[t - 7] + s1) | 0;
  }
  let a = H0[0];
  let b = H0[1];
  let c = H0[2];
  let d = H0[3];
  let e = H0[4];
  let f = H0[5];
  let g = H0[6];
  let h = H0[7];
  for (let t = 0; t < 64; t++) {
    const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const ch = (e & f) ^ (~e & g);
    const t1 = (h + S1 + ch + K[t] + W[t]) | 0;
    const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const maj = (a & b) ^ (a & c) ^ (b & c);
    const t2 = (S0 + maj) | 0;
    h = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  STATE[0] = a + H0[0];
  STATE[1] = b + H0[1];
  STATE[2] = c + H0[2];
  STATE[3] = d + H0[3];
  STATE[4] = e + H0[4];
  STATE[5] = f + H0[5];
  STATE[6] = g + H0[6];
  STATE[7] = h + H0[7];
}

/** SHA-256 of `msg` (at most 55 bytes). */
export function sha256Short(msg: Uint8Array): Uint8Array {
  const n = msg.length;
  if (n > 55) throw new RangeError('sha256Short takes at most 55 bytes');
  W.fill(0, 0, 16);
  for (let i = 0; i < n; i++) W[i >> 2] |= msg[i] << (24 - 8 * (i & 3));
  W[n >> 2] |= 0x80 << (24 - 8 * (n & 3));
  W[15] = n * 8;
  sha256Block();
  const out = new Uint8Array(32);
  for (let i = 0; i < 8; i++) {
    const v = STATE[i];
    out[4 * i] = v >>> 24;
    out[4 * i + 1] = (v >>> 16) & 0xff;
    out[4 * i + 2] = (v >>> 8) & 0xff;
    out[4 * i + 3] = v & 0xff;
  }
  return out;
}

const CHARSET = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';
/** Bech32 value by ASCII code of either case, -1 for any other character. */
const BECH32_VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < CHARSET.length; i++) {
  BECH32_VALUE[CHARSET.charCodeAt(i)] = i;
  BECH32_VALUE[CHARSET.toUpperCase().charCodeAt(i)] = i;
}
const GEN = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];
/** The generators XOR-ed together for each value of the five bits shifted out of a step (bit i takes GEN[i]). */
const GEN_BY_TOP = new Int32Array(32);
for (let top = 0; top < 32; top++) for (let i = 0; i < 5; i++) if ((top >>> i) & 1) GEN_BY_TOP[top] ^= GEN[i];

/** The checksum state after the expanded human-readable part "bc" (high bits, 0, low bits). */
const BC_CHECKSUM = [3, 3, 0, 2, 3].reduce(polymodStep, 1);
/** The Kelvin sign: upper case, and lower-cases to an ASCII 'k' (the only non-ASCII character that does). */
const KELVIN = 0x212a;

/** One step of the BCH checksum. */
function polymodStep(chk: number, v: number): number {
  return ((chk & 0x1ffffff) << 5) ^ v ^ GEN_BY_TOP[chk >>> 25];
}

/**
 * A SegWit address on mainnet (bc1…): bech32 for witness v0, bech32m for v1+. One case throughout,
 * read in one walk without a lower-cased copy (the Kelvin sign counts as an upper-case 'k', as
 * toLowerCase would have it).
 */
export function bech32Valid(address: string): boolean {
  const n = address.length;
  if (n < 10 || n > 90) return false;
  const b = address.charCodeAt(0);
  const c = address.charCodeAt(1);
  const lower = b === 98 && c === 99;
  if (!(lower || (b === 66 && c === 67)) || address.charCodeAt(2) !== 49) return false;
  let chk = BC_CHECKSUM;
  let version = -1;
  for (let k = 3; k < n; k++) {
    let ch = address.charCodeAt(k);
    if (ch === KELVIN && !lower) ch = 75;
    const v = ch < 128 ? BECH32_VALUE[ch] : -1;
    // a character outside the charset (this takes a second '1' too), or a letter of the other case
    if (v < 0 || (ch >= 65 && ch >= 97 !== lower)) return false;
    if (version < 0) version = v;
    chk = polymodStep(chk, v);
  }
  const check = chk >>> 0;
  if (version === 0) return check === 1;
  return version <= 16 && check === 0x2bc830a3;
}
