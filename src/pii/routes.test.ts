import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntryInput } from '../audit/chain.js';
import { isWardenError } from '../errors.js';
import { createPii } from './index.js';
import { createMemoryPiiStore } from './memory-store.js';
import { piiRoutes } from './routes.js';
import { createEphemeralPiiCrypto } from './ephemeral-crypto.js';

/** A trivial guard: the x-perms header lists the caller's permissions, x-caller names the user (default u1). */
const guard = {
  require: (permission: string) => async (req: { headers: Record<string, string | undefined>; principal?: unknown }, reply: { code(n: number): { send(b: unknown): void } }) => {
    req.principal = { type: 'user', id: req.headers['x-caller'] ?? 'u1', roles: [] };
    const perms = (req.headers['x-perms'] ?? '').split(',');
    if (!perms.includes(permission)) reply.code(403).send({ code: 'FORBIDDEN' });
  },
};

let app: FastifyInstance;
const audited: AuditEntryInput[] = [];
beforeAll(async () => {
  // like the app's server: unknown body fields are rejected, not silently stripped
  app = Fastify({ ajv: { customOptions: { removeAdditional: false } } });
  app.setErrorHandler((err, _req, reply) => {
    if (isWardenError(err)) return reply.code(err.status).type('application/problem+json').send({ code: err.code, title: err.message });
    // like the app's problem handler, a schema error names the field it is about
    const v = (err as { validation?: Array<{ params: { additionalProperty?: string } }> }).validation?.[0];
    const title = `${(err as Error).message}${v?.params.additionalProperty ? ` (${v.params.additionalProperty})` : ''}`;
    return reply.code((err as { statusCode?: number }).statusCode ?? 500).send({ code: 'BAD_REQUEST', title });
  });
  await app.register(piiRoutes({ pii: createPii({ crypto: createEphemeralPiiCrypto(), store: createMemoryPiiStore() }), guard, audit: async (e) => { audited.push(e); } }));
  await app.ready();
});
afterAll(() => app.close());

const post = (url: string, payload: unknown, perms = 'use:pii', caller = 'u1') =>
  app.inject({ method: 'POST', url, payload: payload as object, headers: { 'x-perms': perms, 'x-caller': caller } });
const TEXT = 'Hi, I am Joe Bloggs, mail joe@example.com';

describe('POST /v1/pii/scan', () => {
  it('returns types and offsets but no values unless asked', async () => {
    const res = await post('/v1/pii/scan', { text: TEXT });
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toContain('Bloggs');
    expect(res.body).not.toContain('joe@');
    expect(res.json().entities).toEqual([
      { type: 'PERSON', start: 9, end: 19, score: 1 },
      { type: 'EMAIL_ADDRESS', start: 26, end: 41, score: 1 },
    ]);
    const withValues = await post('/v1/pii/scan', { text: TEXT, include_values: true, entities: ['EMAIL_ADDRESS'] });
    expect(withValues.json().entities[0].value).toBe('joe@example.com');
  });
  it('scans JSON with paths and honours min_score', async () => {
    const res = await post('/v1/pii/scan', { json: { a: [{ email: 'joe@example.com' }] }, min_score: 0.9, include_values: true });
    expect(res.json().entities).toEqual([{ type: 'EMAIL_ADDRESS', start: 0, end: 15, score: 1, path: '/a/0/email', value: 'joe@example.com' }]);
  });
  it('rejects unknown fields, both or neither input, and unknown entities', async () => {
    expect((await post('/v1/pii/scan', { text: 'x', extra: 1 })).statusCode).toBe(400);
    expect((await post('/v1/pii/scan', { text: 'x', json: {} })).json().code).toBe('PII_INVALID_INPUT');
    expect((await post('/v1/pii/scan', {})).json().code).toBe('PII_INVALID_INPUT');
    expect((await post('/v1/pii/scan', { text: 'x', entities: ['NOPE_NOPE'] })).json().code).toBe('PII_UNKNOWN_ENTITY');
  });
  it('refuses an empty entities list instead of finding nothing (anonymize would hand the PII back unchanged)', async () => {
    for (const url of ['/v1/pii/scan', '/v1/pii/anonymize']) {
      const res = await post(url, { text: TEXT, entities: [] });
      expect(res.statusCode).toBe(400);
      expect(res.body).not.toContain('joe@');
    }
  });
  it('requires use:pii', async () => {
    expect((await post('/v1/pii/scan', { text: TEXT }, 'read:compliance')).statusCode).toBe(403);
  });
});

