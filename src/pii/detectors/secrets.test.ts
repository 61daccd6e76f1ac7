import { describe, expect, it } from 'vitest';
import { seededText } from '../random-text.test-helpers.js';
import { en } from '../lang/en.js';
import { secretRules, secretsDetector } from './secrets.js';

const LONG = 'aB3dE5gH7jK9mN1pQ3sT5vW7yZ9bC2eF4hJ6kL8';
const PIECES = [
  'AKIA', 'akia', 'ASIA', 'aws', 'AWS', 'Aws', 'aWs', 'secret', 'SECRET', 'Key', 'password', 'PassWord', 'passwd', 'PWD', 'api_key', 'API-KEY', 'apikey',
  'access_token', 'Auth-Token', 'client_secret', 'CLIENT', 'ghp_', 'GHP_', 'github_pat_', 'glpat-', 'xoxb-', 'XOXB-', 'sk_live_', 'pk_test_', 'rk_', 'whsec_',
  'AIza', 'sk-', 'sk-ant-', 'sk-proj-', 'T3BlbkFJ', 'npm_', 'SG.', 'sg.', 'SK', 'sK', 'eyJ', 'wdn_', 'WDN_', ' ', ' ', '=', ': ', '"', '.', '-', '_', 'x', 'é',
  LONG, LONG.slice(0, 16), LONG.slice(0, 22), '0123456789abcdef0123456789abcdef', 'ABCDEFGHIJKLMNOP', 'QRSTUVWXYZ234567',
];
const { randomText } = seededText(5);

/** What each rule's pattern finds tried at every position of the text (no pre-pass, no literal lookup). */
function everyPosition(text: string): [string, number, number][] {
  const out: [string, number, number][] = [];
  for (const rule of secretRules) {
    let reach = 0;
    for (let p = 0; p < text.length; p++) {
      if (p < reach) continue;
      rule.re.lastIndex = p;
      const m = rule.re.exec(text);
      if (!m) continue;
      reach = p + m[0].length;
      const value = rule.group ? m[rule.group] : m[0];
      if (value === undefined || (rule.check && !rule.check(value, m))) continue;
      const start = m.index + (rule.group ? m[0].lastIndexOf(value) : 0);
      // two rules that find the same span report it once
      if (!out.some(([, s, e]) => s === start && e === start + value.length)) out.push([rule.subtype, start, start + value.length]);
    }
  }
  return out;
}

describe('secrets: literal openings', () => {
  it('finds what every rule finds tried at every position', () => {
    let matched = 0;
    for (let n = 0; n < 3000; n++) {
      const text = randomText(PIECES, 16);
      const expected = everyPosition(text);
      expect(secretsDetector.detect(text, { lang: en, regions: ['US'] }).map((c) => [c.subtype, c.start, c.end]), text).toEqual(expected);
      matched += expected.length;
    }
    expect(matched).toBeGreaterThan(300);
  });
});

describe('secrets: literals found by indexOf from their first letter', () => {
  it('private keys are found where every position finds them', () => {
    const { randomText: keyText } = seededText(31);
    const KEY = ['-----BEGIN RSA PRIVATE KEY-----', '-----END RSA PRIVATE KEY-----', '-----BEGIN PRIVATE KEY-----', '-----END PRIVATE KEY-----', '-----BEGIN ', '-----END ', '-----', '----', '-', 'BEGIN ', 'BEGIN', 'END ', 'RSA ', 'EC ', 'PRIVATE KEY', 'PRIVATE KEY-----', ' BLOCK', 'MIIB', '\n', ' ', 'x'];
    let matched = 0;
    for (let n = 0; n < 3000; n++) {
      const text = keyText(KEY, 16);
      const expected = everyPosition(text);
      expect(secretsDetector.detect(text, { lang: en, regions: ['US'] }).map((c) => [c.subtype, c.start, c.end]), text).toEqual(expected);
      matched += expected.filter(([subtype]) => subtype === 'private_key').length;
    }
    expect(matched).toBeGreaterThan(200);
  });
});

