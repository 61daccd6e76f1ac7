/**
 * US Social Security Number rules (SSA): area 001-665, 667-899; group 01-99;
 * serial 0001-9999; plus numbers the SSA never issues or that are famous samples.
 */
const NEVER_ISSUED = new Set(['078051120', '219099999', '123456789', '111111111', '333333333', '457555462']);

export function ssnValid(digits: string): boolean {
  if (!/^\d{9}$/.test(digits)) return false;
  const area = Number(digits.slice(0, 3));
  const group = Number(digits.slice(3, 5));
  const serial = Number(digits.slice(5));
  if (area === 0 || area === 666 || area >= 900) return false;
  if (group === 0 || serial === 0) return false;
  if (NEVER_ISSUED.has(digits)) return false;
  if (/^(\d)\1{8}$/.test(digits)) return false;
  return true;
}
