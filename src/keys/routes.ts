import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { actorOf } from '../http/guard.js';
import { keyError } from './errors.js';
import type { BatchInput, BatchOutput, Keys } from './index.js';
import { KEY_TYPES } from './material.js';
import { MAX_BATCH } from './transit.js';

type PreHandler = (req: FastifyRequest, reply: FastifyReply) => Promise<void>;
export interface KeysRoutesDeps {
  keys: Keys;
  /** Unused: every key operation is audited by the keys capability itself, in its own transaction. */
  audit?: unknown;
  guard: { require(permission: string): PreHandler };
  /**
   * Keys Warden itself encrypts with (field encryption, PII operators and restore mappings): the transit
   * routes refuse them, so `use:keys` can never decrypt what another capability guards with a permission
   * of its own (a PII value needs `restore:pii`, a TOTP seed is never readable at all).
   */
  reserved?: ReadonlySet<string>;
}

const B64 = '^[A-Za-z0-9+/]*={0,2}$';
const name = { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$' } as const;
const params = { type: 'object', additionalProperties: false, required: ['name'], properties: { name } } as const;
const context = { type: 'string', maxLength: 1024 } as const;
const ciphertext = { type: 'string', minLength: 1, maxLength: 2_000_000 } as const;
const plaintext = { type: 'string', pattern: B64, maxLength: 1_400_000 } as const;
const problem = { type: 'object', properties: { code: { type: 'string' }, message: { type: 'string' } } } as const;
const keyInfo = {
  type: 'object',
  properties: {
    name: { type: 'string' }, type: { type: 'string' }, latest_version: { type: 'integer' },
    min_decryption_version: { type: 'integer' }, deletion_protection: { type: 'boolean' },
    created_at: { type: 'string' }, rotated_at: { type: 'string' }, rotation_due_at: { type: 'string' }, overdue: { type: 'boolean' },
    versions: { type: 'array', items: { type: 'object', properties: {
      version: { type: 'integer' }, created_at: { type: 'string' }, public_key_pem: { type: 'string' } } } },
  },
} as const;

function transitBody(field: 'plaintext' | 'ciphertext') {
  const item = { type: 'object', additionalProperties: false, required: [field], properties: { [field]: field === 'plaintext' ? plaintext : ciphertext, context } };
  return {
    type: 'object', additionalProperties: false,
    properties: { [field]: item.properties[field], context, batch: { type: 'array', minItems: 1, maxItems: MAX_BATCH, items: item } },
    oneOf: [{ required: [field] }, { required: ['batch'] }],
  };
}

function transitReply(field: 'plaintext' | 'ciphertext') {
  return {
    200: { type: 'object', properties: {
      [field]: { type: 'string' },
      batch: { type: 'array', items: { type: 'object', properties: { [field]: { type: 'string' }, error: problem } } },
    } },
  };
}

function decodeB64(s: string): Buffer {
  if (s.length % 4 !== 0) throw keyError('PLAINTEXT_INVALID', 'plaintext must be standard, padded base64');
  return Buffer.from(s, 'base64');
}

function outItem(o: BatchOutput) {
  if ('error' in o) return { error: o.error };
  if ('plaintext' in o) return { plaintext: o.plaintext.toString('base64') };
  return { ciphertext: o.ciphertext };
}

/** The keys HTTP edge: admin routes for the keyring, use routes for transit operations. */
export function keysRoutes(deps: KeysRoutesDeps) {
  const { keys, guard } = deps;
  return async (app: FastifyInstance) => {
    const admin = guard.require('admin:keys');
    const use = guard.require('use:keys');
    const reserved = deps.reserved ?? new Set<string>();
    /** The key named in the path, unless Warden keeps it for itself. */
    const transitKey = (req: { params: unknown }): string => {
      const n = (req.params as { name: string }).name;
      if (reserved.has(n)) throw keyError('KEY_RESERVED', `key ${n} is used by Warden itself and cannot be used through the transit API`, { key: n });
      return n;
    };
    const tags = ['keys'];

    app.post('/v1/keys', {
      preHandler: admin,
      schema: { tags, summary: 'Create a named key', body: { type: 'object', additionalProperties: false, required: ['name', 'type'],
        properties: { name, type: { type: 'string', enum: [...KEY_TYPES] }, deletion_protection: { type: 'boolean' } } },
      response: { 201: keyInfo } },
    }, async (req, reply) => {
      const b = req.body as { name: string; type: (typeof KEY_TYPES)[number]; deletion_protection?: boolean };
      reply.code(201);
      return keys.createKey(b.name, b.type, { deletion_protection: b.deletion_protection, actor: actorOf(req) });
    });

    app.get('/v1/keys', {
      preHandler: admin,
      schema: { tags, summary: 'List keys (metadata only)', response: { 200: { type: 'object', properties: { keys: { type: 'array', items: keyInfo } } } } },
    }, async () => ({ keys: await keys.listKeys() }));

    app.get('/v1/keys/:name', {
      preHandler: admin, schema: { tags, summary: 'Describe a key and its versions (never material)', params, response: { 200: keyInfo } },
    }, async (req) => keys.getKey((req.params as { name: string }).name));

    app.post('/v1/keys/:name/rotate', {
      preHandler: admin, schema: { tags, summary: 'Rotate: a new version becomes primary', params, response: { 200: keyInfo } },
    }, async (req) => keys.rotateKey((req.params as { name: string }).name, actorOf(req)));

    app.patch('/v1/keys/:name', {
      preHandler: admin,
      schema: { tags, summary: 'Set min_decryption_version or deletion_protection', params,
        body: { type: 'object', additionalProperties: false, minProperties: 1, properties: {
          min_decryption_version: { type: 'integer', minimum: 1 }, deletion_protection: { type: 'boolean' } } },
        response: { 200: keyInfo } },
    }, async (req) => keys.updateKey((req.params as { name: string }).name, req.body as { min_decryption_version?: number }, actorOf(req)));

    app.delete('/v1/keys/:name', {
      preHandler: admin, schema: { tags, summary: 'Delete a key and all its versions (refused under deletion protection)', params, response: { 204: { type: 'null' } } },
    }, async (req, reply) => {
      await keys.deleteKey((req.params as { name: string }).name, actorOf(req));
      reply.code(204);
      return null;
    });

    type TBody = { plaintext?: string; ciphertext?: string; context?: string; batch?: Array<{ plaintext?: string; ciphertext?: string; context?: string }> };
    const items = (b: TBody): BatchInput[] => b.batch!.map((i) => ({
      plaintext: i.plaintext === undefined ? undefined : decodeB64(i.plaintext), ciphertext: i.ciphertext, context: i.context }));

    app.post('/v1/keys/:name/encrypt', {
      preHandler: use, schema: { tags, summary: 'Encrypt base64 plaintext (or a batch)', params, body: transitBody('plaintext'), response: transitReply('ciphertext') },
    }, async (req) => {
      const n = transitKey(req);
      const b = req.body as TBody;
      if (b.batch) return { batch: (await keys.encryptBatch(n, items(b), actorOf(req))).map(outItem) };
      return { ciphertext: await keys.encrypt(n, decodeB64(b.plaintext!), b.context, actorOf(req)) };
    });

    app.post('/v1/keys/:name/decrypt', {
      preHandler: use, schema: { tags, summary: 'Decrypt to base64 plaintext (or a batch)', params, body: transitBody('ciphertext'), response: transitReply('plaintext') },
    }, async (req) => {
      const n = transitKey(req);
      const b = req.body as TBody;
      if (b.batch) return { batch: (await keys.decryptBatch(n, items(b), actorOf(req))).map(outItem) };
      return { plaintext: (await keys.decrypt(n, b.ciphertext!, b.context, actorOf(req))).toString('base64') };
    });

    app.post('/v1/keys/:name/rewrap', {
      preHandler: use, schema: { tags, summary: 'Re-encrypt to the newest version without returning plaintext', params, body: transitBody('ciphertext'), response: transitReply('ciphertext') },
    }, async (req) => {
      const n = transitKey(req);
      const b = req.body as TBody;
      if (b.batch) return { batch: (await keys.rewrapBatch(n, items(b), actorOf(req))).map(outItem) };
      return { ciphertext: await keys.rewrap(n, b.ciphertext!, b.context, actorOf(req)) };
    });

    app.post('/v1/keys/:name/datakey', {
      preHandler: use,
      schema: { tags, summary: 'A fresh 256-bit data key: plaintext (base64) and wrapped under this key', params,
        body: { type: ['object', 'null'], additionalProperties: false, properties: { context } },
        response: { 200: { type: 'object', properties: { plaintext: { type: 'string' }, ciphertext: { type: 'string' } } } } },
    }, async (req) => {
      const dk = await keys.datakey(transitKey(req), (req.body as { context?: string } | null)?.context, actorOf(req));
      return { plaintext: dk.plaintext.toString('base64'), ciphertext: dk.ciphertext };
    });
  };
}
