import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isWardenError } from '../errors.js';
import { createEphemeralPiiCrypto } from './ephemeral-crypto.js';
import { createPii } from './index.js';
import { createMemoryPiiStore } from './memory-store.js';
import { piiRoutes } from './routes.js';
import { piiStreamRoutes } from './stream-routes.js';

/** A trivial guard: x-perms lists the caller's permissions, x-caller names the user (default u1). */
const guard = {
  require: (permission: string) => async (req: { headers: Record<string, string | undefined>; principal?: unknown }, reply: { code(n: number): { send(b: unknown): void } }) => {
    req.principal = { type: 'user', id: req.headers['x-caller'] ?? 'u1', roles: [] };
    if (!(req.headers['x-perms'] ?? 'use:pii,restore:pii').split(',').includes(permission)) reply.code(403).send({ code: 'FORBIDDEN' });
  },
};

const store = createMemoryPiiStore();
let app: FastifyInstance;
let base: string;
beforeAll(async () => {
  app = Fastify({ ajv: { customOptions: { removeAdditional: false } } });
  app.setErrorHandler((err, _req, reply) => {
    if (isWardenError(err)) return reply.code(err.status).type('application/problem+json').send({ code: err.code, title: err.message });
    return reply.code((err as { statusCode?: number }).statusCode ?? 500).send({ code: 'BAD_REQUEST', title: (err as Error).message });
  });
  const pii = createPii({ crypto: createEphemeralPiiCrypto(), store });
  await app.register(piiRoutes({ pii, guard }));
  await app.register(piiStreamRoutes({ pii, guard }));
  base = await app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(() => app.close());

/** Sends the chunks one by one (as a client streaming a file would) and returns the response. */
function send(chunks: Array<string | Uint8Array>, query = '', type = 'text/plain', headers: Record<string, string> = {}, route = 'anonymize') {
  const body = new ReadableStream<Uint8Array>({
    start(c) {
      for (const ch of chunks) c.enqueue(typeof ch === 'string' ? new TextEncoder().encode(ch) : ch);
      c.close();
    },
  });
  return fetch(`${base}/v1/pii/${route}/stream${query}`, { method: 'POST', body, headers: { 'content-type': type, ...headers }, duplex: 'half' } as RequestInit);
}

describe('POST /v1/pii/anonymize/stream', () => {
  it('anonymizes text lines as they come, across chunk boundaries that split lines and characters', async () => {
    const text = 'Mail jane@example.com or call +44 20 7946 0958\nnothing here\nJosé Núñez wrote from 10.0.0.12\n';
    const bytes = new TextEncoder().encode(text);
    // every 7 bytes: lines and the two-byte é / ñ are cut in the middle
    const chunks: Uint8Array[] = [];
    for (let i = 0; i < bytes.length; i += 7) chunks.push(bytes.subarray(i, i + 7));
    const res = await send(chunks);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(res.headers.get('warden-restore-token')).toBeNull();
    expect(await res.text()).toBe('Mail <EMAIL_ADDRESS> or call <PHONE_NUMBER>\nnothing here\n<PERSON> wrote from <IP_ADDRESS>\n');
  });

  it('anonymizes NDJSON records, keeping each record as written but for the changed strings', async () => {
    const res = await send(['{"id": 12345678901234567890, "email": "jane@example.com"}\n\n', '{"note":"call 415-555-0132"}\n'], '?entities=EMAIL_ADDRESS,PHONE_NUMBER', 'application/x-ndjson');
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('{"id": 12345678901234567890, "email": "<EMAIL_ADDRESS>"}\n{"note":"call <PHONE_NUMBER>"}\n');
  });

  it('a pseudonymized stream is one restore session: the token comes first, the mapping is saved at the end, for its caller only', async () => {
    const lines = Array.from({ length: 2000 }, (_, i) => `ticket ${i}: Jane Doe <jane${i % 3}@example.com>`);
    const res = await send(lines.map((l) => l + '\n'), '?operator=pseudonymize');
    const token = res.headers.get('warden-restore-token')!;
    expect(token).toMatch(/^prt_[A-Za-z0-9_-]{43}$/);
    const out = (await res.text()).split('\n');
    expect(out).toHaveLength(2001);
    expect(out[0]).toBe('ticket 0: <PERSON_1> <<EMAIL_ADDRESS_1>>');
    expect(out[1999]).toBe('ticket 1999: <PERSON_1> <<EMAIL_ADDRESS_2>>');
    const restore = await app.inject({ method: 'POST', url: '/v1/pii/restore', payload: { text: out[4], restore_token: token } });
    expect(restore.json()).toEqual({ text: lines[4], restored: 2 });
    // continuing the session is for the caller that streamed it
    const other = await app.inject({ method: 'POST', url: '/v1/pii/anonymize', headers: { 'x-caller': 'u2' }, payload: { text: 'Jane Doe?', operators: { DEFAULT: 'pseudonymize' }, restore_token: token } });
    expect(other.json().code).toBe('PII_SESSION_NOT_OWNER');
    const own = await app.inject({ method: 'POST', url: '/v1/pii/anonymize', payload: { text: 'Jane Doe?', operators: { DEFAULT: 'pseudonymize' }, restore_token: token } });
    expect(own.json().text).toBe('<PERSON_1>?');
  });

  it('refuses before answering: wrong content type, unknown entity or operator, bad first line, missing permission', async () => {
    const problem = async (res: Response, status: number, code: string) => {
      expect(res.status).toBe(status);
      expect((await res.json()).code).toBe(code);
    };
    await problem(await send(['x\n'], '', 'application/octet-stream'), 415, 'BAD_REQUEST');
    await problem(await send(['x\n'], '?entities=NOPE_NOPE'), 400, 'PII_UNKNOWN_ENTITY');
    await problem(await send(['x\n'], '?operator=shred'), 400, 'BAD_REQUEST');
    await problem(await send(['x\n'], '?colour=blue'), 400, 'BAD_REQUEST');
    await problem(await send([new Uint8Array([0x61, 0xff, 0x0a])]), 400, 'PII_INVALID_UTF8');
    await problem(await send(['{"a": 1,}\n'], '', 'application/x-ndjson'), 400, 'PII_INVALID_JSON');
    // the body is left half read: the connection is closed after the answer (the next request would wait behind it)
    const long = await send(['x'.repeat(5 * 1024 * 1024) + '\n']);
    expect(long.headers.get('connection')).toBe('close');
    await problem(long, 413, 'PII_LINE_TOO_LONG');
    expect((await send(['x\n'], '', 'text/plain', { 'x-perms': 'read:compliance' })).status).toBe(403);
  });

  it('a stream cut after its first line logs the code and the line, never the data', async () => {
    const logs: string[] = [];
    const logged = Fastify({ logger: { level: 'warn', stream: { write: (l: string) => void logs.push(l) } } });
    await logged.register(piiStreamRoutes({ pii: createPii({ crypto: createEphemeralPiiCrypto(), store }), guard }));
    const url = await logged.listen({ port: 0, host: '127.0.0.1' });
    try {
      const body = Buffer.concat([Buffer.from('jane@example.com\n'), Buffer.from([0x62, 0xff, 0x0a])]);
      // cut before or after the answer's head, as the two lines arrive together
      await expect(fetch(`${url}/v1/pii/anonymize/stream`, { method: 'POST', body, headers: { 'content-type': 'text/plain' } }).then((r) => r.text())).rejects.toThrow();
      await new Promise((r) => setTimeout(r, 50));
      expect(logs.map((l) => JSON.parse(l))).toMatchObject([{ error_code: 'PII_INVALID_UTF8', line: 2 }]);
      expect(logs.join('')).not.toContain('jane');
    } finally {
      await logged.close();
    }
  });

  it('a stream that fails after its first line is cut off, and leaves no mapping behind', async () => {
    const before = store.size;
    const res = await send(['Jane Doe <jane@example.com>\n', new Uint8Array([0x62, 0xff, 0x0a])], '?operator=pseudonymize');
    expect(res.status).toBe(200); // the answer had started
    await expect(res.text()).rejects.toThrow();
    await new Promise((r) => setTimeout(r, 50));
    expect(store.size).toBe(before);
  });

  it('scan/stream answers one NDJSON finding per line, with its line and never its value; nothing found is an empty answer', async () => {
    const res = await send(['Mail jane@example.com\nnothing\n', 'call 415-555-0132 or jo\u200Bhn@example.com\n'], '', 'text/plain', {}, 'scan');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/x-ndjson/);
    const body = await res.text();
    expect(body).not.toMatch(/jane|0132|john/);
    expect(body.trim().split('\n').map((l) => JSON.parse(l))).toEqual([
      { line: 1, type: 'EMAIL_ADDRESS', start: 5, end: 21, score: 1 },
      { line: 3, type: 'PHONE_NUMBER', start: 5, end: 17, score: 1 },
      { line: 3, type: 'EMAIL_ADDRESS', start: 21, end: 38, score: 1 },
    ]);
    const json = await send(['{"user": {"email": "jane@example.com"}}\n'], '?entities=EMAIL_ADDRESS', 'application/x-ndjson', {}, 'scan');
    expect(JSON.parse(await json.text())).toEqual({ line: 1, type: 'EMAIL_ADDRESS', start: 0, end: 16, score: 1, path: '/user/email' });
    const none = await send(['nothing at all\n'], '', 'text/plain', {}, 'scan');
    expect([none.status, await none.text()]).toEqual([200, '']);
    const bad = await send(['fine\n', '{"a":1\n'], '', 'application/x-ndjson', {}, 'scan');
    expect([bad.status, (await bad.json()).code]).toEqual([400, 'PII_INVALID_JSON']);
    expect((await send(['x\n'], '?operator=replace', 'text/plain', {}, 'scan')).status).toBe(400);
  });
});
