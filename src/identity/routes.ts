import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Guard } from '../http/guard.js';
import { clearTokenCookies, refreshTokenOf, setTokenCookies } from './cookies.js';
import { identityError } from './errors.js';
import { actorOf, type Identity, metaOf } from './index.js';
import { adminRoutes, type RoleGrantCheck } from './routes-admin.js';
import { emailSchema, idParams, passwordSchema, sessionSchema, tokenResponse, userSchema } from './schemas.js';
import type { TokenResponse } from './sessions.js';

export interface IdentityRoutesDeps {
  identity: Identity;
  guard: Guard;
  /** Refresh-cookie lifetime (s) and the Secure flag. */
  cookie: { maxAge: number; secure: boolean };
  /** Checks role hand-outs in user and API-key administration (the access capability). */
  grants?: RoleGrantCheck;
}

const strict = { rateLimit: 'strict' as const };
const noBody = { type: 'object', additionalProperties: false, properties: {} } as const;
/** The dashboard posts refresh/logout without a body (the token is in the cookie). */
const emptyBodyOk = async (req: FastifyRequest) => { if (req.body === undefined || req.body === null) req.body = {}; };

/** Identity's HTTP edge: setup, login, MFA verify, refresh, logout, JWKS, /v1/me, and the admin routes. */
export function identityRoutes(deps: IdentityRoutesDeps) {
  const { identity, guard, cookie } = deps;
  const withCookies = (reply: FastifyReply, t: TokenResponse) => {
    setTokenCookies(reply, t.refresh_token, cookie.maxAge, cookie.secure);
    return t;
  };

  return async (app: FastifyInstance) => {
    app.get('/.well-known/jwks.json', {
      config: { rateLimit: 'none' },
      schema: { tags: ['auth'], summary: 'Public keys that verify access tokens', security: [] },
    }, async (_req, reply) => {
      void reply.header('cache-control', 'public, max-age=300');
      return identity.jwks();
    });

    app.get('/v1/setup', {
      schema: { tags: ['auth'], summary: 'Whether first-admin setup is still open', security: [], response: { 200: { type: 'object', properties: { open: { type: 'boolean' } } } } },
    }, async () => ({ open: await identity.bootstrapOpen() }));

    app.post('/v1/setup', {
      config: strict,
      schema: {
        tags: ['auth'], summary: 'Create the first administrator with the one-time setup token', security: [],
        body: { type: 'object', additionalProperties: false, required: ['token', 'email', 'password'], properties: { token: { type: 'string', maxLength: 200 }, email: emailSchema, password: passwordSchema, name: { type: 'string', maxLength: 200 } } },
        response: { 201: userSchema },
      },
    }, async (req, reply) => {
      const b = req.body as { token: string; email: string; password: string; name?: string };
      const u = await identity.setupWithToken(b.token, { email: b.email, password: b.password, name: b.name }, { ...actorOf(req), type: 'anonymous' });
      return reply.status(201).send(u);
    });

    app.post('/v1/auth/login', {
      config: strict,
      schema: {
        tags: ['auth'], summary: 'Sign in with email and password', security: [],
        body: { type: 'object', additionalProperties: false, required: ['email', 'password'], properties: { email: { type: 'string', maxLength: 254 }, password: passwordSchema } },
        response: { 200: tokenResponse },
      },
    }, async (req, reply) => {
      const b = req.body as { email: string; password: string };
      const r = await identity.login(b.email, b.password, metaOf(req));
      return 'access_token' in r ? withCookies(reply, r) : r;
    });

    app.post('/v1/auth/mfa/verify', {
      config: strict,
      schema: {
        tags: ['auth'], summary: 'Second step: a TOTP code or a backup code', security: [],
        body: {
          type: 'object', additionalProperties: false, required: ['mfa_token'],
          properties: { mfa_token: { type: 'string', maxLength: 200 }, code: { type: 'string', maxLength: 16 }, backup_code: { type: 'string', maxLength: 64 } },
        },
        response: { 200: tokenResponse },
      },
    }, async (req, reply) => {
      const b = req.body as { mfa_token: string; code?: string; backup_code?: string };
      if (!b.code === !b.backup_code) throw identityError('MFA_CODE_INVALID', 'Send exactly one of code and backup_code');
      return withCookies(reply, await identity.verifyMfa(b.mfa_token, { code: b.code, backup_code: b.backup_code }, metaOf(req)));
    });

    app.post('/v1/auth/refresh', {
      config: strict, preValidation: emptyBodyOk,
      schema: {
        tags: ['auth'], summary: 'Rotate a refresh token (body, or the cookie with X-Warden-CSRF)', security: [],
        body: { type: 'object', additionalProperties: false, properties: { refresh_token: { type: 'string', maxLength: 200 } } },
        response: { 200: tokenResponse },
      },
    }, async (req, reply) => {
      const token = refreshTokenOf(req, req.body as { refresh_token?: string } | undefined);
      if (!token) throw identityError('REFRESH_TOKEN_INVALID', 'Send refresh_token');
      try {
        return withCookies(reply, await identity.refresh(token, metaOf(req)));
      } catch (e) {
        clearTokenCookies(reply, cookie.secure);
        throw e;
      }
    });

    app.post('/v1/auth/logout', {
      preValidation: emptyBodyOk,
      schema: {
        tags: ['auth'], summary: 'End the session of a refresh token (body or cookie) or of the bearer token', security: [],
        body: { type: 'object', additionalProperties: false, properties: { refresh_token: { type: 'string', maxLength: 200 } } },
      },
    }, async (req, reply) => {
      const token = refreshTokenOf(req, req.body as { refresh_token?: string } | undefined);
      let sid: string | undefined;
      const h = req.headers.authorization;
      if (!token && typeof h === 'string' && /^Bearer\s+/i.test(h)) {
        sid = (await identity.authenticate(h.replace(/^Bearer\s+/i, '').trim(), req))?.session_id;
      }
      await identity.logout({ refresh_token: token ?? undefined, session_id: sid }, actorOf(req));
      clearTokenCookies(reply, cookie.secure);
      return reply.status(204).send();
    });

    app.get('/v1/me', {
      preHandler: guard.authenticated({ allowMfaEnrollment: true }),
      schema: { tags: ['me'], summary: 'Who am I', response: { 200: { type: 'object', properties: { ...userSchema.properties, principal_type: { type: 'string' }, session_id: { type: 'string' }, amr: { type: 'array', items: { type: 'string' } }, mfa_enrollment_only: { type: 'boolean' } } } } },
    }, async (req) => {
      const p = req.principal!;
      const u = p.type === 'user' ? await identity.getUser(p.id) : null;
      return { ...(u ?? { id: p.id, roles: p.roles }), principal_type: p.type, session_id: p.session_id, amr: p.amr, mfa_enrollment_only: !!p.mfa_enrollment_only };
    });

    app.post('/v1/me/password', {
      config: strict,
      preHandler: guard.authenticated(),
      schema: {
        tags: ['me'], summary: 'Change my password (revokes my other sessions)',
        body: { type: 'object', additionalProperties: false, required: ['current_password', 'new_password'], properties: { current_password: passwordSchema, new_password: passwordSchema } },
        response: { 200: { type: 'object', properties: { revoked_sessions: { type: 'integer' } } } },
      },
    }, async (req) => {
      const p = req.principal!;
      if (p.type !== 'user') throw identityError('USER_NOT_FOUND', 'Only users have passwords');
      const b = req.body as { current_password: string; new_password: string };
      return identity.changePassword(p.id, p.session_id ?? null, b.current_password, b.new_password, actorOf(req));
    });

    app.get('/v1/me/sessions', {
      preHandler: guard.authenticated(),
      schema: { tags: ['me'], summary: 'My active sessions', response: { 200: { type: 'object', properties: { sessions: { type: 'array', items: sessionSchema } } } } },
    }, async (req) => ({ sessions: await identity.listSessions(req.principal!.id, req.principal!.session_id) }));

    app.delete('/v1/me/sessions/:id', {
      preHandler: guard.authenticated(),
      schema: { tags: ['me'], summary: 'Revoke one of my sessions', params: idParams },
    }, async (req, reply) => {
      await identity.revokeSession(req.principal!.id, (req.params as { id: string }).id, actorOf(req));
      return reply.status(204).send();
    });

    app.post('/v1/me/sessions/revoke-others', {
      preHandler: guard.authenticated(),
      schema: { tags: ['me'], summary: 'Revoke all my sessions but this one', body: noBody, response: { 200: { type: 'object', properties: { revoked: { type: 'integer' } } } } },
    }, async (req) => {
      const p = req.principal!;
      const mine = await identity.listSessions(p.id, p.session_id);
      let revoked = 0;
      for (const s of mine) {
        if (s.id === p.session_id) continue;
        await identity.revokeSession(p.id, s.id, actorOf(req));
        revoked++;
      }
      return { revoked };
    });

    await app.register(adminRoutes({ identity, guard, grants: deps.grants }));
  };
}