describe('anonymize → restore over HTTP', () => {
  it('pseudonymizes, and restore needs restore:pii', async () => {
    const a = await post('/v1/pii/anonymize', { text: TEXT, operators: { DEFAULT: 'pseudonymize', EMAIL_ADDRESS: { type: 'mask', keep_last: 3 } } });
    expect(a.statusCode).toBe(200);
    const body = a.json();
    expect(body.text).toBe('Hi, I am <PERSON_1>, mail ***@*******.com');
    expect(body.restore_token).toMatch(/^prt_/);
    expect(body.items.map((i: { operator: string }) => i.operator)).toEqual(['pseudonymize', 'mask']);
    const payload = { text: 'Answer for <PERSON_1>.', restore_token: body.restore_token };
    expect((await post('/v1/pii/restore', payload, 'use:pii')).statusCode).toBe(403);
    audited.length = 0;
    const r = await post('/v1/pii/restore', payload, 'restore:pii');
    expect(r.json()).toEqual({ text: 'Answer for Joe Bloggs.', restored: 1 });
    // re-identification is audited: which mapping (a digest, not the token) and how many values, never the values
    expect(audited).toMatchObject([{ action: 'pii.restore', outcome: 'success', details: { input: 'text', restored: 1 },
      target: { type: 'pii_restore_mapping', id: expect.stringMatching(/^[0-9a-f]{16}$/) } }]);
    expect(JSON.stringify(audited)).not.toMatch(/Bloggs|prt_/);
  });
  it('only the caller that started a session may continue it: another token holder cannot test guesses against the mapping', async () => {
    const a = (await post('/v1/pii/anonymize', { text: TEXT, operators: { DEFAULT: 'pseudonymize' } })).json();
    // the same caller continues: a value already in the mapping gets its placeholder back
    const own = await post('/v1/pii/anonymize', { text: 'Ping joe@example.com', operators: { DEFAULT: 'pseudonymize' }, restore_token: a.restore_token });
    expect(own.json().text).toBe('Ping <EMAIL_ADDRESS_1>');
    // someone else holding the token (even with restore:pii) may not continue it, and learns nothing
    for (const perms of ['use:pii', 'use:pii,restore:pii']) {
      const other = await post('/v1/pii/anonymize', { text: 'Is it Joe Bloggs?', operators: { DEFAULT: 'pseudonymize' }, restore_token: a.restore_token }, perms, 'u2');
      expect(other.statusCode).toBe(403);
      expect(other.json().code).toBe('PII_SESSION_NOT_OWNER');
      expect(other.body).not.toMatch(/PERSON_1|Bloggs/);
    }
    // the mapping is untouched by the refused calls, and restoring stays a matter of restore:pii
    const r = await post('/v1/pii/restore', { text: '<PERSON_1> <EMAIL_ADDRESS_1>', restore_token: a.restore_token }, 'restore:pii', 'u2');
    expect(r.json()).toEqual({ text: 'Joe Bloggs joe@example.com', restored: 2 });
  });
  it('unknown restore token → 404 problem; malformed token → 400', async () => {
    const r = await post('/v1/pii/restore', { text: '<PERSON_1>', restore_token: 'prt_' + 'B'.repeat(43) }, 'restore:pii');
    expect(r.statusCode).toBe(404);
    expect(r.json().code).toBe('PII_TOKEN_NOT_FOUND');
    expect(audited.at(-1)).toMatchObject({ action: 'pii.restore', outcome: 'failure', details: { code: 'PII_TOKEN_NOT_FOUND' } });
    expect((await post('/v1/pii/restore', { text: 'x', restore_token: 'nope' }, 'restore:pii')).statusCode).toBe(400);
  });
  it('anonymizes JSON and rejects an unknown operator', async () => {
    const a = await post('/v1/pii/anonymize', { json: { email: 'joe@example.com', n: 1 } });
    expect(a.json()).toMatchObject({ json: { email: '<EMAIL_ADDRESS>', n: 1 }, items: [{ type: 'EMAIL_ADDRESS', path: '/email', operator: 'replace' }] });
    expect((await post('/v1/pii/anonymize', { text: 'x', operators: { EMAIL_ADDRESS: 'shred' } })).statusCode).toBe(400);
  });
});

