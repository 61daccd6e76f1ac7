/**
 * Seeded random text for the PII fast-path tests: a failing case replays exactly. An LCG taking the
 * high bits (the low bits of a power-of-two LCG repeat with a short period).
 */
export function seededText(seed: number) {
  const rnd = (n: number) => Math.floor(((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x80000000) * n);
  const pick = <T>(xs: readonly T[]): T => xs[rnd(xs.length)];
  /** 1 to `max` pieces, each picked at random, joined. */
  const randomText = (pieces: readonly string[], max = 30) => Array.from({ length: 1 + rnd(max) }, () => pick(pieces)).join('');
  return { rnd, pick, randomText };
}
