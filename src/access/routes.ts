import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Guard } from '../http/guard.js';
import { CLASSIFICATIONS, DOMAINS, PROTECTION } from './catalogue.js';
import type { Access, AccessPrincipal, RequestContext, ResourceRef } from './index.js';
import { reviewCsv } from './review.js';
import { decisionSchema, explainSchema, questionBody, roleSchema } from './schemas.js';

export interface AccessRoutesDeps { access: Access; guard: Guard }

export function contextOf(req: FastifyRequest): RequestContext {
  const ua = req.headers['user-agent'];
  return { ip: req.ip, user_agent: typeof ua === 'string' ? ua : undefined, method: req.method, path: req.url.split('?')[0] };
}

interface Question { action: string; resource?: ResourceRef; user_id?: string; roles?: string[]; amr?: string[] }

/** The HTTP edge of access: decisions and explanations, permissions, roles, assignment, the access review. */
export function accessRoutes(deps: AccessRoutesDeps) {
  const { access, guard } = deps;
  const admin = guard.require('admin:users');

  /** The caller's own decision, or — for holders of admin:users — another user's or a set of roles'. */
  async function answer(req: FastifyRequest, explain: boolean) {
    const p = req.principal as AccessPrincipal;
    const q = req.body as Question;
    if (q.user_id !== undefined || q.roles !== undefined) {
      await access.enforce(p, 'admin:users', undefined, contextOf(req));
      if (q.roles !== undefined) return access.explainRoles(q.roles, q.amr, q.action, q.resource);
      const subject: AccessPrincipal = { type: 'user', id: q.user_id!, roles: [], amr: q.amr };
      return access.explain(subject, q.action, q.resource);
    }
    return explain ? access.explain(p, q.action, q.resource) : { decision: await access.check(p, q.action, q.resource) };
  }

  return async (app: FastifyInstance) => {
    app.post('/v1/access/check', {
      preHandler: guard.authenticated(),
      schema: { tags: ['access'], summary: 'Decide an action (yours, or as admin:users another user\'s or a set of roles\')',
        body: questionBody, response: { 200: { type: 'object', properties: { decision: decisionSchema } } } },
    }, async (req) => ({ decision: (await answer(req, false)).decision }));

    app.post('/v1/access/explain', {
      preHandler: guard.authenticated(),
      schema: { tags: ['access'], summary: 'A decision with everything that led to it', body: questionBody, response: { 200: explainSchema } },
    }, async (req) => answer(req, true));

    app.get('/v1/access/permissions', {
      preHandler: guard.authenticated(),
      schema: { tags: ['access'], summary: 'The permission catalogue and the classification matrix' },
    }, async () => ({
      permissions: access.permissions(),
      classifications: CLASSIFICATIONS.map((c) => ({ classification: c, ...PROTECTION[c] })),
      domains: DOMAINS,
    }));

    app.get('/v1/access/roles', {
      preHandler: admin, schema: { tags: ['access'], summary: 'Every role with its permissions', response: { 200: { type: 'object', properties: { roles: { type: 'array', items: roleSchema } } } } },
    }, async () => ({ roles: await access.listRoles() }));

    app.get('/v1/access/roles/:name', {
      preHandler: admin, schema: { tags: ['access'], params: { type: 'object', properties: { name: { type: 'string', maxLength: 48 } } }, response: { 200: roleSchema } },
    }, async (req) => access.getRole((req.params as { name: string }).name));

    app.post('/v1/access/roles', {
      preHandler: admin,
      schema: { tags: ['access'], summary: 'Create a custom role', response: { 201: roleSchema },
        body: { type: 'object', required: ['name', 'permissions'], additionalProperties: false, properties: {
          name: { type: 'string', maxLength: 48 }, description: { type: 'string', maxLength: 500 },
          permissions: { type: 'array', maxItems: 200, items: { type: 'string', maxLength: 80 } } } } },
    }, async (req, reply) => {
      const role = await access.createRole(req.principal as AccessPrincipal, req.body as { name: string; permissions: string[] }, contextOf(req));
      return reply.status(201).send(role);
    });

    app.patch('/v1/access/roles/:name', {
      preHandler: admin,
      schema: { tags: ['access'], summary: 'Edit a custom role', response: { 200: roleSchema },
        params: { type: 'object', properties: { name: { type: 'string', maxLength: 48 } } },
        body: { type: 'object', additionalProperties: false, minProperties: 1, properties: {
          description: { type: 'string', maxLength: 500 }, permissions: { type: 'array', maxItems: 200, items: { type: 'string', maxLength: 80 } } } } },
    }, async (req) => access.updateRole(req.principal as AccessPrincipal, (req.params as { name: string }).name, req.body as { permissions?: string[] }, contextOf(req)));

    app.delete('/v1/access/roles/:name', {
      preHandler: admin, schema: { tags: ['access'], summary: 'Delete a custom role nobody holds', params: { type: 'object', properties: { name: { type: 'string', maxLength: 48 } } } },
    }, async (req, reply) => {
      await access.deleteRole(req.principal as AccessPrincipal, (req.params as { name: string }).name, contextOf(req));
      return reply.status(204).send();
    });

    app.put('/v1/access/users/:id/roles', {
      preHandler: admin,
      schema: { tags: ['access'], summary: 'Replace a user\'s roles (takes effect within seconds for live sessions)',
        params: { type: 'object', properties: { id: { type: 'string', maxLength: 200 } } },
        body: { type: 'object', required: ['roles'], additionalProperties: false, properties: { roles: { type: 'array', maxItems: 50, items: { type: 'string', maxLength: 48 } } } },
        response: { 200: { type: 'object', properties: { user_id: { type: 'string' }, roles: { type: 'array', items: { type: 'string' } } } } } },
    }, async (req) => access.assignRoles(req.principal as AccessPrincipal, (req.params as { id: string }).id, (req.body as { roles: string[] }).roles, contextOf(req)));

    const review = async (req: FastifyRequest, reply: import('fastify').FastifyReply, csv: boolean) => {
      const r = await access.review();
      await access.recordReview(req.principal as AccessPrincipal, r.users.length, csv ? 'csv' : 'json', contextOf(req));
      if (!csv) return r;
      return reply.type('text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="access-review.csv"').send(reviewCsv(r));
    };
    app.get('/v1/access/review', {
      preHandler: admin,
      schema: { tags: ['access'], summary: 'Access review (SOC 2 CC6.2, CC6.3): users, roles, effective permissions, MFA, last login, status',
        querystring: { type: 'object', additionalProperties: false, properties: { format: { type: 'string', enum: ['json', 'csv'], default: 'json' } } } },
    }, async (req, reply) => review(req, reply, (req.query as { format: string }).format === 'csv'));
    app.get('/v1/access/review.csv', { preHandler: admin, schema: { tags: ['access'], summary: 'Access review as CSV' } },
      async (req, reply) => review(req, reply, true));
  };
}