describe('allow_list over HTTP', () => {
  it('leaves the listed values alone in scan and anonymize, and bounds the list', async () => {
    const text = 'mail support@acme.com or joe@example.com';
    const s = await post('/v1/pii/scan', { text, allow_list: ['support@acme.com'] });
    expect(s.json().entities).toEqual([{ type: 'EMAIL_ADDRESS', start: 25, end: 40, score: 1 }]);
    const a = await post('/v1/pii/anonymize', { json: { to: ['support@acme.com', 'joe@example.com'] }, allow_list: ['support@acme.com'] });
    expect(a.json().json).toEqual({ to: ['support@acme.com', '<EMAIL_ADDRESS>'] });
    expect((await post('/v1/pii/scan', { text, allow_list: Array.from({ length: 1001 }, (_, i) => `v${i}`) })).statusCode).toBe(400);
    expect((await post('/v1/pii/scan', { text, allow_list: [''] })).statusCode).toBe(400);
  });
});

describe('JSON written back as it was sent', () => {
  const rawPost = (url: string, body: string, perms = 'use:pii,restore:pii') =>
    app.inject({ method: 'POST', url, payload: body, headers: { 'x-perms': perms, 'content-type': 'application/json' } });
  it('numbers beyond 2^53, 1.0, 1e400 and the spacing come back exactly; only the PII strings change', async () => {
    const doc = '{ "account": 12345678901234567891, "ratio": 1.0, "huge": 1e400, "note": "mail joe@example.com", "tags": [ "a\\u0041" ] }';
    const a = await rawPost('/v1/pii/anonymize', `{"operators":{"DEFAULT":"pseudonymize"},"json":${doc}}`);
    expect(a.statusCode).toBe(200);
    expect(a.headers['content-type']).toMatch(/^application\/json/);
    const text = a.body;
    expect(text).toContain('{ "account": 12345678901234567891, "ratio": 1.0, "huge": 1e400, "note": "mail <EMAIL_ADDRESS_1>", "tags": [ "a\\u0041" ] }');
    const body = JSON.parse(text);
    expect(body.items).toEqual([{ type: 'EMAIL_ADDRESS', start: 5, end: 22, operator: 'pseudonymize', path: '/note' }]);
    const back = await rawPost('/v1/pii/restore', `{"restore_token":"${body.restore_token}","json":{"id":98765432109876543210,"answer":"wrote to <EMAIL_ADDRESS_1>"}}`);
    expect(back.statusCode).toBe(200);
    expect(back.body).toBe('{"json":{"id":98765432109876543210,"answer":"wrote to joe@example.com"},"restored":1}');
  });
  it('a repeated field name is refused (its earlier value would be lost), before any mapping is saved', async () => {
    const before = audited.length;
    const a = await rawPost('/v1/pii/anonymize', '{"operators":{"DEFAULT":"pseudonymize"},"json":{"a":"joe@example.com","a":"x"}}');
    expect(a.statusCode).toBe(400);
    expect(a.json()).toMatchObject({ code: 'PII_INVALID_JSON' });
    // a scan would see only the last one and report the document clean
    const scan = await rawPost('/v1/pii/scan', '{"json":{"a":"joe@example.com","a":"x"}}');
    expect(scan.json()).toMatchObject({ code: 'PII_INVALID_JSON' });
    const r = await rawPost('/v1/pii/restore', '{"json":{"a":"x","b":{"c":1,"c":2}}}');
    expect(r.json()).toMatchObject({ code: 'PII_INVALID_JSON' });
    expect(audited.slice(before)).toMatchObject([{ action: 'pii.restore', outcome: 'failure', details: { code: 'PII_INVALID_JSON' } }]);
    // the same names at different levels are not repeats
    expect((await rawPost('/v1/pii/anonymize', '{"json":{"a":{"a":"joe@example.com"}}}')).body).toBe('{"json":{"a":{"a":"<EMAIL_ADDRESS>"}},"items":[{"type":"EMAIL_ADDRESS","start":0,"end":15,"operator":"replace","path":"/a/a"}]}');
  });
  it('a body that names json twice uses the last one, as the parser does', async () => {
    const a = await rawPost('/v1/pii/anonymize', '{"json":"joe@example.com","json":["x", 12345678901234567891]}');
    expect(a.body).toBe('{"json":["x", 12345678901234567891],"items":[]}');
  });
});

