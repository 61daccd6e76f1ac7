import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createPii } from './index.js';
import { createEphemeralPiiCrypto } from './ephemeral-crypto.js';
import { createMemoryPiiStore } from './memory-store.js';

const pii = createPii({ crypto: createEphemeralPiiCrypto() });

async function collect(gen: AsyncIterable<string>): Promise<string> {
  let s = '';
  for await (const x of gen) s += x;
  return s;
}

describe('streams', () => {
  it('anonymizes text lines split across arbitrary chunk boundaries (including inside a UTF-8 character)', async () => {
    const input = Buffer.from('Grüße from jane@example.com\r\nsecond line 536-22-1234\nno pii here');
    const chunks = [...input].map((b) => Buffer.from([b]));
    const out = await collect(pii.anonymizeStream(Readable.from(chunks)));
    expect(out).toBe('Grüße from <EMAIL_ADDRESS>\nsecond line <US_SSN>\nno pii here\n');
  });

  it('a byte order mark is dropped where the input starts and kept as content on a later line', async () => {
    const bom = Buffer.from([0xef, 0xbb, 0xbf]);
    const input = Buffer.concat([bom, Buffer.from('jane@example.com\n'), bom, Buffer.from('second\n')]);
    const out = await collect(pii.anonymizeStream(Readable.from([input])));
    expect(out).toBe('<EMAIL_ADDRESS>\n\ufeffsecond\n');
  });

  it('NDJSON records keep pseudonyms consistent across the whole stream', async () => {
    const session = pii.newSession();
    const input = Readable.from(['{"name":"Joe Bloggs"}\n{"note":"call Joe Bloggs"}\n', '\n{"email":"a@example.com"}\n']);
    const out = await collect(pii.anonymizeStream(input, { format: 'ndjson', operators: { DEFAULT: 'pseudonymize' }, session }));
    expect(out).toBe('{"name":"<PERSON_1>"}\n{"note":"call <PERSON_1>"}\n{"email":"<EMAIL_ADDRESS_1>"}\n');
  });

  it('a placeholder written in a line is not handed out to a value of that line or a later one', async () => {
    const text = Readable.from(['as <EMAIL_ADDRESS_1> or a@example.com\n', 'then b@example.com\n', 'c@example.com and <EMAIL_ADDRESS_4>\n']);
    expect(await collect(pii.anonymizeStream(text, { operators: { DEFAULT: 'pseudonymize' } }))).toBe('as <EMAIL_ADDRESS_1> or <EMAIL_ADDRESS_2>\nthen <EMAIL_ADDRESS_3>\n<EMAIL_ADDRESS_5> and <EMAIL_ADDRESS_4>\n');
    const ndjson = Readable.from(['{"x":"c@example.com","y":"<EMAIL_ADDRESS_1>"}\n']);
    expect(await collect(pii.anonymizeStream(ndjson, { format: 'ndjson', operators: { DEFAULT: 'pseudonymize' } }))).toBe('{"x":"<EMAIL_ADDRESS_2>","y":"<EMAIL_ADDRESS_1>"}\n');
  });

  it('a stream whose session is to be kept is held to the restore bound line by line, not only when it is saved', async () => {
    const bounded = createPii({ crypto: createEphemeralPiiCrypto(), store: createMemoryPiiStore(), config: { restoreMaxChars: 200 } });
    const lines = Array.from({ length: 50 }, (_, i) => `mail user${i}@example.com\n`);
    const opts = { operators: { DEFAULT: 'pseudonymize' as const } };
    // each line adds <EMAIL_ADDRESS_n> and its value (about 36 characters): the sixth passes 200
    await expect(collect(bounded.anonymizeStream(Readable.from(lines), { ...opts, session: bounded.newSession(), keepSession: true })))
      .rejects.toMatchObject({ code: 'PII_SESSION_TOO_LARGE', status: 413, fields: { line: 6 } });
    // a session the caller keeps in memory only (the CLI without a token) is not bounded
    expect((await collect(bounded.anonymizeStream(Readable.from(lines), { ...opts, session: bounded.newSession() }))).split('\n')).toHaveLength(51);
  });

  it('scanStream refuses an NDJSON record that repeats a field name (its earlier value would go unscanned)', async () => {
    const scan = async () => {
      for await (const _ of pii.scanStream(Readable.from(['{"a":"x"}\n{"a":"joe@example.com","a":"x"}\n']), { format: 'ndjson' })) void _;
    };
    await expect(scan()).rejects.toMatchObject({ code: 'PII_INVALID_JSON', fields: { line: 2 } });
  });

  it('scanStream reports line numbers', async () => {
    const res = [];
    for await (const r of pii.scanStream(Readable.from(['a\nmail a@example.com\n']))) res.push(r);
    expect(res).toEqual([{ line: 2, findings: [{ type: 'EMAIL_ADDRESS', start: 5, end: 18, score: 1 }] }]);
  });

  it('a large streamed input keeps memory flat', async () => {
    const line = 'Ticket from jane.doe@example.com, phone (415) 555-2671, card 4111 1111 1111 1111, nothing else here.\n';
    const lines = 20_000; // ~2 MB
    async function* source() {
      for (let i = 0; i < lines; i += 500) yield line.repeat(500);
    }
    global.gc?.();
    const base = process.memoryUsage().heapUsed;
    let peak = 0;
    let n = 0;
    for await (const out of pii.anonymizeStream(source(), { entities: ['EMAIL_ADDRESS', 'PHONE_NUMBER', 'CREDIT_CARD'] })) {
      n++;
      if (n === 1) expect(out).toBe('Ticket from <EMAIL_ADDRESS>, phone <PHONE_NUMBER>, card <CREDIT_CARD>, nothing else here.\n');
      if (n % 5000 === 0) peak = Math.max(peak, process.memoryUsage().heapUsed - base);
    }
    expect(n).toBe(lines);
    // the input is ~2 MB (~4 MB as UTF-16); holding it and its output (as UTF-16 strings) would cost far more than this bound
    expect(peak).toBeLessThan(24 * 1024 * 1024);
  });

  it('a huge single line is refused with a clear error instead of being buffered', async () => {
    async function* source() {
      for (let i = 0; i < 100; i++) yield 'x'.repeat(100_000);
    }
    await expect(collect(pii.anonymizeStream(source(), { maxLineBytes: 1_000_000 }))).rejects.toMatchObject({ code: 'PII_LINE_TOO_LONG' });
  });

  it('invalid UTF-8 bytes are refused', async () => {
    const bad = Buffer.from([0x61, 0xff, 0xfe, 0x0a]);
    await expect(collect(pii.anonymizeStream(Readable.from([bad])))).rejects.toMatchObject({ code: 'PII_INVALID_UTF8' });
  });

  it('bad NDJSON lines are refused', async () => {
    await expect(collect(pii.anonymizeStream(Readable.from(['{"a":\n']), { format: 'ndjson' }))).rejects.toMatchObject({ code: 'PII_INVALID_JSON' });
  });

  it('errors in a stream say which line (UTF-8, length, JSON, depth)', async () => {
    const utf8 = Readable.from([Buffer.from('ok\nfine\n'), Buffer.from([0x61, 0xff, 0x0a])]);
    await expect(collect(pii.anonymizeStream(utf8))).rejects.toMatchObject({ code: 'PII_INVALID_UTF8', message: 'line 3: input is not valid UTF-8', fields: { line: 3 } });
    const long = Readable.from(['a\n', 'x'.repeat(2000)]);
    await expect(collect(pii.anonymizeStream(long, { maxLineBytes: 1000 }))).rejects.toMatchObject({ code: 'PII_LINE_TOO_LONG', fields: { line: 2, limit: 1000 } });
    const json = Readable.from(['{"a":1}\n\n{"a":\n']);
    await expect(collect(pii.anonymizeStream(json, { format: 'ndjson' }))).rejects.toMatchObject({ code: 'PII_INVALID_JSON', message: 'line 3: input is not valid JSON' });
    const deep = Readable.from(['{}\n' + '['.repeat(100) + ']'.repeat(100) + '\n']);
    const scan = async () => {
      for await (const _ of pii.scanStream(deep, { format: 'ndjson' })) void _;
    };
    await expect(scan()).rejects.toMatchObject({ code: 'PII_JSON_TOO_DEEP', fields: { line: 2 } });
  });

  it('NDJSON output keeps everything but the anonymized strings as written (big integers, number forms, spacing, escapes)', async () => {
    const line = '{"id": 12345678901234567890, "f": 1.0, "e": 1e2, "x": 1e400, "k\\"q": "caf\\u00e9", "a": [ "mail joe@example.com", {"note":"say \\"hi\\" to ann@example.com"} ], "__proto__": {"n": "ann@example.com"}}';
    const out = await collect(pii.anonymizeStream(Readable.from([line + '\n']), { format: 'ndjson' }));
    expect(out).toBe('{"id": 12345678901234567890, "f": 1.0, "e": 1e2, "x": 1e400, "k\\"q": "caf\\u00e9", "a": [ "mail <EMAIL_ADDRESS>", {"note":"say \\"hi\\" to <EMAIL_ADDRESS>"} ], "__proto__": {"n": "<EMAIL_ADDRESS>"}}\n');
    // a record with a repeated field is refused, as over HTTP: written as JSON.parse reads it, the earlier
    // value would silently go (and the record's big integers be rounded)
    const dup = Readable.from(['"top ann@example.com"\n', '{"id":12345678901234567890,"a":"joe@example.com","a":5}\n']);
    await expect(collect(pii.anonymizeStream(dup, { format: 'ndjson' }))).rejects.toMatchObject({ code: 'PII_INVALID_JSON', fields: { line: 2 }, message: expect.stringMatching(/^line 2: .*repeats a field name/) });
  });
});
