import { describe, expect, it } from 'vitest';
import { createDetector } from './detector.js';

const d = createDetector();
/** The [type, matched text] pairs found in a text. */
const found = (text: string, opts = {}) => d.scan(text, opts).map((f) => [f.type, text.slice(f.start, f.end)]);
const typesIn = (text: string) => d.scan(text).map((f) => f.type);

describe('structured detectors: positives', () => {
  it.each([
    ['EMAIL_ADDRESS', 'write to jane.o-neil+tickets@mail.example.co.uk today', 'jane.o-neil+tickets@mail.example.co.uk'],
    ['PHONE_NUMBER', 'call me at (415) 555-2671 tomorrow', '(415) 555-2671'],
    ['PHONE_NUMBER', 'Tel: +44 20 7946 0958', '+44 20 7946 0958'],
    ['PHONE_NUMBER', 'Handy 0151 23456789 bitte', '0151 23456789'],
    ['PHONE_NUMBER', 'ring 0033 1 42 68 53 00 now', '0033 1 42 68 53 00'],
    ['US_SSN', 'SSN 536-22-1234 on file', '536-22-1234'],
    ['US_SSN', 'social security number: 536221234', '536221234'],
    ['CREDIT_CARD', 'card 4111-1111-1111-1111 expired', '4111-1111-1111-1111'],
    ['CREDIT_CARD', 'amex 3782 822463 10005', '3782 822463 10005'],
    ['IP_ADDRESS', 'login from 203.0.113.45 failed', '203.0.113.45'],
    ['IP_ADDRESS', 'peer 2001:db8::8a2e:370:7334 dropped', '2001:db8::8a2e:370:7334'],
    ['IBAN_CODE', 'IBAN: GB82 WEST 1234 5698 7654 32.', 'GB82 WEST 1234 5698 7654 32'],
    ['URL', 'see https://portal.example.com/tickets/42?x=1).', 'https://portal.example.com/tickets/42?x=1'],
    ['MAC_ADDRESS', 'device 3c:22:fb:9a:01:7e joined', '3c:22:fb:9a:01:7e'],
    ['CRYPTO', 'send to bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4 please', 'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4'],
    ['DATE_TIME', 'created 2024-03-01T10:22:33Z by the job', '2024-03-01T10:22:33Z'],
    ['DATE_TIME', 'DOB: March 3, 1985', 'March 3, 1985'],
    ['US_PASSPORT', 'passport number 912803456', '912803456'],
    ['US_BANK_NUMBER', 'checking account number 004512983344', '004512983344'],
    ['LOCATION', 'ship it to 742 Evergreen Terrace, Springfield, IL 62704 asap', '742 Evergreen Terrace, Springfield, IL 62704'],
    ['LOCATION', 'Adresse: Hauptstraße 12, 10115 Berlin', 'Hauptstraße 12, 10115 Berlin'],
  ])('%s in %j', (type, text, value) => {
    expect(found(text)).toContainEqual([type, value]);
  });

  it('marks a date of birth', () => {
    const [f] = d.scan('born 12/05/1979');
    expect(f).toMatchObject({ type: 'DATE_TIME', subtype: 'date_of_birth' });
    expect(f.score).toBeGreaterThan(0.9);
  });
});

describe('secrets', () => {
  const jwt = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U';
  it.each([
    ['aws_access_key', 'AKIAIOSFODNN7EXAMPLE'],
    ['github_token', 'ghp_' + 'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8'],
    ['slack_token', 'xoxb-1234567890-0987654321-AbCdEfGhIjKlMnOp'],
    ['stripe_key', 'sk_live_' + '4eC39HqLyjWDarjtT1zdp7dc'],
    ['jwt', jwt],
    ['warden_key', 'wdn_live_8f3k2j4h5g6f7d8s9a0q1w2e'],
    ['private_key', '-----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY-----'],
  ])('%s', (subtype, secret) => {
    const text = `config: ${secret} end`;
    const f = d.scan(text).find((x) => x.type === 'SECRET');
    expect(f?.subtype).toBe(subtype);
    expect(text.slice(f!.start, f!.end)).toBe(secret);
  });
  it('does not take a JWT-shaped string whose header is not JSON', () => {
    expect(typesIn('eyJxxxxxxxxxxxxxx.eyJyyyyyyyyyyyyyy.zzzzzzzzzzzzzzzzzzzz')).not.toContain('SECRET');
  });

  it('remembered JWT header verdicts stay right for headers seen before, many headers later', () => {
    const bad = 'eyJxxxxxxxxxxxxxx.eyJyyyyyyyyyyyyyy.zzzzzzzzzzzzzzzzzzzz';
    const header = (n: number) => Buffer.from(JSON.stringify(n % 3 ? { alg: `HS${n}` } : { typ: `JWT${n}` })).toString('base64url');
    // more distinct headers than the memo holds, each seen twice; one in three has no "alg"
    for (let round = 0; round < 2; round++) {
      for (let n = 0; n < 600; n++) {
        const token = `${header(n)}.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U`;
        expect(typesIn(`token ${token} end`).includes('SECRET'), `${n}`).toBe(n % 3 !== 0);
      }
      expect(typesIn(bad)).not.toContain('SECRET');
      expect(typesIn(`config: ${jwt} end`)).toContain('SECRET');
    }
  });
});

