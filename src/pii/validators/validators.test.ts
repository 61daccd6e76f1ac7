import { describe, expect, it } from 'vitest';
import { base58CheckValid, bech32Valid } from './bitcoin.js';
import { ibanMod97, ibanValid } from './iban.js';
import { cardIssuer, luhnValid } from './luhn.js';
import { namedValidator } from './registry.js';
import { ssnValid } from './ssn.js';

describe('Luhn and issuers', () => {
  it('accepts known test card numbers and rejects a changed digit', () => {
    for (const n of ['4111111111111111', '5555555555554444', '378282246310005', '6011111111111117', '3530111333300000']) {
      expect(luhnValid(n), n).toBe(true);
    }
    expect(luhnValid('4111111111111112')).toBe(false);
    expect(luhnValid('79927398713')).toBe(true);
    expect(luhnValid('79927398710')).toBe(false);
  });
  it('maps IIN ranges and lengths to issuers', () => {
    expect(cardIssuer('4111111111111111')).toBe('visa');
    expect(cardIssuer('2221000000000009')).toBe('mastercard');
    expect(cardIssuer('378282246310005')).toBe('amex');
    expect(cardIssuer('37828224631000')).toBeNull();
    expect(cardIssuer('9111111111111111')).toBeNull();
  });
});

describe('IBAN mod-97', () => {
  it('validates real-format IBANs of several countries', () => {
    for (const iban of ['DE89370400440532013000', 'GB82WEST12345698765432', 'FR1420041010050500013M02606', 'NL91ABNA0417164300', 'BE68539007547034']) {
      expect(ibanValid(iban), iban).toBe(true);
      expect(ibanMod97(iban)).toBe(1);
    }
  });
  it('rejects wrong check digits, wrong length and unknown countries', () => {
    expect(ibanValid('DE88370400440532013000')).toBe(false);
    expect(ibanValid('DE8937040044053201300')).toBe(false);
    expect(ibanValid('ZZ89370400440532013000')).toBe(false);
  });
});

describe('SSN rules', () => {
  it('accepts a plausible number', () => expect(ssnValid('536221234')).toBe(true));
  it.each(['000221234', '666221234', '900221234', '536001234', '536220000', '078051120', '123456789', '111111111'])('rejects %s', (n) => {
    expect(ssnValid(n)).toBe(false);
  });
});

describe('Bitcoin checksums', () => {
  it('Base58Check: P2PKH and P2SH addresses; a flipped character fails', () => {
    expect(base58CheckValid('1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2')).toBe(true);
    expect(base58CheckValid('3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy')).toBe(true);
    expect(base58CheckValid('1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN3')).toBe(false);
  });
  it('Bech32 (v0) and Bech32m (v1); a flipped character fails', () => {
    expect(bech32Valid('bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4')).toBe(true);
    expect(bech32Valid('bc1p5d7rjq7g6rdk2yhzks9smlaqtedr4dekq08ge8ztwac72sfr9rusxg3297')).toBe(true);
    expect(bech32Valid('bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5')).toBe(false);
  });
});

describe('named validators for custom recognizers', () => {
  it('exposes luhn and iban, and nothing inherited', () => {
    expect(namedValidator('luhn')?.('4111-1111-1111-1111')).toBe(true);
    expect(namedValidator('iban')?.('de89 3704 0044 0532 0130 00')).toBe(true);
    expect(namedValidator('toString')).toBeUndefined();
  });
});
