import type { LanguagePack } from '../types.js';
import { createPersonLexicon } from './person-lexicon.js';

/**
 * English context words. Lower case; matched as substrings of the few words
 * before a candidate and against JSON field names.
 */
export const en: LanguagePack = {
  code: 'en',
  context: {
    EMAIL_ADDRESS: ['email', 'e-mail', 'mail'],
    PHONE_NUMBER: ['phone', 'tel', 'call', 'mobile', 'cell', 'fax', 'whatsapp', 'sms', 'text me', 'reach', 'number is', 'my number', 'new number', 'old number'],
    US_SSN: ['ssn', 'social security', 'social sec', 'ss#', 'ss #', 'taxpayer', 'tin'],
    CREDIT_CARD: ['card', 'visa', 'mastercard', 'amex', 'credit', 'debit', 'cc', 'pan'],
    IP_ADDRESS: ['ip', 'address', 'host', 'server', 'client', 'from'],
    IBAN_CODE: ['iban', 'bank', 'account', 'transfer', 'wire'],
    US_PASSPORT: ['passport'],
    US_BANK_NUMBER: ['bank account', 'account number', 'account no', 'acct', 'checking', 'savings', 'routing', 'a/c'],
    DATE_TIME: ['date', 'born', 'dob', 'birthday', 'on', 'since'],
    SECRET: ['password', 'passwd', 'pwd', 'secret', 'token', 'api key', 'api_key', 'apikey', 'credential', 'private key'],
    MAC_ADDRESS: ['mac', 'hardware', 'ethernet', 'wifi', 'device'],
    CRYPTO: ['bitcoin', 'btc', 'wallet', 'crypto'],
    LOCATION: ['address', 'live', 'lives', 'located', 'ship', 'deliver', 'street', 'office'],
    PERSON: ['name', 'customer', 'contact', 'user', 'author', 'owner', 'assignee'],
  },
  negativeContext: [
    'order', 'invoice', 'ticket', 'case', 'ref', 'reference', 'tracking', 'sku', 'version', 'build', 'release',
    'v.', 'ver', 'id:', 'id ', 'po ', 'part', 'serial', 'model', 'batch', 'confirmation', 'transaction', 'job',
    // numbers of books and of phones and SIM cards, which sit next to "phone" in telecom tickets
    'isbn', 'issn', 'imei', 'imsi', 'iccid',
  ],
  birthContext: ['born', 'dob', 'd.o.b', 'date of birth', 'birth date', 'birthdate', 'birthday', 'b.'],
  // "max_tokens", "token_type" and "password_hint" do not end so; "bypass" is why 'pass' alone is not here
  secretFields: [
    'password', 'passwd', 'pwd', 'passphrase', 'passcode', 'secret', 'secretkey', 'secretaccesskey', 'apikey', 'apitoken',
    'token', 'accesstoken', 'refreshtoken', 'authtoken', 'bearertoken', 'sessiontoken', 'idtoken', 'privatekey', 'credential', 'credentials',
    'connectionstring', 'pin',
  ],
  person: createPersonLexicon(),
};