describe('secrets: passwords in links and connection strings', () => {
  const scan = (text: string) => secretsDetector.detect(text, { lang: en, regions: ['US'] }).map((c) => [c.subtype, text.slice(c.start, c.end)]);

  it.each([
    ['DATABASE_URL=postgres://app:Sup3rS3cret!@db.internal:5432/prod', 'Sup3rS3cret!'],
    ['redis://:hunter2hunter@cache:6379/0', 'hunter2hunter'],
    ['mongodb+srv://admin:Xk29fLq0@cluster0.example.net/test', 'Xk29fLq0'],
  ])('%s', (text, password) => {
    expect(scan(text)).toEqual([['url_password', password]]);
  });

  it.each([
    'see postgres://user:password@localhost:5432/db in the docs',
    'mysql://root:${DB_PASSWORD}@db/app',
    'http://localhost:8080/path@x and https://example.com:443/a',
    'ftp://anonymous@ftp.example.com',
    'mailto:jane@example.com',
  ])('none in %j', (text) => {
    expect(scan(text)).toEqual([]);
  });

  it('are found where every position finds them', () => {
    const { randomText: linkText } = seededText(43);
    const LINK = ['postgres://', 'x://', '://', ':/', ':', 'user:', ':S3cret!x@', 'S3cret', '@', '@db', 'db', '/', ' ', '1', 'é', '<', '$', '?'];
    let matched = 0;
    for (let n = 0; n < 3000; n++) {
      const text = linkText(LINK, 16);
      const expected = everyPosition(text);
      expect(secretsDetector.detect(text, { lang: en, regions: ['US'] }).map((c) => [c.subtype, c.start, c.end]), text).toEqual(expected);
      matched += expected.filter(([subtype]) => subtype === 'url_password').length;
    }
    expect(matched).toBeGreaterThan(40);
  });
});

describe('secrets: authorization headers', () => {
  const scan = (text: string) => secretsDetector.detect(text, { lang: en, regions: ['US'] }).map((c) => [c.subtype, text.slice(c.start, c.end)]);

  it.each([
    ['curl -H "Authorization: Bearer 8f14e45fceea167a5a36dedd4bea2543" https://api.example.com', '8f14e45fceea167a5a36dedd4bea2543'],
    ['authorization: Basic dXNlcjpwYXNzd29yZDEyMw==', 'dXNlcjpwYXNzd29yZDEyMw=='],
    ['{"Authorization": "token 0a1b2c3d4e5f6a7b8c9d"}', '0a1b2c3d4e5f6a7b8c9d'],
  ])('%s', (text, token) => {
    expect(scan(text)).toEqual([['authorization_header', token]]);
  });

  it.each(['The authorization was approved by the bearer of the card.', 'Authorization: Bearer <token>', 'Authorization: Bearer $TOKEN', 'authorization: bearer xxxxxxxxxxxxxxxxxxxx'])(
    'none in %j',
    (text) => {
      expect(scan(text)).toEqual([]);
    },
  );

  it('are found where every position finds them', () => {
    const { randomText: headerText } = seededText(47);
    const HEADER = ['Authorization: Bearer ', 'authorization', 'AUTHORIZATION', ': ', '=', '"', 'Basic ', 'token ', LONG, LONG.slice(0, 16), 'xAuthorization', ' ', '-', '$'];
    let matched = 0;
    for (let n = 0; n < 3000; n++) {
      const text = headerText(HEADER, 8);
      const expected = everyPosition(text);
      expect(secretsDetector.detect(text, { lang: en, regions: ['US'] }).map((c) => [c.subtype, c.start, c.end]), text).toEqual(expected);
      matched += expected.filter(([subtype]) => subtype === 'authorization_header').length;
    }
    expect(matched).toBeGreaterThan(100);
  });
});

describe('secrets: passwords in prose', () => {
  const scan = (text: string) => secretsDetector.detect(text, { lang: en, regions: ['US'] }).map((c) => [c.subtype, text.slice(c.start, c.end)]);

  it.each([
    ['my password is hunter2', 'hunter2'],
    ['your password is hunter2.', 'hunter2'],
    ['pw: Tr0ub4dor&3', 'Tr0ub4dor&3'],
    ['pass: hunter2', 'hunter2'],
    ['Password:  Xy9#kq', 'Xy9#kq'],
    ['password=letmein1', 'letmein1'],
    ['Password: hunter2hunter2', 'hunter2hunter2'],
    ['{"username": "bob", "password": "hunter2"}', 'hunter2'],
    ["'pwd' => 'Xy9#kq'", 'Xy9#kq'],
    ['the new passcode is 8841-22', '8841-22'],
    ['my password is password123', 'password123'],
    ["use password 'correct horse' to log in", 'correct horse'],
    ['the passphrase is “correct horse battery”.', 'correct horse battery'],
    ['use password Tr0ub4dor&3 to log in', 'Tr0ub4dor&3'],
    ['the password for the vpn is Summer2024!', 'Summer2024!'],
    ['the password for admin: Xy9#kq', 'Xy9#kq'],
    ['my password was changed to Qw3rty!! yesterday', 'Qw3rty!!'],
    ['I changed my password to Hunter22 today', 'Hunter22'],
    ['login admin / S3cure!pass', 'S3cure!pass'],
    ['Login: root/Tr0ub4dor&3.', 'Tr0ub4dor&3'],
  ])('%s', (text, password) => {
    expect(scan(text)).toEqual([['password', password]]);
  });

  // instructions, form labels and placeholders; "password123" as an example word has no link to a password
  it.each([
    'my password is wrong',
    'password is required',
    'Password: required',
    'Password: Expired',
    'the password is too short',
    'password is case-sensitive',
    'the password is at least 12 characters',
    'reset your password',
    'reset the password for bob on 2024-01-05',
    'Forgot password? Click here',
    'password: ********',
    "password: '••••••••'",
    'password: <redacted>',
    'password: (see the vault)',
    'password= ${DB_PASSWORD}',
    "pwd = os.getenv('DB_PASSWORD')",
    'password = config.get("db.password")',
    'password=process.env.DB_PASS',
    'password: changeme',
    'password is the same as before',
    "the 'password' field is empty",
    'password123 is a bad example',
    'my boarding pass is 12AB34',
    'send the password to the team',
    'login with google / github',
    'login 2024/01/05 failed',
  ])('none in %j', (text) => {
    expect(scan(text)).toEqual([]);
  });

  it('are found where every position finds them', () => {
    const { randomText: proseText } = seededText(53);
    const PROSE = ['my password', 'Password', 'passcode', 'pass', 'pw', 'PW', 'login', 'Login', ' for the vpn', ' is ', ' was changed to ', ' to ', ':', '=>', ' ', "'", '"', '“', '”', '/', 'admin', 'Tr0ub4dor&3', 'hunter2', 'wrong', '.', '\n', '$', '*'];
    let matched = 0;
    for (let n = 0; n < 3000; n++) {
      const text = proseText(PROSE, 16);
      const expected = everyPosition(text);
      expect(secretsDetector.detect(text, { lang: en, regions: ['US'] }).map((c) => [c.subtype, c.start, c.end]), text).toEqual(expected);
      matched += expected.filter(([subtype]) => subtype === 'password').length;
    }
    expect(matched).toBeGreaterThan(100);
  });
});

