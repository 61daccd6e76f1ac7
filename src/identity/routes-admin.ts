import type { FastifyInstance } from 'fastify';
import type { Guard, Principal } from '../http/guard.js';
import { identityError } from './errors.js';
import { actorOf, type Identity } from './index.js';
import { apiKeySchema, emailSchema, idParams, passwordSchema, rolesSchema, userSchema } from './schemas.js';

/** Permissions of these routes (until the access capability maps them, the admin role holds both). */
export const PERM_USERS = 'admin:users';
export const PERM_API_KEYS = 'admin:api_keys';

/** User administration and API keys. */
/**
 * Who may hand out which roles: access refuses unknown roles and roles carrying permissions the
 * actor lacks (no escalation through user or API-key administration).
 */
export type RoleGrantCheck = (actor: Principal, wanted: string[], current: string[], opts?: { permissionsAsRoles?: boolean }) => Promise<void>;

export function adminRoutes(deps: { identity: Identity; guard: Guard; grants?: RoleGrantCheck }) {
  const { identity, guard } = deps;
  return async (app: FastifyInstance) => {
    app.get('/v1/users', {
      preHandler: guard.require(PERM_USERS),
      schema: {
        tags: ['users'], summary: 'List users (cursor pagination)',
        querystring: { type: 'object', additionalProperties: false, properties: { cursor: { type: 'string', maxLength: 64 }, limit: { type: 'integer', minimum: 1, maximum: 500, default: 50 }, role: { type: 'string', maxLength: 64 } } },
        response: { 200: { type: 'object', properties: { users: { type: 'array', items: userSchema }, next_cursor: { type: ['string', 'null'] } } } },
      },
    }, async (req) => {
      const q = req.query as { cursor?: string; limit: number; role?: string };
      return identity.listUsers({ after: q.cursor, limit: q.limit, role: q.role });
    });

    app.post('/v1/users', {
      preHandler: guard.require(PERM_USERS),
      schema: {
        tags: ['users'], summary: 'Create a user',
        body: { type: 'object', additionalProperties: false, required: ['email', 'password'], properties: { email: emailSchema, password: passwordSchema, name: { type: 'string', maxLength: 200 }, roles: rolesSchema } },
        response: { 201: userSchema },
      },
    }, async (req, reply) => {
      const b = req.body as { email: string; password: string; name?: string; roles?: string[] };
      if (b.roles?.length && deps.grants) await deps.grants(req.principal!, b.roles, []);
      return reply.status(201).send(await identity.createUser(b, actorOf(req)));
    });

    app.get('/v1/users/:id', {
      preHandler: guard.require(PERM_USERS),
      schema: { tags: ['users'], summary: 'One user', params: idParams, response: { 200: userSchema } },
    }, async (req) => {
      const u = await identity.getUser((req.params as { id: string }).id);
      if (!u) throw identityError('USER_NOT_FOUND', 'No such user');
      return u;
    });

    app.patch('/v1/users/:id', {
      preHandler: guard.require(PERM_USERS),
      schema: {
        tags: ['users'], summary: 'Change name, roles or status (disable revokes sessions)', params: idParams,
        body: { type: 'object', additionalProperties: false, minProperties: 1, properties: { name: { type: 'string', maxLength: 200 }, roles: rolesSchema, status: { type: 'string', enum: ['active', 'disabled'] } } },
        response: { 200: userSchema },
      },
    }, async (req) => {
      const id = (req.params as { id: string }).id;
      const body = req.body as { name?: string; roles?: string[] };
      if (body.roles && deps.grants) {
        const current = await identity.getUser(id);
        if (!current) throw identityError('USER_NOT_FOUND', 'No such user');
        await deps.grants(req.principal!, body.roles, current.roles);
      }
      return identity.updateUser(id, body, actorOf(req));
    });

    app.delete('/v1/users/:id', {
      preHandler: guard.require(PERM_USERS),
      schema: { tags: ['users'], summary: 'Delete a user', params: idParams },
    }, async (req, reply) => {
      await identity.deleteUser((req.params as { id: string }).id, actorOf(req));
      return reply.status(204).send();
    });

    app.post('/v1/users/:id/unlock', {
      preHandler: guard.require(PERM_USERS),
      schema: { tags: ['users'], summary: 'Clear a lockout', params: idParams, response: { 200: userSchema } },
    }, async (req) => identity.unlockUser((req.params as { id: string }).id, actorOf(req)));

    app.post('/v1/users/:id/sessions/revoke', {
      preHandler: guard.require(PERM_USERS),
      schema: { tags: ['users'], summary: "Revoke all the user's sessions", params: idParams, response: { 200: { type: 'object', properties: { revoked: { type: 'integer' } } } } },
    }, async (req) => ({ revoked: await identity.revokeUserSessions((req.params as { id: string }).id, actorOf(req)) }));

    app.get('/v1/api-keys', {
      preHandler: guard.require(PERM_API_KEYS),
      schema: { tags: ['api-keys'], summary: 'List API keys (never the keys themselves)', response: { 200: { type: 'object', properties: { api_keys: { type: 'array', items: apiKeySchema } } } } },
    }, async () => ({ api_keys: await identity.listApiKeys() }));

    app.post('/v1/api-keys', {
      preHandler: guard.require(PERM_API_KEYS),
      schema: {
        tags: ['api-keys'], summary: 'Create an API key (shown once)',
        body: { type: 'object', additionalProperties: false, required: ['name', 'roles'], properties: { name: { type: 'string', minLength: 1, maxLength: 100 }, roles: rolesSchema, expires_at: { type: ['string', 'null'], format: 'date-time' } } },
        response: { 201: apiKeySchema },
      },
    }, async (req, reply) => {
      const b = req.body as { name: string; roles: string[]; expires_at?: string | null };
      if (deps.grants) await deps.grants(req.principal!, b.roles, [], { permissionsAsRoles: true });
      return reply.status(201).send(await identity.createApiKey(b, req.principal!, actorOf(req), { rolesChecked: !!deps.grants }));
    });

    app.delete('/v1/api-keys/:id', {
      preHandler: guard.require(PERM_API_KEYS),
      schema: { tags: ['api-keys'], summary: 'Revoke an API key', params: idParams, response: { 200: apiKeySchema } },
    }, async (req) => identity.revokeApiKey((req.params as { id: string }).id, actorOf(req)));
  };
}
