import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AccessPrincipal } from '../access/index.js';
import { contextOf } from '../access/routes.js';
import type { Guard } from '../http/guard.js';
import type { DocumentFilter, DocumentInput, DocumentPatch, Documents } from './index.js';

export interface DocumentsRoutesDeps { documents: Documents; guard: Guard }

const DOMAIN = { type: 'string', enum: ['compliance', 'marketing', 'feedback'] } as const;
const CLASS = { type: 'string', enum: ['public', 'internal', 'confidential', 'restricted'] } as const;
const TAGS = { type: 'array', maxItems: 32, items: { type: 'string', minLength: 1, maxLength: 64 } } as const;
const fields = {
  domain: DOMAIN, classification: CLASS,
  title: { type: 'string', minLength: 1, maxLength: 300 }, body: { type: 'string', maxLength: 262_144 },
  owner: { type: 'string', minLength: 1, maxLength: 200 }, tags: TAGS,
} as const;
const docSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' }, domain: { type: 'string' }, classification: { type: 'string' }, title: { type: 'string' }, body: { type: 'string' },
    owner: { type: 'string' }, tags: { type: 'array', items: { type: 'string' } }, encrypted_at_rest: { type: 'boolean' },
    created_at: { type: 'string' }, updated_at: { type: 'string' }, created_by: { type: 'string' }, updated_by: { type: 'string' },
  },
} as const;
const idParams = { type: 'object', properties: { id: { type: 'string', maxLength: 64 } } } as const;

const who = (req: FastifyRequest) => req.principal as AccessPrincipal;

/**
 * The protected documents over HTTP. Every route is authenticated; what the caller may do to
 * which document is decided by access (enforce / readable) inside the documents capability.
 */
export function documentsRoutes(deps: DocumentsRoutesDeps) {
  const { documents, guard } = deps;
  const authed = guard.authenticated();
  return async (app: FastifyInstance) => {
    app.post('/v1/documents', {
      preHandler: authed,
      schema: { tags: ['documents'], summary: 'Create a document (needs write:<domain>; restricted needs an MFA session)',
        body: { type: 'object', required: ['domain', 'title', 'body'], additionalProperties: false, properties: fields },
        response: { 201: docSchema } },
    }, async (req, reply) => reply.status(201).send(await documents.create(who(req), req.body as DocumentInput, contextOf(req))));

    app.get('/v1/documents', {
      preHandler: authed,
      schema: { tags: ['documents'], summary: 'List what you may read, newest first (cursor pagination, no bodies)',
        querystring: { type: 'object', additionalProperties: false, properties: {
          domain: DOMAIN, classification: CLASS, tag: { type: 'string', maxLength: 64 }, owner: { type: 'string', maxLength: 200 },
          cursor: { type: 'string', maxLength: 40 }, limit: { type: 'integer', minimum: 1, maximum: 200, default: 50 } } },
        response: { 200: { type: 'object', properties: { documents: { type: 'array', items: docSchema }, next_cursor: { type: ['string', 'null'] } } } } },
    }, async (req) => {
      const q = req.query as DocumentFilter & { cursor?: string; limit: number };
      return documents.list(who(req), { domain: q.domain, classification: q.classification, tag: q.tag, owner: q.owner }, q.cursor, q.limit);
    });

    app.get('/v1/documents/export', {
      preHandler: authed,
      schema: { tags: ['documents'], summary: 'Export what you may read in a domain as JSON lines (audited; confidential/restricted counted as data exports)',
        querystring: { type: 'object', required: ['domain'], additionalProperties: false, properties: { domain: DOMAIN } } },
    }, async (req, reply) => {
      const out = await documents.export(who(req), (req.query as { domain: string }).domain, contextOf(req));
      return reply.type('application/x-ndjson; charset=utf-8')
        .header('x-export-count', String(out.total))
        .header('content-disposition', `attachment; filename="documents-${(req.query as { domain: string }).domain}.jsonl"`)
        .send(Readable.from(out.lines));
    });

    app.get('/v1/documents/:id', {
      preHandler: authed, schema: { tags: ['documents'], summary: 'Read a document (restricted: MFA session, audited)', params: idParams, response: { 200: docSchema } },
    }, async (req) => documents.get(who(req), (req.params as { id: string }).id, contextOf(req)));

    app.patch('/v1/documents/:id', {
      preHandler: authed,
      schema: { tags: ['documents'], summary: 'Edit a document (write on the current and, when moved, the new domain/classification)', params: idParams,
        body: { type: 'object', additionalProperties: false, minProperties: 1, properties: fields }, response: { 200: docSchema } },
    }, async (req) => documents.update(who(req), (req.params as { id: string }).id, req.body as DocumentPatch, contextOf(req)));

    app.delete('/v1/documents/:id', {
      preHandler: authed,
      schema: { tags: ['documents'], summary: 'Delete a document (delete:compliance; other domains admin:system)', params: idParams },
    }, async (req, reply) => {
      await documents.remove(who(req), (req.params as { id: string }).id, contextOf(req));
      return reply.status(204).send();
    });
  };
}