describe('secrets: AWS secret access keys', () => {
  const KEY = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
  const ID = 'AKIAIOSFODNN7EXAMPLE';
  const scan = (text: string) => secretsDetector.detect(text, { lang: en, regions: ['US'] }).map((c) => [c.subtype, text.slice(c.start, c.end)]);

  it.each([
    [`[default]\naws_access_key_id = ${ID}\naws_secret_access_key = ${KEY}`, [['aws_access_key', ID], ['aws_secret_key', KEY]]],
    [`export AWS_SECRET_ACCESS_KEY=${KEY}`, [['aws_secret_key', KEY]]],
    [`{"Credentials": {"AccessKeyId": "ASIAIOSFODNN7EXAMPLE", "SecretAccessKey": "${KEY}"}}`, [['aws_access_key', 'ASIAIOSFODNN7EXAMPLE'], ['aws_secret_key', KEY]]],
    [`provider "aws" {\n  region     = "us-west-2"\n  access_key = "${ID}"\n  secret_key = "${KEY}"\n}`, [['aws_access_key', ID], ['aws_secret_key', KEY]]],
    [`AWS secret access key (for the prod account): ${KEY}`, [['aws_secret_key', KEY]]],
    [`my AWS credentials:\naccess key ${ID}\nsecret ${KEY}`, [['aws_access_key', ID], ['aws_secret_key', KEY]]],
    [`the access key is ${ID} and the secret is ${KEY}.`, [['aws_access_key', ID], ['aws_secret_key', KEY]]],
  ])('%s', (text, expected) => {
    expect(scan(text)).toEqual(expected);
  });

  it('a secret key of another shape is a key assignment', () => {
    expect(scan('SECRET_KEY=django-insecure-4f8a1c2b9d7e')).toEqual([['password_assignment', 'django-insecure-4f8a1c2b9d7e']]);
  });

  it.each([
    // a hex digest (no capital) and a path beside an access key id; a name without a 40-character key
    `key ${ID} deployed in commit 3f2a9c1e5b7d4a6f8e0c2b4d6f8a0c2e4b6d8f0a`,
    `${ID} ${'x'.repeat(200)} ${KEY}`,
    'the secret key is stored in the vault, see the docs for the rotation schedule',
  ])('only the access key id in %j', (text) => {
    expect(scan(text).filter(([subtype]) => subtype !== 'aws_access_key')).toEqual([]);
  });

  it('are found where every position finds them', () => {
    const { randomText: awsText } = seededText(59);
    const AWS = [ID, 'ASIA', 'aws', 'AWS_', 'secret', 'Secret', 'SECRET_', 'access', 'Access', 'key', 'Key', '_', ' ', ' = ', '"', ': ', '\n', ` ${KEY}`, ` ${KEY}\n`, `"${KEY}"`, KEY.slice(0, 20), 'f'.repeat(40), '/'];
    let matched = 0;
    for (let n = 0; n < 3000; n++) {
      const text = awsText(AWS, 12);
      const expected = everyPosition(text);
      expect(secretsDetector.detect(text, { lang: en, regions: ['US'] }).map((c) => [c.subtype, c.start, c.end]), text).toEqual(expected);
      matched += expected.filter(([subtype]) => subtype === 'aws_secret_key').length;
    }
    expect(matched).toBeGreaterThan(100);
  });
});
