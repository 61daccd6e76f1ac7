/** Luhn (mod 10) checksum over a string of digits. */
export function luhnValid(digits: string): boolean {
  return luhnCheck(digits, 0, digits.length, false);
}

/**
 * luhnValid of the ASCII digits of text[start, end) with every other character dropped (a card number
 * written in groups), read in place: no string of the digits.
 */
export function luhnValidIn(text: string, start: number, end: number): boolean {
  return luhnCheck(text, start, end, true);
}

/** Luhn over s[start, end) from the right: two or more ASCII digits, anything else skipped when `skipOthers` or else a failure. */
function luhnCheck(s: string, start: number, end: number, skipOthers: boolean): boolean {
  let sum = 0;
  let count = 0;
  for (let i = end - 1; i >= start; i--) {
    let d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) {
      if (skipOthers) continue;
      return false;
    }
    // every second digit from the right is doubled
    if (count & 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    count++;
  }
  return count >= 2 && sum % 10 === 0;
}

export type CardIssuer = 'amex' | 'visa' | 'mastercard' | 'discover' | 'diners' | 'jcb' | 'unionpay' | 'maestro';

/** The issuer whose IIN range and length fit the number, or null. */
export function cardIssuer(digits: string): CardIssuer | null {
  const n = digits.length;
  let p2: number;
  let p3: number;
  let p4: number;
  let p6: number;
  if (n >= 6 && leadingDigits(digits, 6)) {
    // the prefixes as numbers without a slice each (what Number(slice) gives for digits)
    p2 = (digits.charCodeAt(0) - 48) * 10 + digits.charCodeAt(1) - 48;
    p3 = p2 * 10 + digits.charCodeAt(2) - 48;
    p4 = p3 * 10 + digits.charCodeAt(3) - 48;
    p6 = (p4 * 10 + digits.charCodeAt(4) - 48) * 10 + digits.charCodeAt(5) - 48;
  } else {
    p2 = Number(digits.slice(0, 2));
    p3 = Number(digits.slice(0, 3));
    p4 = Number(digits.slice(0, 4));
    p6 = Number(digits.slice(0, 6));
  }
  if ((p2 === 34 || p2 === 37) && n === 15) return 'amex';
  if (digits[0] === '4' && (n === 13 || n === 16 || n === 19)) return 'visa';
  if (((p2 >= 51 && p2 <= 55) || (p4 >= 2221 && p4 <= 2720)) && n === 16) return 'mastercard';
  if ((p4 === 6011 || (p3 >= 644 && p3 <= 649) || p2 === 65 || (p6 >= 622126 && p6 <= 622925)) && n >= 16 && n <= 19) return 'discover';
  if (((p3 >= 300 && p3 <= 305) || p2 === 36 || p2 === 38 || p2 === 39) && n >= 14 && n <= 19) return 'diners';
  if (p4 >= 3528 && p4 <= 3589 && n >= 16 && n <= 19) return 'jcb';
  if (p2 === 62 && n >= 16 && n <= 19) return 'unionpay';
  if ((p2 === 50 || (p2 >= 56 && p2 <= 69)) && n >= 12 && n <= 19) return 'maestro';
  return null;
}

/** The first k code units are ASCII digits. */
function leadingDigits(s: string, k: number): boolean {
  for (let i = 0; i < k; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}
