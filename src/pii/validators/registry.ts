import { bech32Valid, base58CheckValid } from './bitcoin.js';
import { ibanValid } from './iban.js';
import { cardIssuer, luhnValid } from './luhn.js';
import { ssnValid } from './ssn.js';

/** Validators a custom recognizer may name in configuration. Input is the matched text. */
export const NAMED_VALIDATORS: Readonly<Record<string, (match: string) => boolean>> = {
  luhn: (m) => luhnValid(m.replace(/[\s-]/g, '')),
  credit_card: (m) => {
    const d = m.replace(/[\s-]/g, '');
    return luhnValid(d) && cardIssuer(d) !== null;
  },
  iban: (m) => ibanValid(m.replace(/\s/g, '').toUpperCase()),
  us_ssn: (m) => ssnValid(m.replace(/[\s-]/g, '')),
  bitcoin: (m) => base58CheckValid(m) || bech32Valid(m),
  digits_not_repeated: (m) => !/^(\d)\1*$/.test(m.replace(/\D/g, '')),
};

export function namedValidator(name: string): ((match: string) => boolean) | undefined {
  return Object.prototype.hasOwnProperty.call(NAMED_VALIDATORS, name) ? NAMED_VALIDATORS[name] : undefined;
}
