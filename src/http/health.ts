import type { FastifyInstance } from 'fastify';
import type { Db } from '../db/types.js';
import { sendProblem } from './problem.js';

/** Liveness, readiness and the OpenAPI document: public routes. */
export function healthRoutes(deps: { db: Db; version: string }) {
  return async (app: FastifyInstance) => {
    app.get('/healthz', {
      config: { rateLimit: 'none' },
      schema: {
        tags: ['health'], summary: 'Liveness', security: [],
        response: { 200: { type: 'object', properties: { status: { type: 'string' }, database: { type: 'string', enum: ['pglite', 'postgres'] }, version: { type: 'string' } } } },
      },
    }, async () => ({ status: 'ok', database: deps.db.kind, version: deps.version }));

    app.get('/readyz', {
      config: { rateLimit: 'none' },
      schema: { tags: ['health'], summary: 'Readiness: the database answers', security: [] },
    }, async (_req, reply) => {
      try {
        await deps.db.query('SELECT 1');
        return { status: 'ready', database: deps.db.kind };
      } catch {
        return sendProblem(reply, 503, 'DATABASE_UNAVAILABLE', 'The database does not answer');
      }
    });

    app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  };
}
