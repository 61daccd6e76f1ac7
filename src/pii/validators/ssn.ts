/**
 * US Social Security Number rules (SSA): area 001-665, 667-899; group 01-99;
 * serial 0001-9999; plus numbers the SSA never issues or that are famous samples.
 */
const NEVER_ISSUED = new Set(['078051120', '219099999', '123456789', '111111111', '333333333', '457555462']);

const digitAt = (s: string, i: number) => s.charCodeAt(i) - 48;

/** Nine ASCII digits passing the rules above (one walk over the string, no pattern). */
export function ssnValid(digits: string): boolean {
  if (digits.length !== 9) return false;
  const first = digits.charCodeAt(0);
  let same = true;
  for (let i = 0; i < 9; i++) {
    const c = digits.charCodeAt(i);
    if (c < 48 || c > 57) return false;
    if (c !== first) same = false;
  }
  // every digit the same ("333333333")
  if (same) return false;
  const area = digitAt(digits, 0) * 100 + digitAt(digits, 1) * 10 + digitAt(digits, 2);
  const group = digitAt(digits, 3) * 10 + digitAt(digits, 4);
  const serial = digitAt(digits, 5) * 1000 + digitAt(digits, 6) * 100 + digitAt(digits, 7) * 10 + digitAt(digits, 8);
  if (area === 0 || area === 666 || area >= 900) return false;
  if (group === 0 || serial === 0) return false;
  return !NEVER_ISSUED.has(digits);
}