describe('bad input over HTTP', () => {
  const raw = (url: string, body: Buffer) => app.inject({ method: 'POST', url, payload: body, headers: { 'x-perms': 'use:pii,restore:pii', 'content-type': 'application/json' } });
  it('invalid UTF-8 bytes in the body are refused, not turned into U+FFFD and scanned', async () => {
    const body = Buffer.concat([Buffer.from('{"text":"mail joe@example.com caf'), Buffer.from([0xc3, 0x20, 0xff]), Buffer.from('"}')]);
    for (const url of ['/v1/pii/scan', '/v1/pii/anonymize', '/v1/pii/restore']) {
      const res = await raw(url, body);
      expect(res.statusCode).toBe(400);
      expect(res.json().code).toBe('PII_INVALID_UTF8');
    }
    // well-formed UTF-8 (and a UTF-8 byte order mark) still works
    const ok = await raw('/v1/pii/scan', Buffer.from('\ufeff{"text":"Grüße, joe@example.com"}'));
    expect(ok.json().entities).toEqual([{ type: 'EMAIL_ADDRESS', start: 7, end: 22, score: 1 }]);
  });
  it('a field named __proto__ is refused as such, not as "not valid JSON", and without echoing the document', async () => {
    for (const doc of ['{"__proto__":{"email":"joe@example.com"}}', '{"constructor":{"prototype":{"email":"joe@example.com"}}}']) {
      const res = await raw('/v1/pii/scan', Buffer.from(`{"json":${doc}}`));
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ code: 'PII_INVALID_JSON', title: expect.stringContaining('__proto__') });
      expect(res.body).not.toContain('joe@');
    }
  });
  it('an unknown entity is refused even when the JSON has no string to scan', async () => {
    for (const json of [5, {}, [], null, { n: 1 }]) {
      const res = await post('/v1/pii/scan', { json, entities: ['NOPE_NOPE'] });
      expect(res.json().code).toBe('PII_UNKNOWN_ENTITY');
    }
    expect((await post('/v1/pii/anonymize', { json: {}, entities: ['NOPE_NOPE'] })).json().code).toBe('PII_UNKNOWN_ENTITY');
    // DEFAULT is an operators key, not a type to scan for: refused alike with or without strings to scan
    for (const input of [{ text: TEXT }, { json: {} }]) {
      for (const url of ['/v1/pii/scan', '/v1/pii/anonymize']) expect((await post(url, { ...input, entities: ['DEFAULT'] })).json().code).toBe('PII_UNKNOWN_ENTITY');
    }
  });
  it('an operator for an unknown entity type is refused, not silently ignored', async () => {
    const res = await post('/v1/pii/anonymize', { text: TEXT, operators: { EMAIL: 'mask' } });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'PII_UNKNOWN_ENTITY', title: 'unknown entity type EMAIL' });
    expect((await post('/v1/pii/anonymize', { text: TEXT, operators: { DEFAULT: 'mask', EMAIL_ADDRESS: 'keep' } })).statusCode).toBe(200);
  });
  it('a bad operator option is named in the error', async () => {
    const cases: Array<[unknown, RegExp]> = [
      [{ type: 'mask', keep_last: -1 }, /keep_last/],
      [{ type: 'hash', length: 4 }, /length/],
      [{ type: 'shred' }, /type/],
      [{ type: 'mask', colour: 'red' }, /colour/],
      [{ keep_last: 2 }, /type/],
    ];
    for (const [spec, field] of cases) {
      const res = await post('/v1/pii/anonymize', { text: TEXT, operators: { EMAIL_ADDRESS: spec } });
      expect(res.statusCode).toBe(400);
      expect(res.json().title).toMatch(field);
    }
  });
});