describe('hard negatives', () => {
  it.each([
    ['card-like number failing Luhn', 'card 4111 1111 1111 1112'],
    ['Luhn-valid but no issuer', 'ref 9000 0000 0000 0008'],
    ['9-digit order number', 'Order 482913746 has shipped'],
    ['invalid SSN area', 'id 666-12-3456'],
    ['SSN-shaped serial 0000', 'code 536-22-0000'],
    ['version string', 'upgrade to version 10.2.3.4 now'],
    ['semantic version', 'running v2.14.3-beta'],
    ['price', 'total $1,299.99 incl. tax'],
    ['UUID', 'request 3f2b8c1e-9d4a-4e5b-8c7d-1a2b3c4d5e6f failed'],
    ['email with unknown suffix', 'user@host.localdomain'],
    ['IBAN with bad check digits', 'IBAN DE88 3704 0044 0532 0130 00'],
    ['bitcoin-looking string with bad checksum', 'to 1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN3'],
    ['octet out of range', 'addr 300.1.2.3'],
    ['clock time', 'meeting at 10:30:45'],
    ['bare 9 digits without passport context', 'tracking 912803456'],
    ['epoch timestamp', 'ts=1712345678 ok'],
  ])('%s', (_why, text) => {
    expect(d.scan(text).filter((f) => f.type !== 'DATE_TIME' && f.type !== 'PERSON')).toEqual([]);
  });
});

describe('context, threshold, entities, overlaps', () => {
  it('context words raise a score', () => {
    const bare = d.scan('reach 536221234', { minScore: 0 }).find((f) => f.type === 'US_SSN');
    const withCtx = d.scan('ssn 536221234', { minScore: 0 }).find((f) => f.type === 'US_SSN');
    expect(bare).toBeUndefined();
    expect(withCtx!.score).toBeGreaterThanOrEqual(0.6);
  });
  it('a JSON field name counts as context', () => {
    expect(d.scan('536221234', { fieldHint: 'ssn' }).map((f) => f.type)).toEqual(['US_SSN']);
  });
  it('min_score drops weak findings and entities filters types', () => {
    const text = 'Try (415) 555-2671 or mail a@example.com';
    expect(d.scan(text, { minScore: 0.99 }).map((f) => f.type)).toEqual(['EMAIL_ADDRESS']);
    expect(d.scan(text, { entities: ['PHONE_NUMBER'] }).map((f) => f.type)).toEqual(['PHONE_NUMBER']);
    expect(() => d.scan(text, { entities: ['NOPE'] })).toThrow(/unknown entity/);
  });
  it('an entity list is honoured as it is at each scan, the same list object changed in place too', () => {
    const text = 'Try (415) 555-2671 or mail a@example.com';
    const types = (entities: string[]) => d.scan(text, { entities }).map((f) => f.type);
    const list = ['PHONE_NUMBER'];
    expect(types(list)).toEqual(['PHONE_NUMBER']);
    expect(types(list)).toEqual(['PHONE_NUMBER']);
    list[0] = 'EMAIL_ADDRESS';
    expect(types(list)).toEqual(['EMAIL_ADDRESS']);
    list.push('PHONE_NUMBER');
    expect(types(list)).toEqual(['PHONE_NUMBER', 'EMAIL_ADDRESS']);
    expect(types(['EMAIL_ADDRESS', 'PHONE_NUMBER'])).toEqual(['PHONE_NUMBER', 'EMAIL_ADDRESS']);
    list.push('NOPE');
    expect(() => types(list)).toThrow(/unknown entity/);
    expect(() => types(list)).toThrow(/unknown entity/);
    expect(types([])).toEqual([]);
  });
  it('the larger span wins over a contained finding', () => {
    expect(found('go to http://10.0.0.1/admin now')).toEqual([['URL', 'http://10.0.0.1/admin']]);
  });
  it('offsets index the string as JavaScript does (astral characters)', () => {
    const text = '😀😀 mail a@example.com';
    const [f] = d.scan(text);
    expect(text.slice(f.start, f.end)).toBe('a@example.com');
  });
});
